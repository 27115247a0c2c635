import { api } from './api.js';
import { bi, biOf, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';

/**
 * Pieces the console's screens share: a number typed on a keypad, tables, and a transaction row.
 * @typedef {import('./shell.js').View} View
 * @typedef {import('./payment.js').TxnView & { time?: string, operator?: string | null, channel?: string,
 *   fields?: Record<string, unknown>, alerts?: string[], service?: string }} Txn
 */

/**
 * A screen that asks for one number on a keypad, then acts on it.
 * @param {{ zh: string, en: string }} heading
 * @param {{ name: string, zh: string, en: string, keypad?: 'digits' | 'alnum' | 'amount', maxLength?: number }} spec
 * @param {{ zh: string, en: string }} action
 * @param {(value: string, box: HTMLElement, field: ReturnType<typeof entryField>) => Promise<unknown>} onValue
 * @param {() => import('./shell.js').Screen} back
 * @returns {import('./shell.js').Screen}
 */
export function askScreen(heading, spec, action, onValue, back, initial = '') {
  return (view) => {
    let value = initial;
    const box = messageBox();
    const field = entryField(
      {
        name: spec.name,
        zh: spec.zh,
        en: spec.en,
        required: true,
        sensitive: null,
        entry: { keypad: spec.keypad ?? 'digits', maxLength: spec.maxLength ?? 10 },
      },
      {
        value,
        onChange: (v) => {
          value = v;
          if (primary) primary.disabled = !v;
        },
      },
    );
    fill(view.main, title(heading.zh, heading.en), box, field.el);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) },
      home: true,
      primary: { zh: action.zh, en: action.en, disabled: !value, run: () => onValue(value, box, field) },
    });
  };
}

/**
 * A table with bilingual headings.
 * @param {Array<{ zh: string, en: string }>} heads
 * @param {Array<Array<Node | string>>} rows
 * @param {string} [cls]
 */
export function table(heads, rows, cls = '') {
  return h(
    'table',
    { class: `grid ${cls}`.trim() },
    h('thead', {}, h('tr', {}, ...heads.map((x) => h('th', { scope: 'col' }, biOf(x))))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

/** @param {Txn} t */
export function txnRow(t) {
  return [
    h('span', { class: 'serial', text: t.serial }),
    t.time ? `${t.time.slice(0, 2)}:${t.time.slice(2, 4)}:${t.time.slice(4, 6)}` : '',
    t.serviceName.zh,
    `￥${t.total}`,
    h('span', { class: `state ${t.result ?? 'open'}` }, t.stateLabel.zh),
    t.operator ?? '自助',
  ];
}

export const TXN_HEADS = [
  { zh: '流水号', en: 'Serial' },
  { zh: '时间', en: 'Time' },
  { zh: '业务', en: 'Service' },
  { zh: '合计', en: 'Total' },
  { zh: '状态', en: 'State' },
  { zh: '柜员', en: 'Operator' },
];

/**
 * Loads and draws into a box, showing a refusal in words.
 * @param {HTMLElement} box
 * @param {() => Promise<(Node | null)[] | Node>} load
 */
export async function loadInto(box, load) {
  fill(box, h('p', { class: 'busy' }, bi('正在加载…', 'Loading…')));
  try {
    const r = await load();
    fill(box, ...(Array.isArray(r) ? r : [r]));
  } catch (e) {
    const err = /** @type {import('./api.js').ApiError} */ (e);
    fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
  }
}

/**
 * A transaction fetched by serial, or a refusal shown next to the field.
 * @param {string} serial
 */
export function fetchTxn(serial) {
  return api('GET', `/api/transactions/${encodeURIComponent(serial.padStart(10, '0'))}`);
}

/** yyyymmdd of a moment in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiDate(/** @type {number} */ ms) {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}
