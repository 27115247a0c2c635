import { maskDigitRuns } from '../core/mask.ts';
import type { Receipt } from '../receipts/receipt.ts';
import type { ReportStation } from '../reports/report-receipt.ts';
import type { KioskDifference, StatementReconciliation } from './statement-desk.ts';

/** Differences printed on one slip; the rest are counted (the CSV export holds them all). */
export const SLIP_ROWS = 15;

const KIND_ZH: Record<KioskDifference['kind'], string> = {
  'missing-at-kiosk': '本亭无',
  'missing-at-unionpay': '银联无',
  'amount-differs': '金额不符',
};

/**
 * A reconciliation as a printable slip for the print queue (the receipts' ESC/POS path): the
 * statement and its period, the counts per kind, then the first SLIP_ROWS differences (kind and
 * serial, UnionPay's and the kiosk's amounts; the cards are on the screen and in the export), the
 * statement's total as the total.
 */
export function reconcileSlip(
  r: StatementReconciliation,
  station: ReportStation,
  number: string,
  by: string,
  at: number,
): Receipt {
  const c = r.counts;
  const lines = [
    { label: '对账文件', value: maskDigitRuns(r.statement.name).slice(0, 80) },
    { label: '期间', value: `${r.from}至${r.to}` },
    { label: '笔数', value: String(r.rows) },
    { label: '相符', value: String(c.matched) },
    { label: '本亭无', value: String(c.missingAtKiosk) },
    { label: '银联无', value: String(c.missingAtUnionpay) },
    { label: '金额不符', value: String(c.amountDiffers) },
    // Two short rows per difference so that neither column wraps on a 58 mm slip.
    ...r.differences.slice(0, SLIP_ROWS).flatMap((d) => [
      { label: KIND_ZH[d.kind], value: `${d.serial}${d.kioskStatus ? ` ${d.kioskStatus}` : ''}` },
      { label: '银联/本亭', value: `${d.unionpay ?? '-'}/${d.kiosk ?? '-'}` },
    ]),
  ];
  const more = c.differences - Math.min(r.differences.length, SLIP_ROWS);
  if (more > 0) lines.push({ label: '另有差异', value: `${more} 条，见导出文件` });
  return {
    title: { zh: '信用卡对账', en: 'Credit card reconciliation' },
    stationId: station.stationId,
    stationName: station.stationName,
    serial: number,
    businessDate: r.to,
    time: at,
    operator: by,
    serviceName: '信用卡对账',
    lines,
    amount: r.total,
    fee: '0.00',
    total: r.total,
    reprint: false,
  };
}
