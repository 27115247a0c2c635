import { z } from 'zod';
import { moneyString, timeOfDay } from '../../config/types.ts';

/**
 * The published service guide (办事指南): the matters a station can take on for citizens, each with
 * its content, procedure, required materials, promised time limit and fee (公开服务内容、办事程序、
 * 申报材料、承诺时限和收费标准). HQ pushes it signed and versioned; the kiosk refuses a catalogue with
 * any problem, listing every one, and keeps the one it had.
 */

const text = (max: number) =>
  z.strictObject({
    zh: z.string().min(1).max(max),
    en: z
      .string()
      .min(1)
      .max(max * 3),
  });

/** How a matter is handled (篇九): on the spot, time-limited, by appointment, by proxy. */
export const HANDLING_MODES = ['on-the-spot', 'time-limited', 'appointment', 'proxy'] as const;
export type HandlingMode = (typeof HANDLING_MODES)[number];

export const MODE_TEXT: Readonly<Record<HandlingMode, { zh: string; en: string }>> = {
  'on-the-spot': { zh: '现场办理', en: 'On the spot' },
  'time-limited': { zh: '限时办理', en: 'Time-limited' },
  appointment: { zh: '预约办理', en: 'By appointment' },
  proxy: { zh: '代为办理', en: 'By proxy' },
};

/**
 * What a registered request is: a matter taken to the authorities (代办/帮办), a found item kept for
 * its owner (失物招领), or an item dropped off for free repair (义务维修) — one mechanism for all.
 */
export const REQUEST_KINDS = ['proxy', 'lost-found', 'repair'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

const slotSchema = z
  .strictObject({ from: timeOfDay, to: timeOfDay, capacity: z.int().min(1).max(200) })
  .refine((s) => s.from < s.to, { message: 'a slot ends after it starts', path: ['to'] });

/** Appointment hours of a matter: weekdays (1 = Monday … 7 = Sunday) and slots on those days. */
export const appointmentHoursSchema = z.strictObject({
  weekdays: z.array(z.int().min(1).max(7)).min(1).max(7),
  slots: z.array(slotSchema).min(1).max(24),
  /** Bookable this many days ahead, today included (0 = today only). */
  daysAhead: z.int().min(0).max(60),
});

export const matterSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a kebab-case matter id'),
    kind: z.enum(REQUEST_KINDS),
    title: text(24),
    content: text(300),
    procedure: z.array(text(120)).min(1).max(12),
    materials: z.array(text(80)).max(20),
    /** Promised time limit in calendar days from registration; 0 = done on the spot. */
    timeLimitDays: z.int().min(0).max(365),
    /** Fee the citizen pays (most matters are free): yuan. */
    fee: moneyString,
    mode: z.enum(HANDLING_MODES),
    /** Must be done by the citizen in person (marriage registration and the like): no proxy. */
    inPerson: z.boolean(),
    /** A citizen may register it alone at the touchscreen. */
    selfService: z.boolean(),
    appointment: appointmentHoursSchema.nullable(),
  })
  .refine((m) => m.mode !== 'appointment' || m.appointment !== null, {
    message: 'a matter handled by appointment lists its appointment hours',
    path: ['appointment'],
  })
  .refine((m) => !(m.inPerson && m.mode === 'proxy'), {
    message: 'a matter that must be done in person cannot be handled by proxy',
    path: ['mode'],
  })
  .refine((m) => (m.mode === 'on-the-spot') === (m.timeLimitDays === 0), {
    message: 'on-the-spot matters have time limit 0, all others at least 1 day',
    path: ['timeLimitDays'],
  });

export const guideSchema = z
  .strictObject({
    version: z.int().min(1),
    matters: z.array(matterSchema).min(1).max(200),
    /** Personal data of a finished request or appointment is erased this many days after it ended. */
    retentionDays: z.int().min(1).max(3650),
    /** An open request is flagged to the operator and HQ this many hours before its time limit. */
    overdueWarnHours: z
      .int()
      .min(1)
      .max(24 * 30),
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>();
    g.matters.forEach((m, i) => {
      if (seen.has(m.id))
        ctx.addIssue({ code: 'custom', message: `duplicate matter id ${m.id}`, path: ['matters', i, 'id'] });
      seen.add(m.id);
    });
  });

export type Matter = z.output<typeof matterSchema>;
export type Guide = z.output<typeof guideSchema>;
export type AppointmentHours = z.output<typeof appointmentHoursSchema>;

/** Every problem of a catalogue as `path: message`, in one pass; empty when it is valid. */
export function guideProblems(input: unknown): Array<{ field: string; zh: string; en: string }> {
  const r = guideSchema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || '(root)',
    zh: `办事指南内容有误（${i.message}）`,
    en: i.message,
  }));
}

/** The matter with this id, or undefined. */
export function matterOf(guide: Guide | undefined, id: string): Matter | undefined {
  return guide?.matters.find((m) => m.id === id);
}
