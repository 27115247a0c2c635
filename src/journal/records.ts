import type { LedgerEntry } from '../core/ledger.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import type { Outcome, TxnRecord } from '../core/transaction/types.ts';

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

export type JournalEventType =
  | 'txn.created'
  | 'txn.intent'
  | 'txn.transition'
  | 'txn.action'
  | 'txn.alert'
  | 'order'
  | 'ledger'
  | 'operator'
  | 'config'
  | 'system'
  /** Assisted services (代办/帮办): guide, requests, appointments, monthly statistics; masked. */
  | 'assist';

/**
 * One entry of the append-only log. Transaction events carry the snapshot after the change, so the
 * log alone is enough to rebuild every transaction and to relay it to HQ.
 */
export interface JournalEvent {
  seq: number;
  at: number;
  stationId: string;
  type: JournalEventType;
  serial?: string;
  /** For txn.transition: where from, and the outcome that moved it. */
  from?: string;
  outcome?: Outcome;
  action?: string;
  alert?: string;
  txn?: TxnRecord;
  /** For `order`: the order after the change. */
  order?: OrderRecord;
  ledger?: LedgerEntry;
  /** Free-form facts for operator, config and system events; never money as a float. */
  info?: Record<string, unknown>;
  /** Chain value of every event before this one (format 2 and later). */
  prev?: string;
}

export interface BalanceRecord {
  balanceFen: number;
  heldFen: number;
}
