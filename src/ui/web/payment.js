import { api, sendOnce, streamQuery } from './api.js';
import { bi, biOf, detailRows, dl, fill, h } from './dom.js';
import { bodyOf, fieldScreen, refused, stepsOf } from './flow.js';
import { customerReason, isKioskProblem, unavailablePanel } from './problems.js';
import { qrSvg } from './qr.js';

/**
 * After "confirm" there is no way back until the result: one request, carrying the key the
 * confirmation made (a repeat after a lost answer is the same request), then the transaction
 * followed live. The screen says only what is true: a failure says nothing was charged and shows
 * no total; a pending one shows its serial (QR and number) and how to look it up; "完成" only once
 * final.
 *
 * @typedef {{ serial: string, serviceName: { zh: string, en: string }, state: string,
 *   stateLabel: { zh: string, en: string }, terminal: boolean, result: 'succeeded' | 'failed' | 'reversed' | null,
 *   amount: string, fee: string, total: string, reason: { zh: string, en: string } | null,
 *   status: { phase: 'final' | 'sending' | 'waiting' | 'working', zh?: string, en?: string },
 *   updatedAt?: number, details?: Array<{ zh: string, en: string, value: string, lead?: boolean }> }} TxnView
 * @typedef {import('./shell.js').View} View
 */

/**
 * @param {import('./flow.js').Flow} flow
 * @param {{ total: string }} quote
 * @param {string} key
 * @param {boolean} ticked
 * @returns {import('./shell.js').Screen}
 */
