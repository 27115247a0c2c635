import { api } from './api.js';
import { handoverScreen } from './console-handover.js';
import { loadInto, table } from './console-kit.js';
import { reconcileScreen } from './console-reconcile.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';
import { entryField } from './keypad.js';

/**
 * Settlement and reports (扎账与报表). The operator's settlement of today (a teller's own, a
 * supervisor's the station's: the scope is the server's), recorded and printed with one tap; the
 * daily report (营业日报) of today, of a past business date, or over a range of dates, each printable.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function reportsScreen(shell) {
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
          onclick: () => view.nav.go(dailyScreen(shell, {})),
        },
        bi('今日营业日报', "Today's daily report"),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary',
          'data-go': 'daily-date',
          onclick: () => view.nav.go(dateScreen(shell, 'date')),
        },
        bi('历史日报', 'Report of a date'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary',
          'data-go': 'daily-range',
          onclick: () => view.nav.go(dateScreen(shell, 'from')),
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
              onclick: () => view.nav.go(handoverScreen(shell, () => reportsScreen(shell))),
            },
            bi('网点隔日扎账', 'Station handover'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary',
              'data-go': 'teller-reports',
              onclick: () => view.nav.go(tellersScreen(shell)),
            },
            bi('柜员报表', "A teller's report"),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary',
              'data-go': 'reconcile',
              onclick: () => view.nav.go(reconcileScreen(shell, () => reportsScreen(shell))),
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

/** @param {{ outcome: string } | null} p */
const printedZh = (p) =>
  p === null ? '（未接打印机）' : p.outcome === 'printed' ? '，已打印' : `，打印：${p.outcome}`;
/** @param {{ outcome: string } | null} p */
const printedEn = (p) =>
  p === null ? ' (no printer)' : p.outcome === 'printed' ? ', printed' : `, printer: ${p.outcome}`;

/**
 * One settlement: by business type the count, net, cash and QR; what the drawer should hold.
 * @param {any} s
 */
function settlementView(s) {
  return h(
    'div',
    { class: 'settlement', 'data-k': 'settlement' },
    h(
      'h2',
      {},
      bi(
        `${s.kind === 'station' ? '网点' : `柜员 ${s.operator}`} 账务日期 ${s.businessDate}`,
        `${s.kind === 'station' ? 'Station' : `Teller ${s.operator}`}, business date ${s.businessDate}`,
      ),
    ),
    dl(
      [
        [{ zh: '现金应有', en: 'Cash due' }, `￥${s.cashDue}`, 'cashDue'],
        [{ zh: '扫码净额', en: 'QR net' }, `￥${s.qrNet}`, 'qrNet'],
        [{ zh: '信誉度净扣', en: 'Prepaid net' }, `￥${s.prepaidNet}`, 'prepaidNet'],
      ],
      'quote compact',
    ),
    rowsTable([...s.rows, { serviceName: { zh: '合计', en: 'Total' }, ...s.totals }]),
  );
}

/** @param {any[]} rows */
function rowsTable(rows) {
  return table(
    [
      { zh: '业务', en: 'Service' },
      { zh: '笔数', en: 'Count' },
      { zh: '撤销', en: 'Reversed' },
      { zh: '净额', en: 'Net' },
      { zh: '现金', en: 'Cash' },
      { zh: '扫码', en: 'QR' },
      { zh: '未完成', en: 'Open' },
    ],
    rows.map((r) => [
      r.serviceName.zh,
      String(r.payments.count),
      String(r.reversals.count),
      `￥${r.net.total}`,
      `￥${r.cash.total}`,
      `￥${r.qr.total}`,
      String(r.open.count),
    ]),
    'settlement-rows',
  );
}

/**
 * The daily report of one business date or a range (none: today), with a print action.
 * @param {import('./shell.js').Shell} shell
 * @param {{ from?: string, to?: string, operator?: string }} range
 * @returns {import('./shell.js').Screen}
 */
export function dailyScreen(shell, range) {
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
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(reportsScreen(shell)) },
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
 * @param {import('./shell.js').Shell} shell
 * @param {'date' | 'from' | 'to'} which
 * @param {{ from?: string }} [so]
 * @returns {import('./shell.js').Screen}
 */
function dateScreen(shell, which, so = {}) {
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
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(reportsScreen(shell)) },
      primary: {
        zh: which === 'from' ? '下一步' : '查看',
        en: which === 'from' ? 'Next' : 'Show',
        id: 'act-date',
        disabled: true,
        run: () =>
          view.nav.go(
            which === 'from'
              ? dateScreen(shell, 'to', { from: value })
              : dailyScreen(
                  shell,
                  which === 'date' ? { from: value, to: value } : { from: so.from, to: value },
                ),
          ),
      },
    });
  };
}

/**
 * The station's tellers, one button each: a supervisor opens that teller's daily report of today.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
function tellersScreen(shell) {
  return (view) => {
    const body = h('div', { class: 'services console-menu' });
    fill(view.main, title('柜员报表', "A teller's report"), body);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(reportsScreen(shell)) } });
    void loadInto(body, async () => {
      const r = await api('GET', '/api/operators');
      return r.items
        .filter((/** @type {any} */ o) => o.role === 'teller')
        .map((/** @type {any} */ o) =>
          h(
            'button',
            {
              type: 'button',
              class: 'tile',
              'data-teller': o.code,
              onclick: () => view.nav.go(dailyScreen(shell, { operator: o.code })),
            },
            bi(`${o.name}（${o.code}）`, o.code),
          ),
        );
    });
  };
}
