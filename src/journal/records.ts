/** On-disk format version written by this software; older stores are migrated on open. */
export const JOURNAL_FORMAT_VERSION = 3;

export interface Counters {
  /** Last event sequence number used (0 = none). */
  event: number;
  /** Last transaction serial number used. */
  serial: number;
  /** Last ledger entry sequence number used. */
  ledger: number;
  /** Chain value after the last event (`chain.ts`); absent only before the first event. */
  chain?: string;
}

export type { JournalEvent, JournalEventType } from '../protocol/schemas/journal-event.ts';
export { orderOf, txnOf } from '../protocol/schemas/journal-event.ts';

export interface BalanceRecord {
  balanceFen: number;
  heldFen: number;
}
