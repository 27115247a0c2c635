import { z } from 'zod';
import { addDays, localInstant, SHANGHAI_OFFSET_MS } from '../business-day.ts';
import { KioskError } from '../errors.ts';
import type { Guide, Matter } from './guide.ts';
import { citizenSchema } from './request.ts';

/**
 * A booked appointment (预约办理): a matter, a day and a slot of that day's hours. The one
 * definition of its shape: the type below, the journal record and the API's published schema.
 */
export const appointmentSchema = z.object({
  id: z.string(),
  /** Short number printed on the slip. */
  number: z.string(),
  matter: z.string(),
  matterTitle: z.object({ zh: z.string(), en: z.string() }),
  /** yyyymmdd (Asia/Shanghai). */
  date: z.string().regex(/^\d{8}$/),
  from: z.string().regex(/^\d{2}:\d{2}$/),
  to: z.string().regex(/^\d{2}:\d{2}$/),
  citizen: citizenSchema,
  purgedAt: z.number().int().nullable(),
  channel: z.enum(['operator', 'self']),
  /** `booked` until the citizen is served (办理) or the booking is cancelled; both are final. */
  status: z.enum(['booked', 'served', 'cancelled']),
  /** The operator who served or cancelled it, and when (absent while booked). */
  closedBy: z.string().optional(),
  closedAt: z.number().int().optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

/** How an operator closes a booking: the API action and the state it leads to. */
export const APPOINTMENT_CLOSES = [
  ['cancel', 'cancelled'],
  ['serve', 'served'],
] as const;

/**
 * Closes a booked appointment as `served` or `cancelled` by an operator. Closing it again the same
 * way changes nothing (`changed: false`, the same record); the other way round is refused: a
 * citizen already served cannot be cancelled, a cancelled booking cannot be served. Pure.
 */
export function closeAppointment(
  a: Appointment,
  to: 'served' | 'cancelled',
  operator: string,
  now: number,
): { appointment: Appointment; changed: boolean } {
  if (a.status === to) return { appointment: a, changed: false };
  if (a.status !== 'booked')
    throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
      field: 'id',
      ...(a.status === 'served'
        ? {
            zh: `预约 ${a.id} 已办理，不能取消`,
            en: `appointment ${a.id} was already served; it cannot be cancelled`,
          }
        : {
            zh: `预约 ${a.id} 已取消，不能再办理`,
            en: `appointment ${a.id} was cancelled; it cannot be served`,
          }),
    });
  return {
    appointment: { ...a, status: to, closedBy: operator, closedAt: now, updatedAt: now },
    changed: true,
  };
}

/** One slot of a day as offered: its capacity, how many are booked and what is left. */
export const slotViewSchema = z.object({
  from: z.string(),
  to: z.string(),
  capacity: z.number().int(),
  booked: z.number().int(),
  left: z.number().int(),
});
export type SlotView = z.infer<typeof slotViewSchema>;

/** ISO weekday (1 = Monday … 7 = Sunday) of a yyyymmdd date. */
export function weekdayOf(date: string): number {
  const d = new Date(localInstant(date, '12:00') + SHANGHAI_OFFSET_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The dates a matter can be booked on from `today` (yyyymmdd), within its days ahead. */
export function bookableDates(m: Matter, today: string): string[] {
  const h = m.appointment;
  if (!h) return [];
  const out: string[] = [];
  for (let i = 0; i <= h.daysAhead; i++) {
    const d = addDays(today, i);
    if (h.weekdays.includes(weekdayOf(d))) out.push(d);
  }
  return out;
}

/**
 * The slots of a matter on a date with what is left of each, given the appointments booked for it;
 * a slot that has begun by `now` is no longer offered. Empty on a day without hours.
 */
export function slotsOn(m: Matter, date: string, booked: readonly Appointment[], now: number): SlotView[] {
  const h = m.appointment;
  if (!h?.weekdays.includes(weekdayOf(date))) return [];
  return h.slots
    .filter((s) => localInstant(date, s.from) > now)
    .map((s) => {
      const n = booked.filter(
        (a) => a.status === 'booked' && a.matter === m.id && a.date === date && a.from === s.from,
      ).length;
      return { from: s.from, to: s.to, capacity: s.capacity, booked: n, left: Math.max(0, s.capacity - n) };
    });
}

/** The day's appointment hours over every matter, merged and sorted: `09:00-11:00 14:00-16:00`. */
export function hoursOfDay(guide: Guide | undefined, date: string): Array<{ from: string; to: string }> {
  const seen = new Map<string, { from: string; to: string }>();
  for (const m of guide?.matters ?? []) {
    const h = m.appointment;
    if (!h?.weekdays.includes(weekdayOf(date))) continue;
    for (const s of h.slots) seen.set(`${s.from}-${s.to}`, { from: s.from, to: s.to });
  }
  return [...seen.values()].sort((a, b) => a.from.localeCompare(b.from));
}