export function paymentScreen(flow, quote, key, ticked) {
  return (view) => {
    view.step(3);
    view.idle('hold');
    fill(
      view.main,
      h(
        'h1',
        { class: 'outcome working', 'data-outcome': 'submitting' },
        bi('正在提交，请稍候…', 'Submitting, please wait…'),
      ),
      h('p', {}, bi('请不要离开，结果马上就到。', 'Please stay; the result comes in a moment.')),
      dl([[{ zh: '合计', en: 'Total' }, `￥${quote.total}`, 'total']]),
    );
    let live = true;
    /** @type {(() => void) | undefined} */
    let stop;
    const path = `/api/services/${flow.service.id}/transactions`;
    sendOnce(() => api('POST', path, bodyOf(flow, ticked), { key })).then(
      (txn) => {
        if (live) stop = follow(view, txn, flow.mode);
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

/**
 * Refused before anything was sent: nothing was charged, and going back to fix it is honest.
 * @param {import('./flow.js').Flow} flow
 * @param {import('./api.js').ApiError} err
 * @returns {import('./shell.js').Screen}
 */
export function notDoneScreen(flow, err) {
  return (view) => {
    view.step(null);
    view.idle('hold');
    const kiosk = isKioskProblem(err);
    fill(
      view.main,
      h(
        'h1',
        { class: 'outcome failed', 'data-outcome': 'refused', tabindex: '-1' },
        bi('未能办理，没有扣款', 'Not done; nothing was charged'),
      ),
      kiosk
        ? unavailablePanel(customerReason(err), flow.mode.operator ? { zh: err.zh, en: err.en } : null)
        : h(
            'div',
            { class: 'reasons' },
            ...err.issues.map((p) => h('p', { class: 'error' }, bi(p.zh, p.en))),
          ),
    );
    const { names } = stepsOf(flow.service);
    view.bar({
      back: kiosk
        ? null
        : {
            zh: '返回修改',
            en: 'Back to edit',
            run: () => {
              if (!refused(view, flow, err, h('div'), null, -1))
                view.nav.go(fieldScreen(flow, names.length - 1));
            },
          },
      primary: { zh: '完成', en: 'Done', run: () => view.nav.home() },
    });
  };
}

/** Headlines by outcome; a transaction still open shows what the kiosk is doing. */
const HEADLINES = {
  succeeded: { zh: '办理成功', en: 'Done: payment succeeded' },
  failed: { zh: '未能办理，没有扣款', en: 'Not done; nothing was charged' },
  reversed: { zh: '已撤销，款项已退回', en: 'Reversed; the money was returned' },
  working: { zh: '正在办理，请稍候…', en: 'Processing, please wait…' },
  waiting: { zh: '结果尚未确定', en: 'The result is not known yet' },
};

/**
 * Draws a transaction and follows it over the event stream until it is final.
 * @param {View} view
 * @param {TxnView} first
 * @param {{ operator: boolean, lookup?: boolean }} mode `lookup`: a customer checking an earlier
 *   payment, free to leave at any time
 * @returns {() => void} stops following
 */
export function follow(view, first, mode) {
  let latest = first;
  let touched = false;
  const draw = (/** @type {TxnView} */ t) => {
    latest = t;
    const key = t.terminal && t.result ? t.result : t.status?.phase === 'waiting' ? 'waiting' : 'working';
    const head = HEADLINES[key];
    const final = t.terminal;
    // What the customer got: its identifying line (an e-ticket's number) takes the serial's place.
    const got = detailRows(t.details);
    view.step(final ? 4 : 3);
    fill(
      view.main,
      h('h1', { class: `outcome ${key}`, 'data-outcome': key, tabindex: '-1' }, biOf(head)),
      // Why a payment failed helps; why the kiosk is still asking (a timeout) is the kiosk's business.
      t.reason && key === 'failed' ? h('p', { class: 'reason' }, biOf(t.reason)) : null,
      h(
        'div',
        { class: 'result-grid' },
        dl([
          [{ zh: '业务', en: 'Service' }, t.serviceName.zh],
          ...got.lead,
          [{ zh: '流水号', en: 'Serial number' }, h('span', { class: 'serial', text: t.serial }), 'serial'],
          ...got.rest,
          // A failure charged nothing, so it shows no total.
          ...(key === 'failed'
            ? []
            : /** @type {Array<[{ zh: string, en: string }, string, string]>} */ ([
                [
                  { zh: key === 'succeeded' ? '已付' : '合计', en: key === 'succeeded' ? 'Paid' : 'Total' },
                  `￥${t.total}`,
                  'total',
                ],
              ])),
        ]),
        key === 'waiting' ? h('div', { class: 'qr', 'aria-hidden': 'true' }, qrSvg(t.serial)) : null,
      ),
      key === 'waiting'
        ? h(
            'p',
            { class: 'note' },
            bi(
              '服务亭会自动查询。请记下流水号或拍下二维码，稍后点首页“查询我的缴费”。',
              'The kiosk keeps asking. Note the serial or photograph the code; check it later under "Look up my payment".',
            ),
          )
        : key === 'working'
          ? h('p', { class: 'note' }, bi('请不要离开。', 'Please stay.'))
          : key === 'failed'
            ? h(
                'p',
                { class: 'note' },
                bi('您没有被扣款，可以重新办理。', 'You were not charged; you may try again.'),
              )
            : null,
    );
    // Nothing to tap while a request is out; "完成" only once final.
    view.bar(
      final
        ? { primary: { zh: '完成', en: 'Done', id: 'act-done', run: () => view.nav.home() } }
        : key === 'waiting'
          ? {
              primary: {
                zh: '已记下，返回首页',
                en: 'Noted; back to start',
                id: 'act-noted',
                run: () => view.nav.home(),
              },
            }
          : mode.lookup
            ? { home: true }
            : {},
    );
    // A result is read once the customer touches the screen; until then nothing resets it.
    view.idle(mode.lookup || (final && touched) ? 'reset' : 'hold');
  };
  const onTouch = () => {
    touched = true;
    if (latest.terminal) view.idle('reset');
  };
  view.main.addEventListener('pointerdown', onTouch);
  draw(first);
  if (first.terminal) return () => view.main.removeEventListener('pointerdown', onTouch);
  // A customer's stream opens with the token the creation (or the lookup) answered; an operator's with theirs.
  const follow = /** @type {{ follow?: string }} */ (first).follow;
  const q = [
    `serial=${encodeURIComponent(first.serial)}`,
    follow ? `follow=${encodeURIComponent(follow)}` : '',
    streamQuery(),
  ]
    .filter(Boolean)
    .join('&');
  const stream = new EventSource(`/api/events?${q}`);
  const update = (/** @type {TxnView} */ t) => {
    if (!t || t.serial !== first.serial || (latest.terminal && !t.terminal)) return;
    if (t.updatedAt !== undefined && latest.updatedAt !== undefined && t.updatedAt < latest.updatedAt) return;
    draw(t);
    if (t.terminal) stream.close();
  };
  stream.addEventListener('txn', (ev) => {
    try {
      update(JSON.parse(/** @type {MessageEvent} */ (ev).data).transaction);
    } catch {
      // A frame that is not JSON is skipped; the next one or the read below brings the state.
    }
  });
  // What happened before the stream was open is read once it is.
  stream.addEventListener('open', () => {
    api('GET', `/api/transactions/${encodeURIComponent(first.serial)}`).then(update, () => {});
  });
  return () => {
    stream.close();
    view.main.removeEventListener('pointerdown', onTouch);
  };
}
