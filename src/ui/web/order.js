import { api, sendOnce } from './api.js';
import { bi, biOf, detailRows, dl, fill, h } from './dom.js';
import { bodyOf } from './flow.js';
import { notDoneScreen } from './payment.js';
import { qrSvg } from './qr.js';

/**
 * A customer's order: nothing is paid to the biller before the customer has paid — at the counter
 * (the operator confirms the cash) or by QR through HQ's acquirer. The order is placed once, with
 * the key the confirmation made, and followed live until it is final; the screen offers no way
 * back meanwhile, only cancelling an order not yet paid.
 *
 * @typedef {{ id: string, number: string, tender: 'counter' | 'qr', status: string,
 *   statusLabel: { zh: string, en: string }, message: { zh: string, en: string } | null, final: boolean,
 *   serviceName: { zh: string, en: string }, total: string, expiresAt: number | null, serial: string | null,
 *   qr: { payload: string, expiresAt: number } | null, reason: { zh: string, en: string } | null,
 *   refund: unknown, updatedAt: number, transaction?: { state: string, terminal: boolean,
 *   stateLabel: { zh: string, en: string, customer?: { zh: string, en: string, mayLeave?: boolean } },
 *   details?: Array<{ zh: string, en: string, value: string, lead?: boolean }> } | null }} Order
 */

/**
 * @param {import('./flow.js').Flow} flow
 * @param {{ total: string }} quote
 * @param {string} key
 * @param {boolean} ticked
 * @param {'counter' | 'qr'} tender
 * @returns {import('./shell.js').Screen}
 */
export function orderScreen(flow, quote, key, ticked, tender) {
  return (view) => {
    view.step(3);
    view.idle('hold');
    fill(
      view.main,
      h(
        'h1',
        { class: 'outcome working', 'data-outcome': 'submitting' },
        bi('正在下单，请稍候…', 'Placing the order…'),
      ),
      dl([[{ zh: '合计', en: 'Total' }, `￥${quote.total}`, 'total']]),
    );
    let live = true;
    /** @type {(() => void) | undefined} */
    let stop;
    const body = { service: flow.service.id, fields: bodyOf(flow, ticked), tender, idempotencyKey: key };
    sendOnce(() => api('POST', '/api/orders', body, { key })).then(
      (order) => {
        if (live) stop = followOrder(view, order, { card: Boolean(flow.card) });
      },
      (e) => {
        if (live) view.nav.go(notDoneScreen(flow, /** @type {import('./api.js').ApiError} */ (e)));
      },
    );
    return () => {
      live = false;
      stop?.();
    };
  };
}

/** Headlines by order status. */
const HEAD = {
  'awaiting-payment': { zh: '请付款', en: 'Please pay' },
  paid: { zh: '已收到付款，正在办理', en: 'Paid; processing' },
  processing: { zh: '已收到付款，正在办理', en: 'Paid; processing' },
  pending: { zh: '结果尚未确定', en: 'The result is not known yet' },
  succeeded: { zh: '办理成功', en: 'Done: payment succeeded' },
  // Only an order paid at the counter ends `failed` (a QR one is refunded): the message under it
  // says to collect the cash there.
  failed: { zh: '未能办理', en: 'Not done' },
  expired: { zh: '订单已过期，没有扣款', en: 'The order expired; nothing was charged' },
  cancelled: { zh: '订单已取消，没有扣款', en: 'The order was cancelled; nothing was charged' },
  refunding: { zh: '未能办理，正在退款', en: 'Not done; your money is being refunded' },
  refunded: { zh: '未能办理，款项已退回', en: 'Not done; your money was refunded' },
};

/**
 * What the total is to the customer now: paid, being paid back, paid back, or still to pay.
 * @param {string} status
 */
const totalLabel = (status) =>
  ['succeeded', 'paid', 'processing', 'pending'].includes(status)
    ? { zh: '已付', en: 'Paid' }
    : status === 'refunding'
      ? { zh: '退款中', en: 'Being refunded' }
      : status === 'refunded'
        ? { zh: '已退回', en: 'Refunded' }
        : { zh: '应付', en: 'To pay' };

/** @param {number} ms */
const mmss = (ms) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * Draws an order and follows it (its own event stream, and a read once the stream is open).
 * @param {import('./shell.js').View} view
 * @param {Order} first
 * @param {{ lookup?: boolean, card?: boolean }} [opts] `lookup`: a customer checking an earlier order,
 *   free to leave; `card`: the customer's card is in the reader for this order
 * @returns {() => void}
 */
