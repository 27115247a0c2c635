import { type StatementSource, statementRows } from './statement-file.ts';

/**
 * Matching a UnionPay statement against one side's repayment records, by terminal and serial: HQ's
 * (`kiosk-hq reconcile import`) or the kiosk's own journal (`kiosk report reconcile`, the console).
 */

/** A credit-card repayment as HQ recorded it (`kiosk-hq` fetches them with the `repayments` action). */
export interface HqRepayment {
  station: string;
  /** The terminal bound to the station (null: none bound). */
  terminal: string | null;
  serial: string;
  day: string;
  amountFen: number;
  /** HQ's status; only `ok` repayments are expected on the UnionPay statement. */
  status: string;
  ref: string;
  /** The credit card repaid, masked as the journal keeps it (the kiosk's own records only). */
  card?: string | null;
}

export type DifferenceKind = 'missing-at-hq' | 'missing-at-unionpay' | 'amount-differs';

export interface Difference {
  kind: DifferenceKind;
  date: string;
  terminal: string | null;
  serial: string;
  station: string | null;
  /** Statement line (null when only HQ has it). */
  line: number | null;
  unionpayFen: number | null;
  hqFen: number | null;
  /** HQ's status when it holds the repayment but not as completed. */
  hqStatus: string | null;
  /** The card as the statement prints it, else as our record keeps it (masked either way). */
  card: string | null;
}

export interface ReconcileSummary {
  matched: number;
  missingAtHq: number;
  missingAtUnionpay: number;
  amountDiffers: number;
}

/**
 * Matches a checked statement against HQ's repayments of the same dates by terminal and serial:
 * every difference goes to `onDiff` as it is found (the caller writes them out), so only HQ's
 * records are held in memory, never the statement.
 */
export async function reconcileStatement(
  path: StatementSource,
  hq: readonly HqRepayment[],
  onDiff: (d: Difference) => void | Promise<void>,
): Promise<ReconcileSummary> {
  const key = (terminal: string | null, serial: string) => `${terminal ?? '-'}|${serial}`;
  const byKey = new Map(hq.map((r) => [key(r.terminal, r.serial), r]));
  const seen = new Set<string>();
  const sum: ReconcileSummary = { matched: 0, missingAtHq: 0, missingAtUnionpay: 0, amountDiffers: 0 };
  for await (const row of statementRows(path)) {
    const k = key(row.terminal, row.serial);
    const mine = byKey.get(k);
    const base = {
      date: row.date,
      terminal: row.terminal,
      serial: row.serial,
      line: row.line,
      unionpayFen: row.amountFen,
      card: row.card,
    };
    if (mine?.status !== 'ok') {
      sum.missingAtHq++;
      if (mine) seen.add(k);
      await onDiff({
        ...base,
        kind: 'missing-at-hq',
        station: mine?.station ?? null,
        hqFen: mine?.amountFen ?? null,
        hqStatus: mine?.status ?? null,
      });
      continue;
    }
    seen.add(k);
    if (mine.amountFen !== row.amountFen) {
      sum.amountDiffers++;
      await onDiff({
        ...base,
        kind: 'amount-differs',
        station: mine.station,
        hqFen: mine.amountFen,
        hqStatus: null,
      });
    } else sum.matched++;
  }
  for (const r of hq) {
    const k = key(r.terminal, r.serial);
    if (r.status !== 'ok' || seen.has(k)) continue;
    sum.missingAtUnionpay++;
    await onDiff({
      kind: 'missing-at-unionpay',
      date: r.day,
      terminal: r.terminal,
      serial: r.serial,
      station: r.station,
      line: null,
      unionpayFen: null,
      hqFen: r.amountFen,
      hqStatus: null,
      card: r.card ?? null,
    });
  }
  return sum;
}
