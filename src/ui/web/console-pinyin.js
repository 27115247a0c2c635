import { candidates } from './console-name-table.js';
import { bi, fill, h } from './dom.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A name in Chinese entered by touch alone: pinyin letters on the pad, then one tap on the
 * character among the candidates; 删除 takes back a letter, or the last character when no letter
 * is pending. There is no system keyboard on the kiosk.
 * @param {{ maxLength?: number, onChange: (name: string) => void }} opts
 */
export function pinyinField(opts) {
  const max = opts.maxLength ?? 10;
  let name = '';
  let typed = '';
  const nameBox = h('output', { id: 'f-name', class: 'display name', 'aria-live': 'polite' });
  const typedBox = h('span', { class: 'pinyin-typed', 'data-k': 'pinyin' });
  const cands = h('div', { class: 'chips candidates', role: 'group', 'aria-label': '候选字 Characters' });
  const draw = () => {
    nameBox.textContent = name;
    typedBox.textContent = typed;
    fill(
      cands,
      ...candidates(typed).map((c) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip cand',
            'data-char': c,
            onclick: () => {
              if (name.length >= max) return;
              name += c;
              typed = '';
              draw();
              opts.onChange(name);
            },
          },
          c,
        ),
      ),
    );
  };
  const key = (
    /** @type {string} */ k,
    /** @type {() => void} */ run,
    /** @type {HTMLElement | null} */ label = null,
  ) =>
    h(
      'button',
      { type: 'button', class: `key${label ? ' key-fn' : ''}`, 'data-key': k, onclick: run },
      label ?? k,
    );
  const pad = h(
    'div',
    { class: 'pad pad-pinyin', role: 'group', 'aria-label': '拼音键盘 Pinyin keypad' },
    ...[...LETTERS].map((l) =>
      key(l, () => {
        if (typed.length < 6) typed += l.toLowerCase();
        draw();
      }),
    ),
    key(
      'DEL',
      () => {
        if (typed) typed = typed.slice(0, -1);
        else name = [...name].slice(0, -1).join('');
        draw();
        opts.onChange(name);
      },
      bi('删除', 'Del'),
    ),
    key(
      'CLR',
      () => {
        typed = '';
        name = '';
        draw();
        opts.onChange(name);
      },
      bi('清空', 'Clear'),
    ),
  );
  draw();
  return {
    el: h(
      'div',
      { class: 'pinyin-entry' },
      h(
        'div',
        { class: 'pinyin-top' },
        h('label', { for: 'f-name', class: 'entry-label' }, bi('姓名', 'Name')),
        nameBox,
        typedBox,
      ),
      cands,
      pad,
    ),
    value: () => name,
  };
}
