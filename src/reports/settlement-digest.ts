import { createHash } from 'node:crypto';
import type { TxnRecord } from '../core/transaction/types.ts';

/** The facts of one transaction a settlement digest covers, in a fixed order. */
function digestLine(t: TxnRecord): string {
  return [
    t.serial,
    t.businessDate,
    t.service,
    t.operator ?? '',
    t.state,
    t.result ?? '',
    t.amountFen,
    t.feeFen,
  ].join('|');
}

/**
 * SHA-256 (hex) over every transaction of one business date as the journal held them at the
 * settlement, one line per transaction in serial order. The kiosk computes it from its snapshots;
 * HQ computes the same from the relayed events up to the settlement's event; any difference in a
 * serial, state, amount or fee changes it. (The tender lives on the order, which is not relayed.) Pure.
 */
export function settlementDigest(
  txns: Iterable<TxnRecord>,
  businessDate: string,
): { digest: string; count: number } {
  const lines = [...txns]
    .filter((t) => t.businessDate === businessDate)
    .sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0))
    .map(digestLine);
  const h = createHash('sha256');
  for (const l of lines) h.update(`${l}\n`);
  return { digest: h.digest('hex'), count: lines.length };
}

/** A relayed journal event as far as the digest needs it. */
export interface DigestEvent {
  seq: number;
  txn?: unknown;
}

/**
 * The latest snapshot of every transaction among `events` with `seq < beforeSeq` (events carry the
 * snapshot after each change), as HQ rebuilds them from what it received. Pure.
 */
export function snapshotsBefore(events: Iterable<DigestEvent>, beforeSeq: number): TxnRecord[] {
  const latest = new Map<string, { seq: number; txn: TxnRecord }>();
  for (const e of events) {
    if (e.seq >= beforeSeq || !e.txn || typeof e.txn !== 'object') continue;
    const txn = e.txn as TxnRecord;
    const prev = latest.get(txn.serial);
    if (!prev || prev.seq < e.seq) latest.set(txn.serial, { seq: e.seq, txn });
  }
  return [...latest.values()].map((x) => x.txn);
}
