import { z } from 'zod';
import { COMMANDS } from '../topics.ts';
import { effectResultSchema, envelopeVersion, epochMs, stationId } from './common.ts';

/**
 * Everything HQ sends a kiosk is wrapped in this envelope. `payload` is the exact JSON text that
 * was signed (Ed25519 over its UTF-8 bytes), so no canonical form is needed.
 */
export const signedEnvelopeSchema = z.strictObject({
  v: envelopeVersion,
  alg: z.literal('Ed25519'),
  payload: z.string().min(2).max(1_000_000),
  /** base64 of the 64-byte signature. */
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});

const signedCommon = {
  /** The one station this message is for. */
  station: stationId,
  /** Issued at / expires at, epoch ms. A message past `exp` is refused. */
  iat: epochMs,
  exp: epochMs,
};

/** A command (`down/cmd/<cmd>`): sequence numbers are per station and never reused. */
export const signedCommandSchema = z.strictObject({
  kind: z.literal('cmd'),
  ...signedCommon,
  seq: z.int().min(1),
  cmd: z.enum(COMMANDS),
  data: z.unknown(),
});

/** An answer to a request (`down/res`); single use per `id`. */
export const signedResponseSchema = z.strictObject({
  kind: z.literal('res'),
  ...signedCommon,
  id: z.string().regex(/^[\w-]{8,64}$/),
  result: effectResultSchema,
});

/** HQ has stored these journal events durably (`down/ack`); inclusive ranges of sequence numbers. */
export const signedAckSchema = z.strictObject({
  kind: z.literal('ack'),
  ...signedCommon,
  ranges: z
    .array(z.tuple([z.int().min(1), z.int().min(1)]).refine(([a, b]) => b >= a, 'range end before start'))
    .min(1)
    .max(1000),
});

export const signedPayloadSchema = z.discriminatedUnion('kind', [
  signedCommandSchema,
  signedResponseSchema,
  signedAckSchema,
]);

export type SignedEnvelope = z.infer<typeof signedEnvelopeSchema>;
export type SignedCommand = z.infer<typeof signedCommandSchema>;
export type SignedResponse = z.infer<typeof signedResponseSchema>;
export type SignedAck = z.infer<typeof signedAckSchema>;
export type SignedPayload = z.infer<typeof signedPayloadSchema>;
