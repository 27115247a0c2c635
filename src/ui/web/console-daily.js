import { api } from './api.js';
import { loadInto, table } from './console-kit.js';
import { printedEn, printedZh, rowsTable } from './console-settlement-view.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';

/**
 * The daily report of one business date or a range (none: today), with a print action.
 * @param {{ from?: string, to?: string, operator?: string }} range
 * @param {() => import('./shell.js').Screen} back
 * @returns {import('./shell.js').Screen}
 */
export function dailyScreen(range, back) {
  return (view) => {
    const box = messageBox();
    const body = h('div', { class: 'daily' });
    fill(view.main, title('营业日报', 'Daily report'), box, body);
    const q = new URLSearchParams();
    if (range.from) q.set('from', range.from);
    if (range.to) q.set('to', range.to);
    // A supervisor reading one teller's report.
    if (range.operator) {
      q.set('scope', 'teller');
      q.set('operator', range.operator);
    }
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) },
      home: true,
      primary: {
        zh: '打印日报',
        en: 'Print',
        id: 'act-print-daily',
        run: async () => {
          try {
            const r = await api('POST', '/api/reports/daily/print', Object.fromEntries(q));
            fill(
              box,
              h(
                'p',
                { class: 'ok', 'data-k': 'printed' },
                bi(`日报${printedZh(r.printed)}`, `Daily report${printedEn(r.printed)}`),
              ),
            );
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
          }
        },
      },
    });
    void loadInto(body, async () => {
      const r = await api('GET', `/api/reports/daily?${q}`);
      const s = r.summary;
      return [
        h(
          'h2',
          { 'data-k': 'report-range' },
          bi(
            `${r.kind === 'station' ? '网点' : `柜员 ${r.operator}`} ${r.from}${r.to !== r.from ? ` – ${r.to}` : ''}`,
            `${r.kind === 'station' ? 'Station' : `Teller ${r.operator}`} ${r.from}${r.to !== r.from ? ` – ${r.to}` : ''}`,
          ),
        ),
        dl(
          [
            [{ zh: '现金应有', en: 'Cash due' }, `￥${s.cashDue}`, 'cashDue'],
            [{ zh: '扫码净额', en: 'QR net' }, `￥${s.qrNet}`, 'qrNet'],
            [{ zh: '失败笔数', en: 'Failed' }, String(r.failed.count), 'failed'],
            ...(r.ledger
              ? /** @type {Array<[{ zh: string, en: string }, string, string]>} */ ([
                  [{ zh: '期初余额', en: 'Opening balance' }, `￥${r.ledger.opening}`, 'opening'],
                  [{ zh: '期末余额', en: 'Closing balance' }, `￥${r.ledger.closing}`, 'closing'],
                ])
              : []),
          ],
          'quote compact',
        ),
        rowsTable([...s.rows, { serviceName: { zh: '合计', en: 'Total' }, ...s.totals }]),
        r.days.length > 1
          ? table(
              [
                { zh: '日期', en: 'Date' },
                { zh: '笔数', en: 'Transactions' },
                { zh: '净额', en: 'Net' },
                { zh: '现金应有', en: 'Cash due' },
              ],
              r.days.map((/** @type {any} */ d) => [
                d.businessDate,
                String(d.transactions),
                `￥${d.settlement.totals.net.total}`,
                `￥${d.settlement.cashDue}`,
              ]),
              'days',
            )
          : null,
      ];
    });
  };
}

/**
 * A business date on the keypad: one date (`date`), or a range's first (`from`) then last (`to`).
 * @param {'date' | 'from' | 'to'} which
 * @param {() => import('./shell.js').Screen} back
 * @param {{ from?: string }} [so]
 * @returns {import('./shell.js').Screen}
 */
export function dateScreen(which, back, so = {}) {
  return (view) => {
    let value = '';
    const label = {
      date: ['日期 yyyymmdd', 'Date (yyyymmdd)'],
      from: ['开始日期 yyyymmdd', 'From (yyyymmdd)'],
      to: ['结束日期 yyyymmdd', 'To (yyyymmdd)'],
    }[which];
    const f = entryField(
      {
        name: which,
        zh: label[0],
        en: label[1],
        required: true,
        sensitive: null,
        entry: { keypad: 'digits', maxLength: 8 },
      },
      {
        value,
        onChange: (v) => {
          value = v;
          if (primary) primary.disabled = v.length !== 8;
        },
      },
    );
    fill(view.main, title('报表日期', 'Report dates'), f.el);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) },
      primary: {
        zh: which === 'from' ? '下一步' : '查看',
        en: which === 'from' ? 'Next' : 'Show',
        id: 'act-date',
        disabled: true,
        run: () =>
          view.nav.go(
            which === 'from'
              ? dateScreen('to', back, { from: value })
              : dailyScreen(
                  which === 'date' ? { from: value, to: value } : { from: so.from, to: value },
                  back,
                ),
          ),
      },
    });
  };
}
