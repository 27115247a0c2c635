import { api } from './api.js';
import { loadInto, TXN_HEADS, table, txnRow } from './console-kit.js';
import { runAction, txnScreen } from './console-txn.js';
import { bi, biOf, fill, h, messageBox, title } from './dom.js';

const SERVICE = 'power-card';

/**
 * Electricity-card purchases not yet confirmed (电卡未确认): each open `power-card` transaction with
 * what the kiosk is doing about it and, on its row, the actions its state allows — 购电补确认 while
 * HQ has not acknowledged the write, 账务撤销 while the card has not come back, 撤销补确认 for a
 * reversal. A teller sees their own; a supervisor the station's.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function powerCardScreen(shell) {
  return (view) => {
    const box = messageBox();
    const body = h('div', { class: 'power-card' });
    fill(view.main, title('电卡未确认', 'Unconfirmed card purchases'), box, body);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      primary: {
        zh: '刷新',
        en: 'Refresh',
        id: 'act-refresh',
        run: () => view.nav.go(powerCardScreen(shell)),
      },
    });
    void loadInto(body, async () => {
      const [pending, svc] = await Promise.all([
        api('GET', '/api/pending'),
        api('GET', `/api/services/${SERVICE}`),
      ]);
      const open = (pending.items ?? []).filter((/** @type {any} */ t) => t.service === SERVICE);
      if (open.length === 0)
        return h('p', { 'data-k': 'none' }, bi('没有未确认的电卡购电', 'No unconfirmed card purchase'));
      return table(
        [...TXN_HEADS, { zh: '进展', en: 'Progress' }, { zh: '操作', en: 'Actions' }],
        open.map((/** @type {any} */ t) => [
          ...txnRow(t),
          h(
            'span',
            { class: 'doing' },
            t.status?.zh ?? '',
            ...(t.status?.alerts ?? []).map((/** @type {any} */ a) =>
              h('strong', { class: 'alert' }, biOf(a)),
            ),
          ),
          h(
            'span',
            { class: 'row-actions' },
            ...(svc.actions ?? [])
              .filter((/** @type {any} */ a) => !a.confirmFields?.length && a.from?.includes(t.state))
              .map((/** @type {any} */ a) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn small',
                    'data-action': a.name,
                    'data-serial': t.serial,
                    onclick: () =>
                      runAction(t.serial, a.name, box).then(
                        () => view.nav.go(powerCardScreen(shell)),
                        () => undefined,
                      ),
                  },
                  biOf(a.title),
                ),
              ),
            h(
              'button',
              {
                type: 'button',
                class: 'btn small secondary',
                'data-open': t.serial,
                onclick: () => view.nav.go(txnScreen(shell, t.serial, () => powerCardScreen(shell))),
              },
              bi('详情', 'Details'),
            ),
          ),
        ]),
        'pending',
      );
    });
  };
}
