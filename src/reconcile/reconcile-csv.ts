import { createWriteStream } from 'node:fs';
import { BOM, csvCell } from '../reports/csv.ts';
import { yuan } from '../reports/txn-view.ts';
import { maskRepaymentCard } from './kiosk-repayments.ts';
import type { DifferenceSink } from './reconcile-run.ts';
import type { DifferenceKind } from './statement-match.ts';

/**
 * How one side of a reconciliation names itself: HQ (`kiosk-hq reconcile import`) or the kiosk
 * (`kiosk report reconcile`, the console). `ours` is the column of its amounts and `kinds` the
 * names its differences are written under.
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
 * Opens `outFile` for the differences (CSV, UTF-8 with BOM, columns
 * `kind,date,terminal,serial,station,line,unionpay,<ours>,<ours>Status,card`, the card masked).
 * `exclusive`: refuse a file that is already there (and never follow a link in its place).
 */
export function differencesCsv(outFile: string, side: ReconcileSide, exclusive = false): DifferenceSink {
  const sink = createWriteStream(outFile, { encoding: 'utf8', flags: exclusive ? 'wx' : 'w', mode: 0o640 });
  const failed = new Promise<never>((_, reject) => sink.once('error', reject));
  failed.catch(() => undefined);
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
    'card',
  ];
  sink.write(`${BOM}${columns.join(',')}\r\n`);
  return {
    write(d) {
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
        d.card === null ? null : maskRepaymentCard(d.card),
      ];
      const ok = sink.write(`${cells.map(csvCell).join(',')}\r\n`);
      return ok ? undefined : Promise.race([failed, new Promise<void>((r) => sink.once('drain', () => r()))]);
    },
    close: () =>
      Promise.race([
        failed,
        new Promise<void>((resolve, reject) => sink.end((e?: Error | null) => (e ? reject(e) : resolve()))),
      ]),
  };
}
