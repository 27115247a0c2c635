import { z } from 'zod';
import {
  effectResultSchema,
  envelopeVersion,
  epochMs,
  reasonSchema,
  serviceIdSchema,
  stationId,
  yuan,
} from './common.ts';
import { journalEventSchema } from './journal-event.ts';

const deviceHealth = z.strictObject({
  state: z.enum(['ok', 'degraded', 'offline']),
  driver: z.string().max(40),
  since: epochMs,
  reason: reasonSchema.optional(),
});

export const certStatusSchema = z.strictObject({
  /** Client certificate expiry (epoch ms); null when the link runs without a certificate. */
  notAfter: epochMs.nullable(),
  daysLeft: z.number().nullable(),
  warn: z.boolean(),
});

/** Retained on `up/presence`: the birth message, and as Last Will the offline marker. */
export const presenceSchema = z.strictObject({
  v: envelopeVersion,
  station: stationId,
  online: z.boolean(),
  at: epochMs,
  reason: z.enum(['birth', 'lwt', 'shutdown']),
  software: z.strictObject({ name: z.string(), version: z.string() }).optional(),
  stationName: z.string().max(60).optional(),
  region: z
    .strictObject({
      province: z.string(),
      city: z.string(),
      areaType: z.enum(['city', 'county']),
      areaCode: z.string(),
    })
    .optional(),
  groups: z.array(z.string()).optional(),
  config: z.strictObject({ version: z.int().nullable() }).optional(),
  services: z.array(serviceIdSchema).optional(),
  devices: z.record(z.string(), deviceHealth).optional(),
  cert: certStatusSchema.optional(),
});

/** Periodic health on `up/telemetry`. */
export const telemetrySchema = z.strictObject({
  v: envelopeVersion,
  station: stationId,
  at: epochMs,
  uptimeSec: z.number().min(0),
  devices: z.record(z.string(), deviceHealth),
  balance: z.strictObject({ balance: yuan, held: yuan, available: yuan, low: z.boolean() }),
  /** Transactions waiting for a follow-up (status or reversal query, confirmation). */
  open: z.strictObject({
    count: z.int().min(0),
    items: z.array(
      z.strictObject({ serial: z.string(), service: z.string(), state: z.string(), since: epochMs }),
    ),
  }),
  outbox: z.strictObject({ depth: z.int().min(0), oldestSeq: z.int().nullable(), lastSeq: z.int().min(0) }),
  disk: z.strictObject({ freeBytes: z.number().min(0), totalBytes: z.number().min(0) }).nullable(),
  safeMode: z.boolean(),
  cert: certStatusSchema,
});

/** `up/journal`: consecutive outbox events in sequence order. */
export const journalBatchSchema = z.strictObject({
  v: envelopeVersion,
  station: stationId,
  /** True when sent because HQ asked for a resend (the events may be acknowledged already). */
  resend: z.boolean().optional(),
  events: z.array(journalEventSchema).min(1).max(1000),
});

/** `up/req`: a transaction request. The answer goes to `replyTo` with the same `id`. */
export const requestSchema = z.strictObject({
  v: envelopeVersion,
  id: z.string().regex(/^[\w-]{8,64}$/),
  replyTo: z.string().min(1).max(200),
  station: stationId,
  at: epochMs,
  op: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  service: serviceIdSchema,
  serial: z.string().max(40),
  /** `<transaction key>:<op>:<generation>`; a repeat gets the first answer. */
  idempotencyKey: z.string().min(1).max(200),
  payload: z.record(z.string(), z.unknown()),
});

/** `up/cmd-result`: what the kiosk did with a command (also every rejection). */
export const commandResultSchema = z.strictObject({
  v: envelopeVersion,
  station: stationId,
  at: epochMs,
  cmd: z.string().max(40).nullable(),
  seq: z.int().nullable(),
  status: z.enum(['applied', 'rejected', 'failed']),
  reason: reasonSchema.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  /** For a replayed command that was applied before: the result it had then. */
  first: z.strictObject({ status: z.enum(['applied', 'rejected', 'failed']), at: epochMs }).optional(),
});

/** `up/report`: a report HQ asked for with the `report` command. */
export const reportSchema = z.strictObject({
  v: envelopeVersion,
  station: stationId,
  at: epochMs,
  seq: z.int(),
  report: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export { effectResultSchema };
export type Presence = z.infer<typeof presenceSchema>;
export type Telemetry = z.infer<typeof telemetrySchema>;
export type JournalBatch = z.infer<typeof journalBatchSchema>;
export type HqRequestMessage = z.infer<typeof requestSchema>;
export type CommandResult = z.infer<typeof commandResultSchema>;
export type ReportMessage = z.infer<typeof reportSchema>;
export type CertStatus = z.infer<typeof certStatusSchema>;
