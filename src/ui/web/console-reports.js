import { api } from './api.js';
import { dailyScreen, dateScreen } from './console-daily.js';
import { handoverScreen } from './console-handover.js';
import { loadInto } from './console-kit.js';
import { reconcileScreen } from './console-reconcile.js';
import { printedEn, printedZh, settlementView } from './console-settlement-view.js';
import { tellersScreen } from './console-tellers.js';
import { bi, fill, h, messageBox, title } from './dom.js';

/**
 * Settlement and reports (扎账与报表). The operator's settlement of today (a teller's own, a
 * supervisor's the station's: the scope is the server's), recorded and printed with one tap; the
 * daily report (营业日报) of today, of a past business date, or over a range of dates, each printable.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function reportsScreen(shell) {
  /** Where the screens opened from here go back to. */
  const back = () => reportsScreen(shell);
  return (view) => {
    const box = messageBox();
    const body = h('div', { class: 'reports' });
    const more = h(
      'div',
      { class: 'choice-row' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary',
          'data-go': 'daily-today',
          onclick: () => view.nav.go(dailyScreen({}, back)),
        },
        bi('今日营业日报', "Today's daily report"),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary',
          'data-go': 'daily-date',
          onclick: () => view.nav.go(dateScreen('date', back)),
        },
        bi('历史日报', 'Report of a date'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary',
          'data-go': 'daily-range',
          onclick: () => view.nav.go(dateScreen('from', back)),
        },
        bi('按日期范围', 'Over a range'),
      ),
    );
    const supervisor = shell.operator?.role === 'supervisor';
    // A supervisor also hands the station's cash over the next day and reads any teller's report.
    const forSupervisor = supervisor
      ? h(
          'div',
          { class: 'choice-row' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary',
              'data-go': 'handover',
              onclick: () => view.nav.go(handoverScreen(shell, back)),
            },
            bi('网点隔日扎账', 'Station handover'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary',
              'data-go': 'teller-reports',
              onclick: () => view.nav.go(tellersScreen(back)),
            },
            bi('柜员报表', "A teller's report"),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary',
              'data-go': 'reconcile',
              onclick: () => view.nav.go(reconcileScreen(shell, back)),
            },
            bi('信用卡对账', 'Card reconciliation'),
          ),
        )
      : null;
    fill(view.main, title('扎账与报表', 'Settlement and reports'), box, more, forSupervisor, body);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      primary: {
        zh: '扎账并打印',
        en: 'Settle and print',
        id: 'act-settle',
        run: async () => {
          try {
            const r = await api('POST', '/api/reports/settlement', {});
            fill(
              box,
              h(
                'p',
                { class: 'ok', 'data-k': 'settled' },
                bi(
                  `已扎账 第 ${r.record.id} 号，现金应有 ￥${r.cashDue}${printedZh(r.printed)}`,
                  `Settled, no. ${r.record.id}; cash due ￥${r.cashDue}${printedEn(r.printed)}`,
                ),
              ),
            );
            fill(body, settlementView(r));
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
          }
        },
      },
    });
    void loadInto(body, async () => settlementView(await api('GET', '/api/reports/settlement')));
  };
}
