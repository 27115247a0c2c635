import type { LedgerEntry } from '../core/ledger.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import type { BalanceQuery } from '../reports/balance-query.ts';
import type { DayInput } from '../reports/daily-report.ts';
import { type BalanceDays, type BalancePage, balancePage } from './balance-page.ts';
import type { Journal, JournalProblem } from './journal.ts';
import { type LedgerRange, ledgerOfDates, transactionsOfDates } from './range-reads.ts';
import type { JournalEvent } from './records.ts';
import { type ReportDaysQuery, reportDays } from './report-days.ts';
import { listTransactions, type TxnListFilter, transactionsOn } from './transaction-list.ts';
import { type VerifyReport, verifyJournal } from './verify.ts';

/**
 * What the kiosk's surfaces (the local HTTP API and the CLI) may read from the journal: records by
 * what they mean, never by key, and nothing that writes. The journal's key layout stays behind it.
 */
export class JournalReader {
  constructor(private readonly journal: Journal) {}

  getTxn(serial: string): Promise<TxnRecord | undefined> {
    return this.journal.getTxn(serial);
  }

  /** Serials of every transaction not final yet, oldest first. */
  openSerials(): Promise<string[]> {
    return this.journal.openSerials();
  }

  /** Transactions of one business date (yyyymmdd), oldest first. */
  transactionsOn(date: string): Promise<TxnRecord[]> {
    return transactionsOn(this.journal, date);
  }

  /** Transactions of a range of business dates, oldest first (with their paid orders' tenders). */
  transactionsOfDates(from: string, to: string): Promise<TxnRecord[]> {
    return transactionsOfDates(this.journal, from, to);
  }

  /** The filtered listing of `GET /api/transactions` and `kiosk journal list`, newest first. */
  list(filter: TxnListFilter): Promise<TxnRecord[]> {
    return listTransactions(this.journal, filter);
  }

  /** Ledger entries, oldest first unless `reverse`. */
  ledgerEntries(opts: { reverse?: boolean; limit?: number } = {}): AsyncGenerator<LedgerEntry> {
    return this.journal.ledgerEntries(opts);
  }

  ledgerOfDates(from: string, to: string, dayCut: string): Promise<LedgerRange> {
    return ledgerOfDates(this.journal, from, to, dayCut);
  }

  /** One page of a balance view, with a range's movement, totals and count (`balancePage`). */
  balancePage(q: BalanceQuery, d: BalanceDays): Promise<BalancePage> {
    return balancePage(this.journal, q, d);
  }

  reportDays(q: ReportDaysQuery): Promise<{ inputs: Map<string, DayInput>; openingFen: number }> {
    return reportDays(this.journal, q);
  }

  /** Journal events from sequence number `fromSeq` on, oldest first. */
  events(fromSeq: number): AsyncGenerator<JournalEvent> {
    return this.journal.events(fromSeq);
  }

  /** Calls `listener` after every durable event; the returned function stops it. */
  subscribe(listener: (ev: JournalEvent) => void): () => void {
    this.journal.on('event', listener);
    return () => this.journal.off('event', listener);
  }

  /**
   * The full store check (`kiosk journal verify`), with the problems already `known` to the running
   * kiosk (start-up checks, a failed write) that this scan did not find again listed first.
   */
  async verify(known: readonly JournalProblem[]): Promise<VerifyReport> {
    const report = await verifyJournal(this.journal);
    return {
      ...report,
      problems: [...known.filter((p) => !report.problems.some((q) => q.key === p.key)), ...report.problems],
    };
  }
}
