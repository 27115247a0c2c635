import { z } from 'zod';
import type { LedgerEntry } from '../../core/ledger.ts';
import type { OrderRecord } from '../../core/orders/order.ts';
import { txnRecordSchema } from '../../core/transaction/txn-record.ts';
import type { Outcome, TxnRecord } from '../../core/transaction/types.ts';
import { epochMs, stationId } from './common.ts';

/** A record the kiosk wrote whole (an order or ledger snapshot): an object on the wire. */
const snapshot = <T>() => z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
/** Free-form facts of an event; never money as a float. */
const info = z.record(z.string(), z.unknown());
const outcome = z.enum(['ok', 'declined', 'pending', 'unknown'] satisfies Outcome[]);

/** Fields of every event: its place in the log, when, where, and the chain value before it. */
const base = {
  seq: z.int().min(1),
  at: epochMs,
  stationId,
  /** Chain value of every event before this one (format 2 and later). */
  prev: z.string().optional(),
};

/**
 * A transaction event carries the snapshot after the change: the log alone rebuilds it. The
 * snapshot is checked whole (integer fen, known channel and result, business date, …).
 */
const txn = { serial: z.string(), txn: txnRecordSchema, info: info.optional() };

/** Any other event may name the transaction it concerns (a reprint) and carry facts. */
const other = { serial: z.string().optional(), info: info.optional() };

/** The transaction snapshot an event carries: transaction events only. */
export const txnOf = (ev: JournalEvent): TxnRecord | undefined => ('txn' in ev ? ev.txn : undefined);

/** The order an `order` event carries. */
export const orderOf = (ev: JournalEvent): OrderRecord | undefined =>
  ev.type === 'order' ? ev.order : undefined;

/**
 * The variants of a journal event by `type`, each with the fields it carries. The kiosk's
 * `JournalEvent` type and HQ's check of relayed events both come from here.
 */
const VARIANTS = {
  'txn.created': { ...txn },
  'txn.intent': { ...txn },
  /** Where from, and the outcome that moved it. */
  'txn.transition': { ...txn, from: z.string(), outcome },
  'txn.action': { ...txn, from: z.string(), action: z.string() },
  'txn.alert': { ...txn, alert: z.string() },
  /** A self-service order after the change. */
  order: { order: snapshot<OrderRecord>(), ...other },
  ledger: { ledger: snapshot<LedgerEntry>(), ...other },
  operator: { ...other, info },
  config: { ...other, info },
  system: { ...other, info },
  /** Assisted services (代办/帮办): guide, requests, appointments, monthly statistics; masked. */
  assist: { ...other, info },
} as const;

type Variants = typeof VARIANTS;
export type JournalEventType = keyof Variants;

const variant = <K extends JournalEventType>(type: K) =>
  z.object({ ...base, type: z.literal(type), ...VARIANTS[type] });

const journalEventTypeSchema = z.discriminatedUnion('type', [
  variant('txn.created'),
  variant('txn.intent'),
  variant('txn.transition'),
  variant('txn.action'),
  variant('txn.alert'),
  variant('order'),
  variant('ledger'),
  variant('operator'),
  variant('config'),
  variant('system'),
  variant('assist'),
]);

/**
 * One entry of the kiosk's append-only log, by type. Transaction events carry the snapshot after
 * the change, so the log alone is enough to rebuild every transaction and to relay it to HQ.
 */
export type JournalEvent = z.infer<typeof journalEventTypeSchema>;

/** One journal event as relayed to HQ: the same variants, any other field kept as sent. */
export const journalEventSchema = z.discriminatedUnion('type', [
  variant('txn.created').loose(),
  variant('txn.intent').loose(),
  variant('txn.transition').loose(),
  variant('txn.action').loose(),
  variant('txn.alert').loose(),
  variant('order').loose(),
  variant('ledger').loose(),
  variant('operator').loose(),
  variant('config').loose(),
  variant('system').loose(),
  variant('assist').loose(),
]);
