import { api, streamQuery } from './api.js';
import { TXN_HEADS, table, txnRow } from './console-kit.js';
import { txnScreen } from './console-txn.js';
import { bi, biOf, fill, h, messageBox, title } from './dom.js';

/**
 * Transactions not final yet, what the kiosk is doing about each, and the alerts (unknown for 30
 * minutes, unresolved at the day cut, game errors). The list follows the kiosk live; each row
 * opens the transaction with the actions it allows.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function pendingScreen(shell) {
  return (view) => {
    const box = messageBox();
    const list = h('div', { class: 'pending-list' });
    fill(view.main, title('待处理与告警', 'Pending and alerts'), box, list);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.home() } });
    const draw = async () => {
      try {
        const r = await api('GET', '/api/pending');
        const open = r.items;
        const alerted = r.alerted;
        const rows = (/** @type {any[]} */ items) =>
          items.map((t) => {
            const row = txnRow(t);
            row.push(
              h(
                'span',
                { class: 'doing' },
                t.status?.zh ?? '',
                ...(t.status?.alerts ?? []).map((/** @type {any} */ a) =>
                  h('strong', { class: 'alert' }, biOf(a)),
                ),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn small',
                  'data-open': t.serial,
                  onclick: () => view.nav.go(txnScreen(shell, t.serial, () => pendingScreen(shell))),
                },
                bi('处理', 'Open'),
              ),
            );
            return row;
          });
        const heads = [...TXN_HEADS, { zh: '进展', en: 'Progress' }, { zh: '操作', en: 'Action' }];
        fill(
          list,
          h('h2', {}, bi(`未完成 ${open.length} 笔`, `${open.length} not final`)),
          open.length
            ? table(heads, rows(open), 'pending')
            : h('p', { 'data-k': 'none-open' }, bi('没有待处理的交易', 'Nothing pending')),
          h('h2', {}, bi(`今日告警 ${alerted.length} 笔`, `${alerted.length} alerted today`)),
          alerted.length ? table(heads, rows(alerted), 'alerted') : null,
        );
      } catch (e) {
        fill(box, h('p', { class: 'error' }, bi(/** @type {any} */ (e).zh, /** @type {any} */ (e).en)));
      }
    };
    void draw();
    const stream = new EventSource(`/api/events?${streamQuery()}`);
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let t;
    const soon = () => {
      clearTimeout(t);
      t = setTimeout(draw, 300);
    };
    stream.addEventListener('txn', soon);
    stream.addEventListener('alert', soon);
    return () => {
      stream.close();
      clearTimeout(t);
    };
  };
}
