import { createWriteStream } from 'node:fs';
import {
  type Difference,
  type DifferenceKind,
  type HqRepayment,
  type ReconcileSummary,
  reconcileStatement,
} from '../reference-hq/reconcile.ts';
import { BOM, csvCell } from '../reports/csv.ts';
import { yuan } from '../reports/txn-view.ts';

/**
 * How one side of a reconciliation names itself: HQ (`kiosk-hq reconcile import`) or the kiosk
 * (`kiosk report reconcile`). `ours` is the column of its amounts and `kinds` the names its
 * differences are written under.
 */
export interface ReconcileSide {
  ours: string;
  oursStatus: string;
  kinds: Record<DifferenceKind, string>;
  labels: { missingHere: string };
}

export const HQ_SIDE: ReconcileSide = {
  ours: 'hq',
  oursStatus: 'hqStatus',
  kinds: {
    'missing-at-hq': 'missing-at-hq',
    'missing-at-unionpay': 'missing-at-unionpay',
    'amount-differs': 'amount-differs',
  },
  labels: { missingHere: 'missing at HQ 总部无     ' },
};

export const KIOSK_SIDE: ReconcileSide = {
  ours: 'kiosk',
  oursStatus: 'kioskStatus',
  kinds: {
    'missing-at-hq': 'missing-at-kiosk',
    'missing-at-unionpay': 'missing-at-unionpay',
    'amount-differs': 'amount-differs',
  },
  labels: { missingHere: 'missing here 本亭无       ' },
};

/**
 * Matches a checked statement against `records` and streams every difference to `outFile` (CSV,
 * UTF-8 with BOM, columns `kind,date,terminal,serial,station,line,unionpay,<ours>,<ours>Status`).
 */
export async function writeReconciliation(
  file: string,
  records: readonly HqRepayment[],
  outFile: string,
  side: ReconcileSide,
): Promise<ReconcileSummary> {
  const sink = createWriteStream(outFile, { encoding: 'utf8' });
  const columns = [
    'kind',
    'date',
    'terminal',
    'serial',
    'station',
    'line',
    'unionpay',
    side.ours,
    side.oursStatus,
  ];
  sink.write(`${BOM}${columns.join(',')}\r\n`);
  const write = (d: Difference) => {
    const cells = [
      side.kinds[d.kind],
      d.date,
      d.terminal,
      d.serial,
      d.station,
      d.line,
      d.unionpayFen === null ? null : yuan(d.unionpayFen),
      d.hqFen === null ? null : yuan(d.hqFen),
      d.hqStatus,
    ];
    const ok = sink.write(`${cells.map(csvCell).join(',')}\r\n`);
    return ok ? undefined : new Promise<void>((r) => sink.once('drain', () => r()));
  };
  const summary = await reconcileStatement(file, records, write);
  await new Promise<void>((resolve, reject) => sink.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return summary;
}

/** The counts as the CLI prints them. */
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
