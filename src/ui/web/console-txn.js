import { api } from './api.js';
import { fetchTxn, loadInto } from './console-kit.js';
import { reprintView } from './console-reprint.js';
import { reverseConfirm } from './console-reverse.js';
import { bi, biOf, dl, fill, h, messageBox, title } from './dom.js';

/**
 * One transaction as the operator sees it (masked), with what the kiosk is doing about it and the
 * actions it allows: reversal (with the original number and amount entered again) and reprint.
 * @param {import('./shell.js').Shell} shell
 * @param {string} serial
 * @param {() => import('./shell.js').Screen} back
 * @returns {import('./shell.js').Screen}
 */
export function txnScreen(shell, serial, back) {
  return (view) => {
    const box = messageBox();
    const body = h('div', { class: 'txn' });
    fill(view.main, title(`交易 ${serial}`, `Transaction ${serial}`), box, body);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) }, home: true });
    void loadInto(body, async () => {
      const t = await fetchTxn(serial);
      const svc = await api('GET', `/api/services/${encodeURIComponent(t.service)}`);
      const rev = (svc.actions ?? []).find((/** @type {any} */ a) => a.name === 'reverse');
      // The other actions the transaction allows in its state (e.g. 购电补确认, 账务撤销): one tap each.
      const now = (svc.actions ?? []).filter(
        (/** @type {any} */ a) =>
          a.name !== 'reverse' && !a.confirmFields?.length && a.from?.includes(t.state),
      );
      view.bar({
        back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) },
        home: true,
        extra: [
          ...now.map((/** @type {any} */ a) => ({
            zh: a.title.zh,
            en: a.title.en,
            id: `act-${a.name}`,
            run: () =>
              runAction(t.serial, a.name, box).then(() => view.nav.go(txnScreen(shell, serial, back))),
          })),
          {
            zh: '补打收据',
            en: 'Reprint',
            id: 'act-reprint',
            run: () => view.nav.go(reprintView(shell, t.serial, () => txnScreen(shell, serial, back))),
          },
        ],
        primary: rev
          ? {
              zh: '撤销',
              en: 'Reverse',
              id: 'act-reverse',
              run: () => view.nav.go(reverseConfirm(shell, t, svc, rev)),
            }
          : null,
      });
      return [
        dl([
          [{ zh: '业务', en: 'Service' }, t.serviceName.zh],
          [{ zh: '状态', en: 'State' }, biOf(t.stateLabel), 'state'],
          [{ zh: '进展', en: 'Progress' }, t.status?.zh ?? ''],
          [{ zh: '日期时间', en: 'Date, time' }, `${t.businessDate} ${t.time}`],
          [{ zh: '柜员', en: 'Operator' }, t.operator ?? '自助 self-service'],
          ...Object.entries(t.fields ?? {}).map(
            ([k, v]) => /** @type {[{ zh: string, en: string }, string]} */ ([{ zh: k, en: k }, String(v)]),
          ),
          [{ zh: '合计', en: 'Total' }, `￥${t.total}`, 'total'],
        ]),
        t.reason ? h('p', { class: 'reason' }, biOf(t.reason)) : null,
        ...(t.status?.alerts ?? []).map((/** @type {any} */ a) => h('p', { class: 'alert' }, biOf(a))),
      ];
    });
  };
}

/**
 * Runs an action that needs nothing entered again; a refusal is shown in `box` in words.
 * @param {string} serial
 * @param {string} name
 * @param {HTMLElement} box
 */
export async function runAction(serial, name, box) {
  try {
    await api(
      'POST',
      `/api/transactions/${encodeURIComponent(serial)}/actions/${encodeURIComponent(name)}`,
      {},
    );
  } catch (e) {
    const err = /** @type {import('./api.js').ApiError} */ (e);
    fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
    throw e;
  }
}
