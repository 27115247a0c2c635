import type { Receipt } from '../receipts/receipt.ts';
import type { DailyReport } from './daily-report.ts';
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
  lines.push({ label: '期间', value: `${r.from}-${r.to}` });
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
