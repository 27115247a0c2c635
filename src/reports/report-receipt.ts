import type { Receipt } from '../receipts/receipt.ts';
import type { LedgerRow, LedgerView } from './balance-views.ts';
import type { DailyReport } from './daily-report.ts';
import type { LedgerMovement } from './ledger-movement.ts';
import type { Settlement } from './settlement.ts';

export interface ReportStation {
  stationId: string;
  stationName: string;
}

const TITLES = {
  teller: { zh: '柜员扎账', en: 'Teller settlement' },
  station: { zh: '网点扎账', en: 'Station settlement' },
  tellerDaily: { zh: '柜员营业日报', en: 'Teller daily report' },
  stationDaily: { zh: '网点营业日报', en: 'Station daily report' },
} as const;

const VIEW_TITLES: Record<LedgerView | 'all', { zh: string; en: string }> = {
  all: { zh: '余额明细', en: 'Balance ledger' },
  topups: { zh: '续费明细', en: 'Top-up details' },
  consumption: { zh: '交易明细', en: 'Transaction details' },
  changes: { zh: '余额变更', en: 'Balance changes' },
  adjustments: { zh: '调账', en: 'HQ adjustments' },
  refunds: { zh: '退款通知', en: 'Refund notices' },
  reversalCredits: { zh: '撤销退回', en: 'Reversal credits' },
  holds: { zh: '冻结与解冻', en: 'Holds' },
};

/** What a balance view slip prints: one page of a view and, for a range, its movement. */
export interface BalanceSlipInput {
  view: LedgerView | undefined;
  from: string | null;
  to: string | null;
  today: string;
  at: number;
  balance: string;
  movement: LedgerMovement | null;
  count: number | null;
  entries: readonly LedgerRow[];
}

/**
 * A balance view (续费明细, 交易明细, 余额变更, 调账, 退款通知) as a printable slip: up to 30
 * entries of the page (time order as shown), the period's movement, the balance as the total.
 */
export function balanceSlip(
  b: BalanceSlipInput,
  station: ReportStation,
  number: string,
  by: string,
): Receipt {
  const lines = b.entries.slice(0, 30).map((e) => ({
    label: label(`${e.kindLabel.zh} ${e.serial ?? e.ref ?? ''}`),
    value: `${e.delta} 余${e.balanceAfter}`,
  }));
  if (b.from && b.to) lines.push({ label: '期间', value: `${b.from}至${b.to}` });
  if (b.count !== null) lines.push({ label: '笔数', value: String(b.count) });
  if (b.movement) {
    lines.push(
      { label: '期初余额', value: b.movement.opening },
      { label: '续费', value: b.movement.topups },
      { label: '消费', value: b.movement.consumption },
      { label: '撤销退回', value: b.movement.reversalCredits },
      { label: '调账', value: b.movement.adjustments },
      { label: '退款', value: b.movement.refunds },
      { label: '期末余额', value: b.movement.closing },
    );
  }
  return {
    title: { ...VIEW_TITLES[b.view ?? 'all'] },
    stationId: station.stationId,
    stationName: station.stationName,
    serial: number,
    businessDate: b.to ?? b.today,
    time: b.at,
    operator: by,
    serviceName: '当前余额',
    lines,
    amount: b.balance,
    fee: '0.00',
    total: b.balance,
    reprint: false,
  };
}

/** Up to 16 characters of a label, as the receipt allows. */
const label = (s: string): string => [...s].slice(0, 16).join('');

/**
 * A settlement as a printable slip for the print queue (the same ESC/POS path as receipts): one
 * line per business type (net count and amount, cash), the QR-tendered net apart, and the cash
 * the drawer should hold as the total. `number` identifies the slip (the settlement's number).
 */
export function settlementSlip(s: Settlement, station: ReportStation, number: string, by: string): Receipt {
  const lines = s.rows.slice(0, 30).map((r) => ({
    label: label(r.serviceName.zh),
    value: `${r.net.count}笔 净${r.net.total} 现金${r.cash.total}${r.qr.count ? ` 扫码${r.qr.total}` : ''}`,
  }));
  lines.push(
    { label: '缴费', value: `${s.totals.payments.count}笔 ${s.totals.payments.total}` },
    { label: '撤销', value: `${s.totals.reversals.count}笔 ${s.totals.reversals.total}` },
    { label: '扫码(不入钱箱)', value: s.qrNet },
    { label: '未完成', value: `${s.totals.open.count}笔 ${s.totals.open.total}` },
    { label: '信誉度净支出', value: s.prepaidNet },
  );
  return {
    title: { ...TITLES[s.kind] },
    stationId: station.stationId,
    stationName: station.stationName,
    serial: number,
    businessDate: s.businessDate.slice(0, 8),
    time: s.at,
    operator: s.operator ?? by,
    serviceName: '应有现金',
    lines,
    amount: s.cashDue,
    fee: '0.00',
    total: s.cashDue,
    reprint: false,
  };
}

/** A daily or historical report as a printable slip: one line per business date. */
export function dailySlip(r: DailyReport, station: ReportStation, number: string, by: string): Receipt {
  const lines = r.days.slice(-30).map((d) => ({
    label: d.businessDate,
    value: `${d.settlement.totals.net.count}笔 净${d.settlement.totals.net.total} 现金${d.settlement.cashDue}`,
  }));
  lines.push({ label: '期间', value: `${r.from}至${r.to}` });
  if (r.ledger) {
    lines.push(
      { label: '期初余额', value: r.ledger.opening },
      { label: '续费', value: r.ledger.topups },
      { label: '消费', value: r.ledger.consumption },
      { label: '期末余额', value: r.ledger.closing },
    );
  }
  return {
    title: { ...(r.kind === 'teller' ? TITLES.tellerDaily : TITLES.stationDaily) },
    stationId: station.stationId,
    stationName: station.stationName,
    serial: number,
    businessDate: r.to,
    time: r.at,
    operator: r.operator ?? by,
    serviceName: '现金合计',
    lines,
    amount: r.summary.cashDue,
    fee: '0.00',
    total: r.summary.cashDue,
    reprint: false,
  };
}
