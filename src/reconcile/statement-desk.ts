import { KioskError } from '../core/errors.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { yuan } from '../reports/txn-view.ts';
import { kioskRepayments, maskRepaymentCard } from './kiosk-repayments.ts';
import { differencesCsv, KIOSK_SIDE } from './reconcile-csv.ts';
import { type ReconcileRun, runReconciliation, statementRefusal } from './reconcile-run.ts';
import type { StatementFile, StatementFolders } from './statement-folders.ts';
import type { Difference, HqRepayment, ReconcileSummary } from './statement-match.ts';

/** One difference as the kiosk shows it (its kind named as in the kiosk's CSV, amounts in yuan). */
export interface KioskDifference {
  kind: 'missing-at-kiosk' | 'missing-at-unionpay' | 'amount-differs';
  date: string;
  terminal: string | null;
  serial: string;
  /** Statement line (null when only the kiosk has it). */
  line: number | null;
  /** Masked by the repayment service's declared sensitivity. */
  card: string | null;
  unionpay: string | null;
  kiosk: string | null;
  /** The kiosk's state of a repayment it holds but not as succeeded. */
  kioskStatus: string | null;
}

/** Counts per kind: matched, only theirs (本亭无), only ours (银联无), amount mismatch. */
export interface KioskCounts {
  matched: number;
  missingAtKiosk: number;
  missingAtUnionpay: number;
  amountDiffers: number;
  differences: number;
}

export interface StatementReconciliation {
  statement: StatementFile;
  /** Repayment lines on the statement, its first and last date, its total (yuan). */
  rows: number;
  from: string;
  to: string;
  total: string;
  counts: KioskCounts;
  /** The differences from `offset`, at most `limit`, in the order they were found. */
  offset: number;
  limit: number;
  differences: KioskDifference[];
}

/** Longest range of business dates one statement may cover. */
export const MAX_STATEMENT_DAYS = 400;

export function kioskCounts(s: ReconcileSummary): KioskCounts {
  return {
    matched: s.matched,
    missingAtKiosk: s.missingAtHq,
    missingAtUnionpay: s.missingAtUnionpay,
    amountDiffers: s.amountDiffers,
    differences: s.missingAtHq + s.missingAtUnionpay + s.amountDiffers,
  };
}

export function kioskDifference(d: Difference): KioskDifference {
  return {
    kind: KIOSK_SIDE.kinds[d.kind] as KioskDifference['kind'],
    date: d.date,
    terminal: d.terminal,
    serial: d.serial,
    line: d.line,
    card: d.card === null ? null : maskRepaymentCard(d.card),
    unionpay: d.unionpayFen === null ? null : yuan(d.unionpayFen),
    kiosk: d.hqFen === null ? null : yuan(d.hqFen),
    kioskStatus: d.hqStatus,
  };
}

/** Days from `from` to `to` inclusive (yyyymmdd). */
function daysOf(from: string, to: string): number {
  const t = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
  return Math.round((t(to) - t(from)) / 86_400_000) + 1;
}

/** Refuses a range longer than one statement may cover, naming `field`. */
export function checkStatementRange(from: string, to: string, field: string): void {
  const days = daysOf(from, to);
  if (days < 1 || days > MAX_STATEMENT_DAYS)
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field,
      zh: `结束日期须不早于开始日期，范围最多 ${MAX_STATEMENT_DAYS} 天`,
      en: `to must not be before from, and the range covers at most ${MAX_STATEMENT_DAYS} days`,
    });
}

export interface StatementDeskDeps {
  folders: StatementFolders;
  /** Transactions of a range of business dates, from the kiosk's journal. */
  transactionsOfDates(from: string, to: string): Promise<TxnRecord[]>;
  station(): string;
  /** The repayment terminal HQ bound to the station (null: none). */
  terminal(): string | null;
  /** Largest statement read, bytes. */
  maxBytes(): number;
}

/**
 * Credit-card reconciliation of the statements in the statements folders against the kiosk's own
 * journal, on the same path as `kiosk report reconcile` (runReconciliation). A statement is named
 * by its listing id; a bad one is refused naming its first bad line, and nothing is written.
 */
export class StatementDesk {
  constructor(private readonly deps: StatementDeskDeps) {}

  list(): Promise<StatementFile[]> {
    return this.deps.folders.list();
  }

  /** The kiosk's repayments of a statement's dates. */
  repayments(from: string, to: string, field = 'statement'): Promise<HqRepayment[]> {
    checkStatementRange(from, to, field);
    return this.deps
      .transactionsOfDates(from, to)
      .then((txns) => kioskRepayments(txns, this.deps.station(), this.deps.terminal()));
  }

  async reconcile(id: string, page: { offset: number; limit: number }): Promise<StatementReconciliation> {
    const file = await this.deps.folders.find(id);
    const rows: KioskDifference[] = [];
    let n = 0;
    const run = await this.run(file, () => ({
      write: (d) => {
        if (n >= page.offset && rows.length < page.limit) rows.push(kioskDifference(d));
        n++;
        return undefined;
      },
      close: async () => undefined,
    }));
    return { ...this.answer(file, run), offset: page.offset, limit: page.limit, differences: rows };
  }

  /** Writes the differences next to the statement (CSV, UTF-8 with BOM, the CLI's columns). */
  async export(id: string): Promise<{ statement: StatementFile; file: string; counts: KioskCounts }> {
    const file = await this.deps.folders.find(id);
    let run: ReconcileRun | undefined;
    const name = await this.deps.folders.writeBeside(file, async (tmp) => {
      run = await this.run(file, () => differencesCsv(tmp, KIOSK_SIDE, true));
    });
    return { statement: file, file: name, counts: this.answer(file, run as ReconcileRun).counts };
  }

  private async run(
    file: StatementFile,
    sink: Parameters<typeof runReconciliation>[2],
  ): Promise<ReconcileRun> {
    const run = await runReconciliation(
      this.deps.folders.opener(file),
      (from, to) => this.repayments(from, to),
      sink,
      { maxBytes: this.deps.maxBytes() },
    );
    if (run.refused) throw statementRefusal(run.check);
    return run;
  }

  private answer(file: StatementFile, run: ReconcileRun) {
    if (run.refused) throw statementRefusal(run.check);
    const { check, summary } = run;
    return {
      statement: file,
      rows: check.rows,
      from: check.from as string,
      to: check.to as string,
      total: yuan(check.totalFen),
      counts: kioskCounts(summary),
    };
  }
}
