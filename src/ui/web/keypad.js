import { bi, fill, grouped, h } from './dom.js';

/**
 * On-screen entry for one field: a large read-only display (no system keyboard ever opens:
 * `readonly` and `inputmode="none"`) and a keypad shaped by the field's definition.
 *
 * @typedef {{ keypad: 'digits' | 'amount' | 'alnum' | 'choice' | 'confirm', maxLength?: number,
 *   quick?: string[], list?: string, answer?: string, fills?: string[] }} FieldEntry
 * @typedef {{ name: string, zh: string, en: string, required: boolean,
 *   sensitive: 'phone' | 'account' | 'card' | null, entry: FieldEntry | null,
 *   fromCard?: boolean }} FieldView
 */

const DIGIT_ROWS = [
  ['1', '2', '3', 'del'],
  ['4', '5', '6', 'clear'],
  ['7', '8', '9', ''],
  ['', '0', '', ''],
];
const AMOUNT_ROWS = [
  ['1', '2', '3', 'del'],
  ['4', '5', '6', 'clear'],
  ['7', '8', '9', ''],
  ['.', '0', '', ''],
];
const ALNUM_ROWS = [
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
  ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'],
  ['K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T'],
  ['U', 'V', 'W', 'X', 'Y', 'Z', 'del', 'clear'],
];

const LABELS = {
  del: { zh: '删除', en: 'Delete' },
  clear: { zh: '清空', en: 'Clear' },
};

/**
 * The keypad a field needs: its declared entry, or digits for phone and card numbers and letters
 * with digits for anything else.
 * @param {FieldView} f
 * @returns {FieldEntry}
 */
export function entryOf(f) {
  if (f.entry) return f.entry;
  if (f.name === 'amount') return { keypad: 'amount', maxLength: 9 };
  if (f.sensitive === 'phone' || f.sensitive === 'card') return { keypad: 'digits', maxLength: 20 };
  return { keypad: 'alnum', maxLength: 20 };
}

/**
 * Applies one key to a value.
 * @param {string} value
 * @param {string} key
 * @param {FieldEntry} entry
 */
export function press(value, key, entry) {
  if (key === 'del') return value.slice(0, -1);
  if (key === 'clear') return '';
  const max = entry.maxLength ?? 20;
  if (value.length >= max) return value;
  if (entry.keypad === 'amount') {
    if (key === '.') return value.includes('.') ? value : `${value || '0'}.`;
    if (/\.\d{2}$/.test(value)) return value;
    if (value === '0') return key;
  }
  return value + key;
}

/**
 * A field with its display and keypad.
 * @param {FieldView} f
 * @param {{ value: string, onChange: (v: string) => void, secret?: boolean, label?: { zh: string, en: string } }} opts
 */
export function entryField(f, opts) {
  const entry = entryOf(f);
  let value = opts.value;
  const id = `f-${f.name}`;
  const display = /** @type {HTMLInputElement} */ (
    h('input', {
      id,
      name: f.name,
      class: `display ${entry.keypad}`,
      type: 'text',
      readonly: true,
      inputmode: 'none',
      autocomplete: 'off',
      tabindex: '-1',
      'aria-describedby': `${id}-error`,
      'data-entry': entry.keypad,
    })
  );
  const error = h('div', { class: 'field-error', id: `${id}-error`, 'data-field': f.name });
  const show = () => {
    display.value = opts.secret
      ? '●'.repeat(value.length)
      : entry.keypad === 'amount' || f.name === 'amount'
        ? value
        : grouped(value, f.sensitive === 'phone');
    for (const c of chips.children)
      c.setAttribute('aria-pressed', String(c.getAttribute('data-quick') === value));
  };
  const set = (/** @type {string} */ v) => {
    value = v;
    fill(error);
    display.removeAttribute('aria-invalid');
    show();
    opts.onChange(value);
  };
  const chips = h('div', { class: 'chips', role: 'group', 'aria-label': '常用金额 Quick amounts' });
  for (const q of entry.quick ?? []) {
    chips.append(
      h(
        'button',
        { type: 'button', class: 'chip', 'data-quick': q, 'aria-pressed': 'false', onclick: () => set(q) },
        `${q} 元`,
      ),
    );
  }
  const rows = entry.keypad === 'alnum' ? ALNUM_ROWS : entry.keypad === 'amount' ? AMOUNT_ROWS : DIGIT_ROWS;
  const pad = h('div', {
    class: `pad pad-${entry.keypad}`,
    role: 'group',
    'aria-label': `${f.zh} 键盘 keypad`,
  });
  for (const row of rows) {
    for (const k of row) {
      if (!k) {
        pad.append(h('span', { class: 'key-gap', 'aria-hidden': 'true' }));
        continue;
      }
      const label = /** @type {Record<string, { zh: string, en: string }>} */ (LABELS)[k];
      pad.append(
        h(
          'button',
          {
            type: 'button',
            class: `key${label ? ' key-fn' : ''}`,
            'data-key': k,
            onclick: () => set(press(value, k, entry)),
          },
          label ? bi(label.zh, label.en) : k,
        ),
      );
    }
  }
  const lbl = opts.label ?? f;
  const side = h(
    'div',
    { class: 'entry-side' },
    h('label', { for: id, class: 'entry-label' }, bi(lbl.zh, lbl.en)),
    h(
      'div',
      { class: 'display-row' },
      entry.keypad === 'amount' ? h('span', { class: 'yuan' }, '￥') : null,
      display,
    ),
    error,
    chips.childElementCount > 0 ? chips : null,
  );
  show();
  return {
    el: h('div', { class: `entry-layout layout-${entry.keypad}` }, side, pad),
    value: () => value,
    /** @param {Array<{ zh: string, en: string }>} problems */
    showErrors(problems) {
      fill(error, ...problems.map((p) => h('p', { class: 'error' }, bi(p.zh, p.en))));
      if (problems.length > 0) display.setAttribute('aria-invalid', 'true');
    },
  };
}
