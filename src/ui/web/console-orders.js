import { api, streamQuery } from './api.js';
import { table } from './console-kit.js';
import { bi, fill, h, messageBox, title } from './dom.js';

/**
 * Counter orders: customers' self-service orders waiting for their cash. Taking the cash starts
 * the transaction under this operator (journaled with them); an order can also be cancelled.
 * The list follows the kiosk live.
 * @param {import('./shell.js').Shell} _shell
 * @returns {import('./shell.js').Screen}
 */
export function ordersScreen(_shell) {
  return (view) => {
    const box = messageBox();
    const list = h('div', { class: 'orders' }, h('p', { class: 'busy' }, bi('正在加载…', 'Loading…')));
    fill(view.main, title('柜台订单（待收款）', 'Counter orders awaiting cash'), box, list);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.home() } });
    const act = async (
      /** @type {string} */ id,
      /** @type {'cash-received' | 'cancel'} */ what,
      /** @type {string} */ no,
    ) => {
      try {
        const o = await api('POST', `/api/orders/${encodeURIComponent(id)}/${what}`, {});
        fill(
          box,
          h(
            'p',
            { class: 'ok', 'data-k': 'order-done' },
            what === 'cancel'
              ? bi(`订单 ${no} 已取消`, `Order ${no} cancelled`)
              : bi(
                  `订单 ${no} 已收款，开始办理${o.serial ? `（流水号 ${o.serial}）` : ''}`,
                  `Order ${no}: cash taken, running${o.serial ? ` (serial ${o.serial})` : ''}`,
                ),
          ),
        );
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        fill(box, h('p', { class: 'error' }, bi(`订单 ${no}：${err.zh}`, `Order ${no}: ${err.en}`)));
      }
      await draw();
    };
    const draw = async () => {
      try {
        const r = await api('GET', '/api/orders?status=awaiting-payment');
        const items = (r.items ?? r.orders ?? []).filter((/** @type {any} */ o) => o.tender === 'counter');
        fill(
          list,
          items.length === 0
            ? h('p', { 'data-k': 'no-orders' }, bi('没有待收款的订单', 'No order is waiting for cash'))
            : table(
                [
                  { zh: '订单号', en: 'Order' },
                  { zh: '业务', en: 'Service' },
                  { zh: '应收', en: 'To take' },
                  { zh: '', en: '' },
                ],
                items.map((/** @type {any} */ o) => [
                  h('strong', { class: 'order-no', text: o.number }),
                  o.serviceName.zh,
                  h('strong', { text: `￥${o.total}` }),
                  h(
                    'span',
                    { class: 'row-actions' },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn small primary-ish',
                        'data-cash': o.number,
                        onclick: () => act(o.id, 'cash-received', o.number),
                      },
                      bi('已收现金', 'Cash taken'),
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'btn small',
                        'data-cancel': o.number,
                        onclick: () => act(o.id, 'cancel', o.number),
                      },
                      bi('取消', 'Cancel'),
                    ),
                  ),
                ]),
                'orders-table',
              ),
        );
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
      }
    };
    void draw();
    const stream = new EventSource(`/api/events?${streamQuery()}`);
    stream.addEventListener('order', () => void draw());
    return () => stream.close();
  };
}