export function followOrder(view, first, opts = {}) {
  let latest = first;
  let touched = false;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let tick;
  const draw = (/** @type {Order} */ o) => {
    latest = o;
    clearInterval(tick);
    // What the customer must do in the transaction's state (keep the card in, bring it back).
    const doing = o.transaction?.stateLabel?.customer;
    // Waiting on the customer's card is not an unknown result: the screen says what to do.
    const waiting = o.status === 'pending' && !(doing && !doing.mayLeave);
    const status = /** @type {keyof typeof HEAD} */ (
      o.status === 'pending' && !waiting ? 'processing' : o.status
    );
    const head = HEAD[status] ?? o.statusLabel;
    const waitingPay = o.status === 'awaiting-payment';
    const good = o.status === 'succeeded';
    const bad = ['failed', 'expired', 'cancelled', 'refunding', 'refunded'].includes(o.status);
    const cls = good ? 'succeeded' : bad ? 'failed' : waiting ? 'waiting' : 'working';
    // What the customer got: its identifying line (an e-ticket's number) comes first.
    const got = detailRows(good ? o.transaction?.details : undefined);
    view.step(o.final ? 4 : 3);
    const left = h('strong', { class: 'countdown', 'data-k': 'expires' });
    // Counted from the kiosk's own times (expiry less the last change), so a screen whose clock
    // differs from the kiosk's still shows the right time left.
    const until = o.qr?.expiresAt ?? o.expiresAt;
    const since = performance.now();
    const drawLeft = () => {
      if (until) left.textContent = mmss(until - o.updatedAt - (performance.now() - since));
    };
    fill(
      view.main,
      h('h1', { class: `outcome ${cls}`, 'data-outcome': `order-${o.status}`, tabindex: '-1' }, biOf(head)),
      doing ? h('p', { class: 'note big-note', 'data-k': 'card-step' }, biOf(doing)) : null,
      // A failure paid at the counter: the cash is collected there (the message says so).
      o.message && (!o.final || o.status === 'failed') ? h('p', { class: 'note' }, biOf(o.message)) : null,
      o.reason && bad ? h('p', { class: 'reason' }, biOf(o.reason)) : null,
      h(
        'div',
        { class: 'result-grid' },
        dl([
          [{ zh: '业务', en: 'Service' }, o.serviceName.zh],
          ...got.lead,
          [{ zh: '订单号', en: 'Order number' }, h('span', { class: 'order-no', text: o.number }), 'order'],
          ...(o.serial
            ? /** @type {Array<[{ zh: string, en: string }, Node, string]>} */ ([
                [
                  { zh: '流水号', en: 'Serial number' },
                  h('span', { class: 'serial', text: o.serial }),
                  'serial',
                ],
              ])
            : []),
          // Nothing was charged on a failure, so no total is shown then.
          ...(bad && o.status !== 'refunding' && o.status !== 'refunded'
            ? []
            : /** @type {Array<[{ zh: string, en: string }, string, string]>} */ ([
                [totalLabel(o.status), `￥${o.total}`, 'total'],
              ])),
          ...(waitingPay
            ? /** @type {Array<[{ zh: string, en: string }, Node, string]>} */ ([
                [{ zh: '剩余时间', en: 'Time left' }, left, 'left'],
              ])
            : []),
          ...got.rest,
        ]),
        waitingPay && o.tender === 'qr' && o.qr
          ? h('div', { class: 'qr pay-qr', 'data-k': 'pay-qr' }, qrSvg(o.qr.payload))
          : waiting && o.serial
            ? h('div', { class: 'qr', 'aria-hidden': 'true' }, qrSvg(o.serial))
            : null,
      ),
      waitingPay && opts.card
        ? h(
            'p',
            { class: 'note', 'data-k': 'card-stay' },
            bi(
              '付款期间电卡请留在读卡器中，付款后自动写卡。',
              'Leave the card in the reader while you pay; it is written once paid.',
            ),
          )
        : null,
      waitingPay && o.tender === 'counter'
        ? h(
            'p',
            { class: 'note big-note' },
            bi(
              `请到柜台报订单号 ${o.number} 并付款，收款后自动办理。`,
              `Tell the counter order number ${o.number} and pay there; it runs once they take the cash.`,
            ),
          )
        : null,
      waiting
        ? h(
            'p',
            { class: 'note' },
            bi(
              '服务亭会自动查询。请记下流水号，稍后点首页“查询我的缴费”。',
              'The kiosk keeps asking. Note the serial; check it later under "Look up my payment".',
            ),
          )
        : null,
    );
    if (waitingPay) {
      drawLeft();
      tick = setInterval(drawLeft, 1000);
    }
    view.bar(
      o.final
        ? { primary: { zh: '完成', en: 'Done', id: 'act-done', run: () => view.nav.home() } }
        : waitingPay && !opts.lookup
          ? {
              back: {
                zh: '取消订单',
                en: 'Cancel order',
                id: 'act-cancel',
                run: async () => {
                  try {
                    draw(await api('POST', `/api/orders/${encodeURIComponent(o.id)}/cancel`, {}));
                  } catch {
                    // Paid meanwhile: the stream brings the new state.
                  }
                },
              },
            }
          : waiting || opts.lookup
            ? {
                primary: {
                  zh: '已记下，返回首页',
                  en: 'Noted; back to start',
                  id: 'act-noted',
                  run: () => view.nav.home(),
                },
              }
            : {},
    );
    view.idle(opts.lookup || (o.final && touched) ? 'reset' : 'hold');
  };
  const onTouch = () => {
    touched = true;
    if (latest.final) view.idle('reset');
  };
  view.main.addEventListener('pointerdown', onTouch);
  draw(first);
  // The token the order's creation (or the lookup) answered opens this one order's stream.
  const follow = /** @type {{ follow?: string }} */ (first).follow;
  const stream = new EventSource(
    `/api/events?order=${encodeURIComponent(first.id)}${follow ? `&follow=${encodeURIComponent(follow)}` : ''}`,
  );
  const update = (/** @type {Order} */ o) => {
    if (!o || o.id !== first.id || (latest.final && !o.final)) return;
    if (o.updatedAt < latest.updatedAt) return;
    draw(o);
    if (o.final) stream.close();
    // The order's own frames carry no transaction: its last state (what the card holds) is read.
    if (o.final && o.serial && !o.transaction) void read();
  };
  const read = () => api('GET', `/api/orders/${encodeURIComponent(first.id)}`).then(update, () => {});
  stream.addEventListener('order', (ev) => {
    try {
      update(JSON.parse(/** @type {MessageEvent} */ (ev).data).order);
    } catch {
      // Skipped; the read below brings the state.
    }
  });
  // The order's own frames carry its status; its transaction's frames are a cue to read it again.
  stream.addEventListener('txn', () => void read());
  stream.addEventListener('open', () => void read());
  return () => {
    stream.close();
    clearInterval(tick);
    view.main.removeEventListener('pointerdown', onTouch);
  };
}
