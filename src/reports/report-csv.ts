import { businessDate, toLocal } from '../core/business-day.ts';
import type { LedgerRow } from './balance-views.ts';
import { type Cell, toCsv } from './csv.ts';
import type { DailyReport } from './daily-report.ts';
import type { MoneyTally } from './fen-tally.ts';
import type { Settlement } from './settlement.ts';

const tallyHeaders = (zh: string, en: string): string[] => [
  `${zh}笔数 ${en} count`,
  `${zh}金额 ${en} amount`,
  `${zh}手续费 ${en} fee`,
  `${zh}合计 ${en} total`,
];
const tallyCells = (t: MoneyTally): Cell[] => [t.count, t.amount, t.fee, t.total];

const SETTLEMENT_HEADERS = [
  '业务 service',
  '业务名称 name',
  ...tallyHeaders('缴费', 'payments'),
  ...tallyHeaders('撤销', 'reversals'),
  ...tallyHeaders('净额', 'net'),
  ...tallyHeaders('现金', 'cash'),
  ...tallyHeaders('扫码', 'QR'),
  ...tallyHeaders('未完成', 'open'),
];

/** A settlement as CSV: one row per business type and a total row. */
export function settlementCsv(s: Settlement): string {
  const rows: Cell[][] = s.rows.map((r) => [
    r.service,
    r.serviceName.zh,
    ...tallyCells(r.payments),
    ...tallyCells(r.reversals),
    ...tallyCells(r.net),
    ...tallyCells(r.cash),
    ...tallyCells(r.qr),
    ...tallyCells(r.open),
  ]);
  const t = s.totals;
  rows.push([
    '',
    '合计 total',
    ...tallyCells(t.payments),
    ...tallyCells(t.reversals),
    ...tallyCells(t.net),
    ...tallyCells(t.cash),
    ...tallyCells(t.qr),
    ...tallyCells(t.open),
  ]);
  return toCsv(SETTLEMENT_HEADERS, rows);
}

/** A daily or historical report as CSV: one row per business date (with the station's ledger). */
export function dailyCsv(r: DailyReport): string {
  const headers = [
    '账务日期 business date',
    '笔数 transactions',
    ...tallyHeaders('净额', 'net'),
    ...tallyHeaders('撤销', 'reversals'),
    ...tallyHeaders('失败', 'failed'),
    '应有现金 cash due',
    '扫码 QR net',
    '信誉度净支出 prepaid net',
    '期初余额 opening',
    '续费 top-ups',
    '续费撤销 top-up reversals',
    '消费 consumption',
    '撤销退回 reversal credits',
    '调账 adjustments',
    '退款 refunds',
    '期末余额 closing',
  ];
  const rows: Cell[][] = r.days.map((d) => [
    d.businessDate,
    d.transactions,
    ...tallyCells(d.settlement.totals.net),
    ...tallyCells(d.settlement.totals.reversals),
    ...tallyCells(d.failed),
    d.settlement.cashDue,
    d.settlement.qrNet,
    d.settlement.prepaidNet,
    ...(d.ledger
      ? [
          d.ledger.opening,
          d.ledger.topups,
          d.ledger.topupReversals,
          d.ledger.consumption,
          d.ledger.reversalCredits,
          d.ledger.adjustments,
          d.ledger.refunds,
          d.ledger.closing,
        ]
      : ['', '', '', '', '', '', '', '']),
  ]);
  return toCsv(headers, rows);
}

/** Ledger rows (续费明细, 交易明细, 余额变更, 调账, 退款通知) as CSV, in the order given. */
export function ledgerCsv(rows: readonly LedgerRow[], dayCut: string): string {
  return toCsv(
    [
      '序号 seq',
      '时间 time',
      '账务日期 business date',
      '类型 kind',
      '变动 change',
      '冻结变动 held change',
      '余额 balance after',
      '冻结 held after',
      '流水号 serial',
      '参考号 ref',
      '备注 note',
    ],
    rows.map((r) => {
      const l = toLocal(r.at);
      return [
        r.seq,
        `${l.date} ${l.hhmmss}`,
        businessDate(r.at, dayCut),
        r.kindLabel.zh,
        r.delta,
        r.heldDelta,
        r.balanceAfter,
        r.heldAfter,
        r.serial,
        r.ref,
        r.note,
      ];
    }),
  );
}
