import { z } from 'zod';

/** Version of the message envelope; a receiver refuses versions it does not know. */
export const envelopeVersion = z.literal(1);
export const stationId = z.string().regex(/^\d{8}$/, 'must be an 8-digit station id');
/** Epoch milliseconds, UTC. */
export const epochMs = z.int().min(0);
export const bilingual = z.strictObject({ zh: z.string().max(500), en: z.string().max(500) });
export const reasonSchema = z.strictObject({
  code: z.string().min(1).max(64),
  zh: z.string().max(500),
  en: z.string().max(500),
});
/** yuan with 2 decimals, as text: money never travels as a float. */
export const yuan = z.string().regex(/^-?\d{1,9}(\.\d{1,2})?$/, 'must be yuan like "12.50"');
export const serviceIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/);

/** What a biller answered; mirrors the engine's EffectResult. */
export const effectResultSchema = z.strictObject({
  outcome: z.enum(['ok', 'declined', 'pending', 'unknown']),
  data: z.record(z.string(), z.unknown()).optional(),
  reason: reasonSchema.optional(),
});
