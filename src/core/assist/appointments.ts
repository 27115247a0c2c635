import { addDays, localInstant, SHANGHAI_OFFSET_MS } from '../business-day.ts';
import type { Guide, Matter } from './guide.ts';
import type { Citizen } from './request.ts';

/** A booked appointment (预约办理): a matter, a day and a slot of that day's hours. */
export interface Appointment {
  id: string;
  /** Short number printed on the slip. */
  number: string;
  matter: string;
  matterTitle: { zh: string; en: string };
  /** yyyymmdd (Asia/Shanghai). */
  date: string;
  from: string;
  to: string;
  citizen: Citizen;
  purgedAt: number | null;
  channel: 'operator' | 'self';
  status: 'booked' | 'cancelled';
  createdAt: number;
  updatedAt: number;
}

export interface SlotView {
  from: string;
  to: string;
  capacity: number;
  booked: number;
  left: number;
}

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
