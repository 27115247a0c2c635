import type { TxnRecord } from '../core/transaction/types.ts';
import type { Journal } from './journal.ts';
import { SELF_OPERATOR } from './keys.ts';

/** What a transaction listing asks for; every filter is optional. */
export interface TxnListFilter {
  /** Business date, yyyymmdd. */
  date?: string | undefined;
  service?: string | undefined;
  /** An operator code in upper case, or `~self` for self-service. */
  operator?: string | undefined;
  /** Only transactions not yet final. */
  open?: boolean | undefined;
  limit: number;
}

/** `~self` (any case) for self-service, otherwise an operator code in upper case. */
export function normaliseOperator(v: string): string {
  return v.trim().toLowerCase() === SELF_OPERATOR ? SELF_OPERATOR : v.trim().toUpperCase();
}

/**
 * Transactions newest first, filtered; the listing behind `GET /api/transactions` and
 * `kiosk journal list`. The narrowest index is read first and the other filters are checked on
 * each record.
 */
export async function listTransactions(journal: Journal, f: TxnListFilter): Promise<TxnRecord[]> {
  const matches = (t: TxnRecord): boolean =>
    (!f.date || t.businessDate === f.date) &&
    (!f.service || t.service === f.service) &&
    (!f.operator || (t.operator ?? SELF_OPERATOR) === f.operator) &&
    (!f.open || !t.terminal);
  const prefix = f.open
    ? 'i:n:'
    : f.date
      ? `i:d:${f.date}:`
      : f.service
        ? `i:s:${f.service}:`
        : f.operator
          ? `i:o:${f.operator}:`
          : undefined;
  const found: TxnRecord[] = [];
  if (prefix) {
    for (const serial of await journal.indexSerials(prefix, { reverse: true })) {
      const t = await journal.getTxn(serial);
      if (t && matches(t)) found.push(t);
      if (found.length >= f.limit) break;
    }
  } else {
    for await (const t of journal.transactions({ reverse: true, limit: f.limit })) found.push(t);
  }
  return found;
}

/**
 * Transactions whose business date starts with `period` (a date yyyymmdd, or a month yyyymm),
 * oldest first, read one at a time.
 */
export async function* transactionsOfPeriod(journal: Journal, period: string): AsyncGenerator<TxnRecord> {
  for (const serial of await journal.indexSerials(`i:d:${period}`)) {
    const t = await journal.getTxn(serial);
    if (t) yield t;
  }
}

/** Transactions of one business date (yyyymmdd), oldest first. */
export async function transactionsOn(journal: Journal, date: string): Promise<TxnRecord[]> {
  const out: TxnRecord[] = [];
  for await (const t of transactionsOfPeriod(journal, `${date}:`)) out.push(t);
  return out;
}
