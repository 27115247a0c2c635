import { addDays, businessDayStart } from '../core/business-day.ts';
import type { LedgerEntry } from '../core/ledger.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { decodeValue } from './codec.ts';
import type { Journal } from './journal.ts';
import { lastSegment, ledgerKey, orderKey, txnKey } from './keys.ts';
import { readTxnValues, TXN_CHUNK } from './txn-records.ts';

/**
 * Reads the reports need over a range of business dates, in one pass each: the date index gives
 * the serials, and one iterator over the snapshots between the first and last of them reads the
 * records (serials grow with time, so the range is contiguous but for records of other dates,
 * which are skipped).
 */
export async function transactionsOfDates(journal: Journal, from: string, to: string): Promise<TxnRecord[]> {
  const serials = new Set<string>();
  let first: string | undefined;
  let last: string | undefined;
  for await (const key of journal.raw.keys({ gte: `i:d:${from}:`, lt: `i:d:${to}:\xff` })) {
    const s = lastSegment(key);
    serials.add(s);
    if (first === undefined || s < first) first = s;
    if (last === undefined || s > last) last = s;
  }
  if (first === undefined || last === undefined) return [];
  const out: TxnRecord[] = [];
  let chunk: Array<[string, string]> = [];
  const take = async () => {
    for (const t of await readTxnValues(journal.raw, chunk)) out.push(await withTender(journal, t));
    chunk = [];
  };
  for await (const [key, value] of journal.raw.iterator({ gte: txnKey(first), lte: txnKey(last) })) {
    if (!serials.has(key.slice(2))) continue;
    chunk.push([key, value]);
    if (chunk.length >= TXN_CHUNK) await take();
  }
  await take();
  return out;
}

/**
 * A self-service transaction started by a paid order carries that order's tender (reports tell
 * cash from QR by it: a counter order was paid in cash at the counter). Others are returned as read.
 */
async function withTender(journal: Journal, t: TxnRecord): Promise<TxnRecord> {
  const id = t.data?.order;
  if (typeof id !== 'string') return t;
  const order = await journal.getJson<{ tender?: string }>(orderKey(id));
  return order?.tender ? { ...t, data: { ...t.data, tender: order.tender } } : t;
}

/** Ledger entries of a range of business dates, oldest first, and the balance before them (fen). */
export interface LedgerRange {
  entries: LedgerEntry[];
  openingFen: number;
}

/**
 * Every ledger entry made from the start of business date `from` (the day cut before it) up to the
 * start of the date after `to`. Entries are numbered in time order, so the first one is found by
 * bisection on their times and the rest read with one iterator.
 */
export async function ledgerOfDates(
  journal: Journal,
  from: string,
  to: string,
  dayCut: string,
): Promise<LedgerRange> {
  const startAt = businessDayStart(from, dayCut);
  const endAt = businessDayStart(addDays(to, 1), dayCut);
  const firstSeq = await firstLedgerAtOrAfter(journal, startAt);
  const before = firstSeq > 1 ? await journal.getJson<LedgerEntry>(ledgerKey(firstSeq - 1)) : undefined;
  const entries: LedgerEntry[] = [];
  for await (const [key, value] of journal.raw.iterator({ gte: ledgerKey(firstSeq), lt: 'l:\xff' })) {
    const e = decodeValue<LedgerEntry>(key, value);
    if (e.at >= endAt) break;
    entries.push(e);
  }
  return { entries, openingFen: before?.balanceAfterFen ?? 0 };
}

/** Sequence number of the first ledger entry at or after `at` (one past the last when none). */
export async function firstLedgerAtOrAfter(journal: Journal, at: number): Promise<number> {
  let lo = 1;
  let hi = journal.lastCounters.ledger + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const e = await journal.getJson<LedgerEntry>(ledgerKey(mid));
    if (e && e.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The balance (fen) before the first ledger entry made at or after `at`. */
export async function balanceBefore(journal: Journal, at: number): Promise<number> {
  const firstSeq = await firstLedgerAtOrAfter(journal, at);
  if (firstSeq <= 1) return 0;
  return (await journal.getJson<LedgerEntry>(ledgerKey(firstSeq - 1)))?.balanceAfterFen ?? 0;
}
