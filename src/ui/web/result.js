import { api } from './api.js';
import { bi, button, fill, h } from './dom.js';

/**
 * @typedef {{ serial: string, serviceName: { zh: string, en: string }, state: string,
 *   stateLabel: { zh: string, en: string }, terminal: boolean, result: 'succeeded' | 'failed' | 'reversed' | null,
 *   amount: string, fee: string, total: string, reason: { zh: string, en: string } | null,
 *   status: { phase: 'final' | 'sending' | 'waiting' | 'working' } }} TxnView
 */

/** Headlines by outcome; a transaction still open shows its own state label below. */
const HEADLINES = {
  succeeded: { zh: '办理成功', en: 'Payment succeeded' },
  failed: { zh: '办理未成功，款项未扣', en: 'Not completed; nothing was charged' },
  reversed: { zh: '已撤销', en: 'Reversed' },
  working: { zh: '正在办理，请稍候…', en: 'Processing, please wait…' },
  waiting: { zh: '处理中，稍后自动查询', en: 'pending, the kiosk keeps asking' },
};

/**
 * The result of a payment, followed live over the kiosk's event stream (`txn` events of this
 * serial) until it is final. A transaction the kiosk waits on is left to its automatic queries.
 * Amounts and fields come masked from the kiosk; nothing typed is shown again.
 * @param {import('./screens.js').Nav} nav
 * @param {TxnView} first the transaction as created
 * @returns {import('./screens.js').Screen}
 */
export function resultScreen(nav, first) {
  return (el) => {
    const body = h('div', { class: 'result' });
    let latest = first;
    /** @param {TxnView} t */
    const draw = (t) => {
      latest = t;
      const key = t.terminal && t.result ? t.result : t.status?.phase === 'waiting' ? 'waiting' : 'working';
      const head = HEADLINES[key];
      fill(
        body,
        h('h1', { class: `outcome ${key}`, 'data-outcome': key }, bi(head.zh, head.en)),
        h('p', { class: 'state' }, bi(t.stateLabel.zh, t.stateLabel.en)),
        t.reason ? h('p', { class: 'reason' }, bi(t.reason.zh, t.reason.en)) : null,
        h(
          'dl',
          { class: 'quote' },
          h('dt', {}, bi('流水号', 'Serial number')),
          h('dd', { class: 'serial', 'data-k': 'serial', text: t.serial }),
          h('dt', {}, bi('业务', 'Service')),
          h('dd', {}, bi(t.serviceName.zh, t.serviceName.en)),
          h('dt', { class: 'total' }, bi('合计', 'Total')),
          h('dd', { class: 'money total', text: `￥${t.total}` }),
        ),
        t.terminal
          ? h(
              'p',
              { class: 'receipt' },
              bi('收据正在打印，请取走收据', 'Your receipt is printing; please take it'),
            )
          : key === 'waiting'
            ? h(
                'p',
                { class: 'receipt' },
                bi(
                  '结果确定后将自动打印收据，请凭流水号查询',
                  'A receipt prints once the result is known; keep the serial number',
                ),
              )
            : null,
      );
    };
    draw(first);
    fill(
      el,
      body,
      h(
        'div',
        { class: 'actions' },
        button('完成，返回首页', 'Done, back to start', nav.home, 'primary done'),
      ),
    );
    if (first.terminal) return;

    const stream = new EventSource(`/api/events?serial=${encodeURIComponent(first.serial)}`);
    /** @param {TxnView} t */
    const update = (t) => {
      if (!t || t.serial !== first.serial || (latest.terminal && !t.terminal)) return;
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
    return () => stream.close();
  };
}
