import { z } from 'zod';

/**
 * The snapshot of one transaction as stored under its serial and carried by its journal events:
 * the one definition of its shape (`TxnRecord` is inferred from it), which the reference HQ checks
 * a relayed snapshot against. Money is integer fen, never negative; times are epoch ms; `fields`
 * holds the validated input as strings, exactly as sent to HQ.
 */

const ms = z.int().min(0);
const fen = z.int().min(0);
const count = z.int().min(0);

/** Final result class of a terminal state; used by reports and the special journal. */
export const txnResultSchema = z.enum(['succeeded', 'failed', 'reversed']);
/** How a transaction was started: by a logged-in operator, or by a customer on their own. */
export const channelSchema = z.enum(['operator', 'self']);

export const txnRecordSchema = z.object({
  v: z.literal(1),
  /** 流水号: station-unique, monotonic, never reused. */
  serial: z.string().min(1).max(64),
  /** Travels with every request this transaction causes; HQ answers a repeat with the first answer. */
  idempotencyKey: z.string().min(1).max(200),
  stationId: z.string().min(1).max(64),
  service: z.string().min(1).max(64),
  channel: channelSchema,
  /** Operator code, or null for self-service. */
  operator: z.string().min(1).max(64).nullable(),
  /** yyyymmdd business date (after the day cut it is the next day). */
  businessDate: z.string().regex(/^\d{8}$/),
  createdAt: ms,
  /** When the latest action (e.g. a reversal) was taken; absent before any. */
  actedAt: ms.optional(),
  updatedAt: ms,
  state: z.string().min(1).max(64),
  /** When the current state was first entered (self-loops keep it). */
  stateSince: ms,
  terminal: z.boolean(),
  result: txnResultSchema.optional(),
  fields: z.record(z.string(), z.string()),
  amountFen: fen,
  feeFen: fen,
  /** Facts gathered along the way (biller reference, arrears, card write data, reasons). */
  data: z.record(z.string(), z.unknown()),
  /** Attempts of the current state's effect. */
  attempts: count,
  /** Bumped by every action (e.g. a second reversal), so its requests get fresh idempotency keys. */
  generation: count,
  /** Alert names already raised, so each is raised once. */
  alerts: z.array(z.string().min(1).max(64)),
  /** Set while an effect is in flight: written before the side effect, cleared with its outcome. */
  inFlight: z.object({ state: z.string().min(1).max(64), attempt: count, at: ms }).optional(),
  /** Last failure reason, bilingual. */
  reason: z.object({ code: z.string().min(1).max(64), zh: z.string(), en: z.string() }).optional(),
});
