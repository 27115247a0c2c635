import { z } from 'zod';

/**
 * Priority of a notice; `emergency` pre-empts everything: emergency information is released fast
 * and by priority, first report then follow-ups, until it expires or HQ withdraws it.
 */
export type Priority = 'emergency' | 'high' | 'normal' | 'low';

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { emergency: 3, high: 2, normal: 1, low: 0 };

const epochMs = z.int().min(0);

/**
 * A notice for the sign, from HQ or a local message of the kiosk. Times are epoch ms. The notice is
 * shown from `startsAt` (default: now) until `endsAt` (schedule end) or `expiresAt` (its content is
 * no longer valid), whichever comes first. A follow-up report (续报) names the first report's id in
 * `followUpOf`; the first report and its follow-ups form one thread, shown in that order.
 * Re-sending an id replaces that report (HQ delivers at least once).
 */
export const noticeSchema = z
  .strictObject({
    id: z.string().min(1).max(64),
    text: z.string().min(1).max(500),
    priority: z.enum(['emergency', 'high', 'normal', 'low']),
    startsAt: epochMs.optional(),
    endsAt: epochMs.optional(),
    expiresAt: epochMs.optional(),
    followUpOf: z.string().min(1).max(64).optional(),
    /** Layout override; by default emergencies and follow-ups are `split` with a label, others `auto`. */
    layout: z.enum(['auto', 'static', 'scroll', 'split']).optional(),
    source: z.enum(['hq', 'local']).optional(),
  })
  .refine((n) => n.startsAt === undefined || n.endsAt === undefined || n.endsAt > n.startsAt, {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  })
  .refine((n) => n.followUpOf !== n.id, { message: 'a report cannot follow itself', path: ['followUpOf'] });

export type Notice = z.infer<typeof noticeSchema>;
