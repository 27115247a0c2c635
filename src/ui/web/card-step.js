import { api } from './api.js';
import { bi, biOf, dl, fill, h, messageBox, title } from './dom.js';
import { customerReason } from './problems.js';

/**
 * The card step of a service whose fields come from the customer's card (the electricity card):
 * the screen asks for the card, reads it (`GET /api/card`) and shows it masked — the screen never
 * sees the full numbers; the kiosk fills them from the card in the reader, named by the read's
 * `cardToken`. The reader is read again while the step is shown, so a card pulled or swapped is
 * seen at once; only the latest read's token goes on.
 *
 * @typedef {{ cardSerial: string, customerNo: string, purchaseCounter?: number, pendingUnits?: number,
 *   totalUnits?: number }} CardShown
 * @typedef {{ token: string, card: CardShown }} CardRead
 * @typedef {{ present: boolean, card: CardShown | null, cardToken?: string,
 *   reason?: { code: string, zh: string, en: string } }} CardAnswer
 */

/** How often the reader is read again while the step is shown, ms. */
const READ_EVERY_MS = 1_500;

/** Names of a service's fields the kiosk fills from the card. */
export function cardFieldsOf(/** @type {{ fields: Array<{ name: string, fromCard?: boolean }> }} */ service) {
  return service.fields.filter((f) => f.fromCard).map((f) => f.name);
}

/** Centi-kWh as kWh with two decimals (integers only: units are never floats). */
export function kwh(/** @type {number} */ units) {
  return `${Math.floor(units / 100)}.${String(units % 100).padStart(2, '0')} kWh`;
}

/**
 * True when a refusal is about the card (its token is stale, the card was pulled or swapped, or
 * the card has an open purchase): the customer goes back to the card step.
 * @param {{ name: string, fromCard?: boolean }[]} fields
 * @param {import('./api.js').ApiError} err
 */
export function isCardProblem(fields, err) {
  const names = new Set(['cardToken', ...fields.filter((f) => f.fromCard).map((f) => f.name)]);
  return [err.field, ...err.issues.map((p) => p.field)].some((n) => n !== undefined && names.has(n));
}

/**
 * @param {import('./flow.js').Flow} flow
 * @param {{ zh: string, en: string }[]} problems why the customer is back here (shown first)
 * @param {(view: import('./shell.js').View) => void} onRead goes on with the card read
 * @returns {import('./shell.js').Screen}
 */
export function cardScreen(flow, problems, onRead) {
  return (view) => {
    view.step(1);
    const box = messageBox();
    const state = h('div', { class: 'card-state', 'data-k': 'card-state', 'aria-live': 'polite' });
    fill(
      view.main,
      title(flow.service.title.zh, flow.service.title.en),
      box,
      h(
        'p',
        { class: 'note big-note' },
        bi('请将电卡插入读卡器', 'Insert your electricity card into the reader'),
      ),
      state,
    );
    if (problems.length > 0)
      fill(box, ...problems.map((p) => h('p', { class: 'error', 'data-k': 'card-problem' }, biOf(p))));
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      primary: {
        zh: '下一步',
        en: 'Next',
        id: 'act-primary',
        disabled: true,
        run: () => {
          if (!flow.card) return;
          live = false;
          clearTimeout(timer);
          onRead(view);
        },
      },
    });
    let live = true;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let last = '';
    const show = (/** @type {string} */ key, /** @type {Node[]} */ ...kids) => {
      if (key === last) return;
      last = key;
      fill(state, ...kids);
    };
    const read = async () => {
      try {
        /** @type {CardAnswer} */
        const a = await api('GET', '/api/card');
        if (!live) return;
        if (a.present && a.card && a.cardToken) {
          flow.card = { token: a.cardToken, card: a.card };
          if (primary) primary.disabled = false;
          show(`card:${a.card.cardSerial}:${a.card.purchaseCounter}`, cardSummary(a.card));
        } else {
          flow.card = undefined;
          if (primary) primary.disabled = true;
          if (a.present)
            show(
              `wrong:${a.reason?.code}`,
              h(
                'p',
                { class: 'error', 'data-k': 'card-wrong' },
                biOf(a.reason ?? { zh: '无法读取此卡', en: 'this card cannot be read' }),
              ),
              h(
                'p',
                { class: 'note' },
                bi('请取出这张卡，插入电卡。', 'Take this card out and insert your electricity card.'),
              ),
            );
          else
            show(
              'absent',
              h('p', { class: 'busy', 'data-k': 'card-absent' }, bi('等待插卡…', 'Waiting for the card…')),
            );
        }
      } catch (e) {
        if (!live) return;
        flow.card = undefined;
        if (primary) primary.disabled = true;
        show(
          'error',
          h('p', { class: 'error', 'data-k': 'card-error' }, biOf(customerReason(/** @type {any} */ (e)))),
        );
      }
      if (live) timer = setTimeout(read, READ_EVERY_MS);
    };
    show(
      'reading',
      h('p', { class: 'busy', 'data-k': 'card-reading' }, bi('正在读卡…', 'Reading the card…')),
    );
    void read();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  };
}

/**
 * The card as the customer sees it: masked numbers, units bought and not yet in the meter.
 * @param {CardShown} card
 */
export function cardSummary(card) {
  return dl(
    [
      [{ zh: '用户号', en: 'Customer number' }, card.customerNo, 'customerNo'],
      [{ zh: '电卡卡号', en: 'Card number' }, card.cardSerial, 'cardSerial'],
      .../** @type {Array<[{ zh: string, en: string }, string, string]>} */ (
        typeof card.pendingUnits === 'number'
          ? [[{ zh: '卡内待输入电量', en: 'Units on the card' }, kwh(card.pendingUnits), 'pendingUnits']]
          : []
      ),
    ],
    'answer card-read',
  );
}
