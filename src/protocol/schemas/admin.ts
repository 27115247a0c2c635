import { z } from 'zod';
import { envelopeVersion } from './common.ts';

/** `kiosk-hq` → HQ (`hq/v1/admin/req`, shared): one admin action. */
export const adminRequestSchema = z.strictObject({
  v: envelopeVersion,
  id: z.string().regex(/^[\w-]{8,64}$/),
  replyTo: z.string().regex(/^hq\/v1\/admin\/res\/[\w.-]{1,64}$/),
  action: z.enum([
    'kiosks',
    'notice-send',
    'notice-withdraw',
    'config-push',
    'services',
    'terminal',
    'topup',
    'balance-event',
    'stats-monthly',
    'report',
    'journal',
    'fault',
    'qr-list',
    'qr-pay',
    'qr-expire',
    'guide-push',
    'requests',
    'request-update',
    'request-stats',
    'settlements',
    'repayments',
    'monthly-reports',
  ]),
  args: z.record(z.string(), z.unknown()),
});

export const adminResponseSchema = z.strictObject({
  v: envelopeVersion,
  id: z.string(),
  ok: z.boolean(),
  data: z.unknown().optional(),
  error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
});

/** `hq/v1/control`: fault injection for the simulated billers (every HQ instance obeys). */
export const faultControlSchema = z.strictObject({
  v: envelopeVersion,
  /** A service id, or `*` for every biller. */
  service: z.string().regex(/^(\*|[a-z][a-z0-9-]{1,40})$/),
  mode: z.enum(['normal', 'slow', 'failing', 'silent', 'duplicate', 'unknown']),
  /** Extra latency for `slow`, ms. */
  latencyMs: z.int().min(0).max(600_000).optional(),
});

export type AdminRequest = z.infer<typeof adminRequestSchema>;
export type AdminResponse = z.infer<typeof adminResponseSchema>;
export type FaultControl = z.infer<typeof faultControlSchema>;
