import { api } from './api.js';
import { bi, biOf, fill, h } from './dom.js';
import { customerReason } from './problems.js';

/**
 * Fields chosen from the biller's answer rather than typed: a Telecom number's contracts, a game
 * (by category or initial letter, shown by name) and its packages.
 *
 * @typedef {import('./flow.js').Flow} Flow
 * A game as the kiosk's inquiry answers it: already checked against `gameEntry` (game-topup.ts),
 * the one schema of HQ's catalogue, so `name` and `packages` are always there.
 * @typedef {{ id: string, name: string, category?: string, initial?: string, packages: string[] }} Game
 */

/**
 * @param {Flow} flow
 * @param {import('./keypad.js').FieldView} f
 * @param {() => void} changed
 */
export function choiceView(flow, f, changed) {
  const error = h('div', { class: 'field-error', id: `f-${f.name}-error`, 'data-field': f.name });
  const pick = (/** @type {string} */ value, /** @type {string} */ label) => {
    flow.values[f.name] = value;
    flow.labels[f.name] = label;
    if (f.name === 'game') {
      delete flow.values.package;
      delete flow.labels.package;
    }
    fill(error);
    changed();
  };
  const a = flow.answer ?? {};
  const entry = f.entry ?? { keypad: 'choice' };
  /** @type {HTMLElement} */
  let list;
  if (entry.list) list = listView(flow, f, entry.list, pick);
  else if (entry.answer === 'trips')
    list = options(
      (Array.isArray(a.trips) ? a.trips : []).map((/** @type {any} */ t) => ({
        value: String(t.tripId),
        label: `${t.departs} 发车`,
        en: `departs ${t.departs} · ￥${t.price} · ${t.seatsLeft} seats left`,
        sub: `￥${t.price} · 余座 ${t.seatsLeft}`,
        disabled: !(Number(t.seatsLeft) > 0),
        item: t,
      })),
      flow.values[f.name],
      (value, label, item) => {
        // The trip brings its fare (and whatever else it fills) with it.
        for (const n of entry.fills ?? []) {
          flow.values[n] = String(item?.[n] ?? '');
          if (n === 'price') flow.labels[n] = `￥${item?.[n]}`;
        }
        pick(value, label);
      },
    );
  else if (f.name === 'game') list = gamesView(Array.isArray(a.games) ? a.games : [], flow, pick);
  else if (f.name === 'package') {
    const game = (Array.isArray(a.games) ? a.games : []).find(
      (/** @type {Game} */ g) => g.id === flow.values.game,
    );
    list = options(
      (game?.packages ?? []).map((/** @type {string} */ p) => ({
        value: p,
        label: `${p} 元`,
        en: `${p} yuan`,
      })),
      flow.values.package,
      pick,
    );
  } else if (f.name === 'contractNo') {
    list = options(
      (Array.isArray(a.contracts) ? a.contracts : []).map((/** @type {any} */ c) => ({
        value: String(c.contractNo),
        label: String(c.contractNo),
        en: `arrears ￥${c.arrears}`,
        sub: `欠费 ￥${c.arrears}`,
      })),
      flow.values.contractNo,
      pick,
    );
  } else list = h('p', {}, bi('没有可选项', 'Nothing to choose from'));
  return {
    el: h(
      'section',
      { class: 'choose', 'aria-labelledby': `f-${f.name}-label` },
      h('h2', { id: `f-${f.name}-label` }, bi(`请选择${f.zh.replace(/（.*）/, '')}`, `Choose: ${f.en}`)),
      error,
      list,
    ),
    /** @param {Array<{ zh: string, en: string }>} problems */
    showErrors(problems) {
      fill(error, ...problems.map((p) => h('p', { class: 'error' }, bi(p.zh, p.en))));
    },
  };
}

/**
 * A list the kiosk gives for the field (`entry.list`: places from HQ, travel dates), loaded when
 * the screen opens; filtered by group (initial letter) when it is long.
 * @param {Flow} flow
 * @param {import('./keypad.js').FieldView} f
 * @param {string} name
 * @param {(value: string, label: string) => void} pick
 */
