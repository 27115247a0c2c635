import type { TxnRecord } from '../core/transaction/types.ts';
import { CorruptRecordError, decodeValue, encodeValue } from './codec.ts';
import { eventKey } from './keys.ts';
import type { JournalEvent } from './records.ts';

/**
 * A transaction's latest snapshot (`t:<serial>`) from format 3 on: the sequence number of the event
 * that carries it. Every transition's event holds the whole snapshot after it (HQ archives it from
 * there), so the store keeps it once, in the event, and `t:` names that event. A `t:` record
 * holding the snapshot itself (format 2 and earlier, or a snapshot written without an event) is
 * read as before.
 */
export interface TxnPointer {
  event: number;
}

type DbLike = {
  get(key: string): Promise<string | undefined>;
  getMany(keys: string[]): Promise<Array<string | undefined>>;
};

/** Stored value of a `t:` record pointing at event `seq`. */
export function encodeTxnPointer(seq: number): string {
  return encodeValue({ event: seq } satisfies TxnPointer);
}

/** A decoded `t:` body: the snapshot itself, or a pointer to the event holding it. */
export function isTxnPointer(body: unknown): body is TxnPointer {
  return (
    typeof body === 'object' &&
    body !== null &&
    Number.isSafeInteger((body as TxnPointer).event) &&
    !('serial' in body)
  );
}

/**
 * The snapshot of `serial` carried by a stored event value; corruption of the `t:` record `key`
 * when the event is missing or carries no snapshot of that transaction.
 */
export function snapshotInEvent(
  key: string,
  serial: string,
  seq: number,
  value: string | undefined,
): TxnRecord {
  if (value === undefined)
    throw new CorruptRecordError(key, 'decode', `names event ${seq}, which is missing`);
  const ev = decodeValue<JournalEvent>(eventKey(seq), value);
  if (ev.serial !== serial || !('txn' in ev) || ev.txn.serial !== serial)
    throw new CorruptRecordError(key, 'decode', `names event ${seq}, which holds no snapshot of ${serial}`);
  return ev.txn;
}

/** Reads one `t:` value (either form) into its snapshot. Throws CorruptRecordError. */
export async function readTxnValue(db: DbLike, key: string, value: string): Promise<TxnRecord> {
  const body = decodeValue<TxnRecord | TxnPointer>(key, value);
  if (!isTxnPointer(body)) return body;
  return snapshotInEvent(key, key.slice(2), body.event, await db.get(eventKey(body.event)));
}

/**
 * Reads many `t:` entries into their snapshots, in order, fetching the events they point at in one
 * round trip. Throws CorruptRecordError at the first unreadable one.
 */
export async function readTxnValues(
  db: DbLike,
  entries: ReadonlyArray<[string, string]>,
): Promise<TxnRecord[]> {
  const bodies = entries.map(([key, value]) => decodeValue<TxnRecord | TxnPointer>(key, value));
  const wanted: string[] = [];
  for (const b of bodies) if (isTxnPointer(b)) wanted.push(eventKey(b.event));
  const values = wanted.length > 0 ? await db.getMany(wanted) : [];
  let i = 0;
  return bodies.map((b, n) => {
    if (!isTxnPointer(b)) return b;
    const key = (entries[n] as [string, string])[0];
    return snapshotInEvent(key, key.slice(2), b.event, values[i++]);
  });
}

/** `t:` entries read per round trip when iterating snapshots. */
export const TXN_CHUNK = 256;
