import { z } from 'zod';
import { guideSchema } from '../../core/assist/guide.ts';
import { requestUpdateSchema } from '../../core/assist/request.ts';
import type { CommandName } from '../topics.ts';
import { epochMs, serviceIdSchema } from './common.ts';

const noticeId = z.string().regex(/^[\w.-]{1,64}$/);

/** The fields of a notice, before the cross-field rules. */
export const noticeFieldsSchema = z.strictObject({
  id: noticeId,
  text: z.string().min(1).max(500),
  priority: z.enum(['emergency', 'high', 'normal', 'low']),
  /** First report (首报) or a follow-up (续报) of `followUpOf`. */
  kind: z.enum(['first', 'follow-up']),
  followUpOf: noticeId.nullable(),
  /** Shown from `startAt` (null = now) until `endAt` (null = until withdrawn). */
  startAt: epochMs.nullable(),
  endAt: epochMs.nullable(),
});

/** LED / screen notice. `emergency` pre-empts everything until it ends or is withdrawn. */
export const noticeCommandSchema = noticeFieldsSchema
  .refine((n) => n.kind === 'first' || n.followUpOf !== null, {
    message: 'a follow-up names the notice it follows',
    path: ['followUpOf'],
  })
  .refine((n) => n.endAt === null || n.startAt === null || n.endAt > n.startAt, {
    message: 'endAt must be after startAt',
    path: ['endAt'],
  });

export const noticeWithdrawCommandSchema = z.strictObject({ id: noticeId });

/** A whole HQ configuration layer; `version` must be higher than the one applied. */
export const configCommandSchema = z.strictObject({
  version: z.int().min(1),
  overrides: z.record(z.string(), z.unknown()),
});

/** Go back to the previous HQ layer (the kiosk keeps one). */
export const configRollbackCommandSchema = z.strictObject({ fromVersion: z.int().min(1) });

/** Prepaid balance event (counter top-up, same-day top-up reversal, adjustment, refund notice). */
export const balanceCommandSchema = z
  .strictObject({
    kind: z.enum(['topup', 'topup-reversal', 'adjustment', 'refund']),
    fen: z.int().min(-999_999_999).max(999_999_999),
    ref: z.string().regex(/^[\w.:-]{1,64}$/),
    serial: z.string().max(40).optional(),
    note: z.string().max(200).optional(),
    /** For a top-up reversal: the deposit slip (ref) of the top-up it reverses. */
    original: z
      .string()
      .regex(/^[\w.:-]{1,64}$/)
      .optional(),
  })
  .refine((b) => (b.kind === 'adjustment' ? b.fen !== 0 : b.fen > 0), {
    message: 'fen must be positive (adjustments: non-zero)',
    path: ['fen'],
  })
  .refine((b) => b.kind !== 'topup-reversal' || b.original !== undefined, {
    message: 'a top-up reversal names the original deposit slip',
    path: ['original'],
  });

/**
 * Services enabled at this station (a service goes live only after its operator is trained), and
 * the cities of its province whose mobile numbers it may top up (omitted: unchanged).
 */
export const servicesCommandSchema = z.strictObject({
  enabled: z.array(serviceIdSchema).max(100),
  mobileRegions: z.array(z.string().min(1).max(20)).max(100).optional(),
});

/** Credit-card repayment terminal (8 digits) bound to the station, and its status. */
export const terminalCommandSchema = z.strictObject({
  terminalNo: z
    .string()
    .regex(/^\d{8}$/)
    .nullable(),
  status: z.enum(['enabled', 'disabled']),
  /** Why HQ disabled the terminal, shown to the operator when a repayment is refused. */
  reason: z.string().min(1).max(200).optional(),
});

export const reportCommandSchema = z
  .strictObject({
    report: z.enum(['daily', 'monthly', 'open']),
    /** yyyymmdd for `daily`, yyyymm for `monthly`. */
    period: z
      .string()
      .regex(/^\d{6}(\d{2})?$/)
      .nullable(),
  })
  .refine((r) => r.report === 'open' || r.period !== null, { message: 'period required', path: ['period'] });

export const journalResendCommandSchema = z
  .strictObject({ fromSeq: z.int().min(1), toSeq: z.int().min(1).nullable() })
  .refine((r) => r.toSeq === null || r.toSeq >= r.fromSeq, { message: 'toSeq < fromSeq', path: ['toSeq'] });

/**
 * HQ's comparison of a settlement's digest (网点扎账核对): the digest HQ computed for settlement `id`
 * of `businessDate` from the journal events it received. The kiosk records it beside its own.
 */
export const settlementCheckCommandSchema = z.strictObject({
  businessDate: z.string().regex(/^\d{8}$/),
  id: z.int().min(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});

export const commandDataSchemas = {
  notice: noticeCommandSchema,
  'notice-withdraw': noticeWithdrawCommandSchema,
  config: configCommandSchema,
  'config-rollback': configRollbackCommandSchema,
  balance: balanceCommandSchema,
  services: servicesCommandSchema,
  terminal: terminalCommandSchema,
  report: reportCommandSchema,
  'journal-resend': journalResendCommandSchema,
  'settlement-check': settlementCheckCommandSchema,
  /** The published service guide (办事指南), versioned like a config layer. */
  guide: guideSchema,
  /** Moves an assisted request (HQ stands in for the sub-district service centre). */
  request: requestUpdateSchema,
} as const satisfies Record<CommandName, z.ZodType>;

export type CommandData = { [K in CommandName]: z.output<(typeof commandDataSchemas)[K]> };
export type NoticeCommand = CommandData['notice'];