function listView(flow, f, name, pick) {
  const box = h('div', { class: 'list-box' }, h('p', { class: 'busy' }, bi('正在加载…', 'Loading…')));
  api('GET', `/api/services/${flow.service.id}/lists/${encodeURIComponent(name)}`).then(
    (/** @type {{ items: Array<{ value: string, zh: string, en?: string, group?: string }> }} */ r) => {
      const all = r.items.map((i) => ({ value: i.value, label: i.zh, en: i.en ?? '', group: i.group }));
      const groups = [...new Set(all.map((i) => i.group).filter((g) => typeof g === 'string'))].sort();
      const holder = h('div', { class: 'list-holder' });
      /** @type {string} */
      let shown = '';
      const filters = h('div', { class: 'filters', role: 'group', 'aria-label': '按首字母 By initial' });
      const draw = () => {
        fill(
          filters,
          ...['', ...groups].map((g) =>
            h(
              'button',
              {
                type: 'button',
                class: `filter${g ? ' letter' : ''}`,
                'data-filter': `group:${g}`,
                'aria-pressed': String(shown === g),
                onclick: () => {
                  shown = g;
                  draw();
                },
              },
              g || bi('全部', 'All'),
            ),
          ),
        );
        fill(
          holder,
          options(
            all.filter((i) => !shown || i.group === shown),
            flow.values[f.name],
            pick,
          ),
        );
      };
      fill(box, groups.length > 1 && all.length > 8 ? filters : null, holder);
      draw();
    },
    (/** @type {import('./api.js').ApiError} */ e) =>
      fill(
        box,
        h('p', { class: 'error' }, bi('此业务现在暂停办理', 'This service is unavailable now')),
        h('p', {}, biOf(customerReason(e))),
      ),
  );
  return box;
}

/**
 * Buttons of which one is chosen (aria-pressed).
 * @param {Array<{ value: string, label: string, en: string, sub?: string, disabled?: boolean, item?: any }>} items
 * @param {string | undefined} current
 * @param {(value: string, label: string, item?: any) => void} pick
 */
function options(items, current, pick) {
  const list = h('div', { class: 'options' });
  for (const it of items) {
    const b = h(
      'button',
      {
        type: 'button',
        class: 'option',
        'data-value': it.value,
        'aria-pressed': String(current === it.value),
        disabled: it.disabled ? true : undefined,
        onclick: () => {
          for (const x of list.children) x.setAttribute('aria-pressed', String(x === b));
          pick(it.value, it.label, it.item);
        },
      },
      it.sub ? h('span', { class: 'opt-main', text: it.label }) : null,
      bi(it.sub ?? it.label, it.en),
    );
    list.append(b);
  }
  if (items.length === 0) list.append(h('p', {}, bi('没有可选项', 'Nothing to choose from')));
  return list;
}

/**
 * Games by category (when HQ gives them) and by the initial letter of the name's pinyin, shown by
 * name only.
 * @param {Game[]} games
 * @param {Flow} flow
 * @param {(value: string, label: string) => void} pick
 */
function gamesView(games, flow, pick) {
  const initialOf = (/** @type {Game} */ g) => (g.initial ?? g.id.charAt(0)).toUpperCase();
  const categories = [...new Set(games.map((g) => g.category).filter((c) => typeof c === 'string'))];
  const letters = [...new Set(games.map(initialOf))].sort();
  /** @type {{ kind: 'all' | 'cat' | 'letter', v: string }} */
  let filter = { kind: 'all', v: '' };
  const filters = h('div', {
    class: 'filters',
    role: 'group',
    'aria-label': '按类别或首字母 By category or initial',
  });
  const list = h('div', { class: 'options games' });
  const drawFilters = () =>
    fill(
      filters,
      ...[
        { kind: /** @type {const} */ ('all'), v: '', zh: '全部', en: 'All' },
        ...categories.map((c) => ({
          kind: /** @type {const} */ ('cat'),
          v: String(c),
          zh: String(c),
          en: '',
        })),
        ...letters.map((l) => ({ kind: /** @type {const} */ ('letter'), v: l, zh: l, en: '' })),
      ].map((x) =>
        h(
          'button',
          {
            type: 'button',
            class: `filter${x.kind === 'letter' ? ' letter' : ''}`,
            'data-filter': `${x.kind}:${x.v}`,
            'aria-pressed': String(filter.kind === x.kind && filter.v === x.v),
            onclick: () => {
              filter = { kind: x.kind, v: x.v };
              drawFilters();
              drawList();
            },
          },
          x.en ? bi(x.zh, x.en) : x.zh,
        ),
      ),
    );
  const drawList = () => {
    const shown = games.filter(
      (g) =>
        filter.kind === 'all' ||
        (filter.kind === 'cat' && g.category === filter.v) ||
        (filter.kind === 'letter' && initialOf(g) === filter.v),
    );
    fill(
      list,
      ...shown.map((g) => {
        const name = g.name;
        return h(
          'button',
          {
            type: 'button',
            class: 'option',
            'data-value': g.id,
            'aria-pressed': String(flow.values.game === g.id),
            onclick: () => {
              pick(g.id, name);
              drawList();
            },
          },
          name,
        );
      }),
    );
  };
  drawFilters();
  drawList();
  return h('div', { class: 'game-browser' }, filters, list);
}
