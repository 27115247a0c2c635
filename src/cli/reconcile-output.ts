import type { ReconcileSide } from '../reconcile/reconcile-csv.ts';
import type { ReconcileSummary } from '../reconcile/statement-match.ts';

/** The counts as the command lines print them. */
export function summaryLines(
  side: ReconcileSide,
  s: ReconcileSummary,
  rows: number,
  from: string | null,
  to: string | null,
  outFile: string,
): string {
  return [
    `statement ${from}–${to}: ${rows} lines`,
    `  matched 相符            ${s.matched}`,
    `  ${side.labels.missingHere}${s.missingAtHq}`,
    `  missing at UnionPay 银联无 ${s.missingAtUnionpay}`,
    `  amount differs 金额不符   ${s.amountDiffers}`,
    `differences written to ${outFile}`,
  ].join('\n');
}
