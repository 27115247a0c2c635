import type { TxnRecord } from '../core/transaction/types.ts';
import { type Tender, tenderOf } from '../reports/tender.ts';
import { decodeValue } from './codec.ts';
import { orderKey, txnKey } from './keys.ts';
import { readTxnValue } from './txn-records.ts';
import type { WriteBatch } from './write-batch.ts';

type DbLike = {
  get(key: string): Promise<string | undefined>;
  getMany(keys: string[]): Promise<Array<string | undefined>>;
};

/** What staging reads of a batch (or of a group of batches written together). */
export type StagedBatch = Pick<
  WriteBatch,
  'txnsWritten' | 'txnsCreated' | 'ordersWritten' | 'ledgerEntries' | 'ops' | 'counters'
>;

/**
 * What the per-date totals read from the store to stage a batch: the snapshots it replaces that
 * are not at hand, and the `tender` field of the orders behind its transactions (null: the order is
 * missing or names none).
 */
export interface TotalsLookups {
  txns: Map<string, TxnRecord | undefined>;
  orderTenders: Map<string, unknown>;
}

/** The serials and order ids to read before a batch can be staged. */
export interface TotalsMissing {
  serials: string[];
  orders: string[];
}

/** The paid order a transaction was started by, if any. */
export function orderOf(t: TxnRecord): string | undefined {
  const id = t.data?.order;
  return typeof id === 'string' ? id : undefined;
}

/** The tender a report counts the transaction under: that of its order when the order names one. */
export function tenderWith(t: TxnRecord, orderTender: unknown): Tender {
  return orderTender ? tenderOf({ ...t, data: { ...t.data, tender: orderTender } }) : tenderOf(t);
}

/** The stored order's `tender` field, or null when the order is missing or names none. */
export async function readOrderTender(db: DbLike, id: string): Promise<unknown> {
  const v = await db.get(orderKey(id));
  return v === undefined ? null : (decodeValue<{ tender?: unknown }>(orderKey(id), v).tender ?? null);
}

/**
 * What must be read before `batch` is staged: each transaction's snapshot before the batch, unless
 * the batch creates it, writes it earlier or the caller `known`s it; the order of each snapshot
 * involved, unless the batch writes it or `tenders` holds it. Null when nothing (the common case:
 * a step then stages without waiting for the store).
 */
export function missingFor(
  batch: StagedBatch,
  known: (serial: string) => TxnRecord | undefined,
  tenders: ReadonlyMap<string, unknown>,
): TotalsMissing | null {
  let missing: TotalsMissing | null = null;
  const need = (): TotalsMissing => {
    missing ??= { serials: [], orders: [] };
    return missing;
  };
  const seen = new Set<string>();
  const orderAtHand = (t: TxnRecord) => {
    const id = orderOf(t);
    if (id !== undefined && !batch.ordersWritten.has(id) && !tenders.has(id)) need().orders.push(id);
  };
  for (const t of batch.txnsWritten) {
    orderAtHand(t);
    if (seen.has(t.serial)) continue;
    seen.add(t.serial);
    if (batch.txnsCreated.has(t.serial)) continue;
    const before = known(t.serial);
    if (before) orderAtHand(before);
    else need().serials.push(t.serial);
  }
  return missing;
}

/** Reads what `missingFor` named, and the orders of the snapshots read. */
export async function readLookups(
  db: DbLike,
  missing: TotalsMissing,
  tenders: ReadonlyMap<string, unknown>,
  batchOrders: ReadonlyMap<string, unknown>,
): Promise<TotalsLookups> {
  const txns = new Map<string, TxnRecord | undefined>();
  for (const serial of missing.serials) {
    const v = await db.get(txnKey(serial));
    txns.set(serial, v === undefined ? undefined : await readTxnValue(db, txnKey(serial), v));
  }
  const orders = new Set(missing.orders);
  for (const t of txns.values()) {
    const id = t && orderOf(t);
    if (id !== undefined && !batchOrders.has(id) && !tenders.has(id)) orders.add(id);
  }
  const orderTenders = new Map<string, unknown>();
  for (const id of orders) orderTenders.set(id, await readOrderTender(db, id));
  return { txns, orderTenders };
}
