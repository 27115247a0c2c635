import { api } from './api.js';
import { loadInto, table } from './console-kit.js';
import { bi, button, dl, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';

/** Integer fen as yuan with two decimals, sign kept (no float arithmetic). @param {number} fen */
export function yuanOfFen(fen) {
  const a = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.trunc(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** The calendar day before yyyymmdd. @param {string} d */
function dayBefore(d) {
  const t = new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)) - 1));
  return `${t.getUTCFullYear()}${String(t.getUTCMonth() + 1).padStart(2, '0')}${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** What a handover's difference means. @param {number} fen */
const differenceText = (fen) =>
  fen === 0
    ? bi('相符', 'matches')
    : fen < 0
      ? bi(`短款 ￥${yuanOfFen(-fen)}`, `short ￥${yuanOfFen(-fen)}`)
      : bi(`长款 ￥${yuanOfFen(fen)}`, `over ￥${yuanOfFen(fen)}`);

/**
 * 网点隔日扎账 (supervisor): the station's cash due of a business date — the day before by default,
 * as it is done the next morning — against the cash handed in, typed on the amount keypad; the
 * difference is recorded (journaled, sent to HQ) and every handover of that date listed.
 * @param {import('./shell.js').Shell} shell
 * @param {() => import('./shell.js').Screen} back
 * @param {string} [date]
 * @returns {import('./shell.js').Screen}
 */
export function handoverScreen(shell, back, date) {
  return (view) => {
    const box = messageBox();
    const head = h('div', { class: 'handover' });
    const list = h('div', { class: 'handovers' });
    let value = '';
    const field = entryField(
      {
        name: 'handedIn',
        zh: '实交现金',
        en: 'Cash handed in',
        required: true,
        sensitive: null,
        entry: { keypad: 'amount', maxLength: 10 },
      },
      {
        value,
        onChange: (v) => {
          value = v;
          if (primary) primary.disabled = v === '';
        },
      },
    );
    fill(view.main, title('网点隔日扎账', 'Station handover'), box, head, field.el, list);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) },
      primary: {
        zh: '记录交款',
        en: 'Record',
        id: 'act-handover',
        disabled: true,
        run: async () => {
          fill(box);
          try {
            const r = await api('POST', '/api/reports/handover', { date: chosen, handedIn: value });
            fill(
              box,
              h(
                'p',
                { class: r.differenceFen === 0 ? 'ok' : 'error', 'data-k': 'handed-over' },
                bi(
                  `已记录 ${r.businessDate}：应交 ￥${yuanOfFen(r.cashDueFen)}，实交 ￥${yuanOfFen(r.handedInFen)}`,
                  `Recorded ${r.businessDate}: due ￥${yuanOfFen(r.cashDueFen)}, handed in ￥${yuanOfFen(r.handedInFen)}`,
                ),
                differenceText(r.differenceFen),
              ),
            );
            await showList();
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            field.showErrors([{ zh: err.zh, en: err.en }]);
          }
        },
      },
    });
    /** @type {string} */
    let chosen = date ?? '';
    const showList = () =>
      loadInto(list, async () => {
        const r = await api('GET', `/api/reports/handover?date=${chosen}`);
        return r.handovers.length === 0
          ? h('p', { 'data-k': 'no-handover' }, bi('该日尚未交款', 'nothing handed in for this date yet'))
          : table(
              [
                { zh: '时间', en: 'Time' },
                { zh: '主管', en: 'By' },
                { zh: '应交', en: 'Due' },
                { zh: '实交', en: 'Handed in' },
                { zh: '差额', en: 'Difference' },
              ],
              r.handovers.map((/** @type {any} */ x) => [
                new Date(x.at + 8 * 3600_000).toISOString().slice(11, 19),
                x.by,
                `￥${yuanOfFen(x.cashDueFen)}`,
                `￥${yuanOfFen(x.handedInFen)}`,
                differenceText(x.differenceFen),
              ]),
              'handover-list',
            );
      });
    void loadInto(head, async () => {
      const today = (await api('GET', '/api/health')).businessDate;
      chosen ||= dayBefore(today);
      const d = await api('GET', `/api/reports/daily?from=${chosen}&to=${chosen}`);
      void showList();
      return [
        dl(
          [
            [{ zh: '账务日期', en: 'Business date' }, chosen, 'handover-date'],
            [{ zh: '网点现金应交', en: 'Station cash due' }, `￥${d.summary.cashDue}`, 'handover-due'],
          ],
          'quote compact',
        ),
        h(
          'div',
          { class: 'choice-row' },
          ...[
            { zh: '前一日', en: 'Day before', id: 'act-day-before', d: dayBefore(today) },
            { zh: '今日', en: 'Today', id: 'act-today', d: today },
          ].map((x) =>
            button(x.zh, x.en, () => view.nav.go(handoverScreen(shell, back, x.d)), 'secondary', {
              id: x.id,
              'aria-pressed': String(x.d === chosen),
            }),
          ),
        ),
      ];
    });
  };
}
