import { z } from 'zod';
import { toLocal } from '../business-day.ts';
import type { Appointment } from './appointments.ts';
import { REQUEST_KINDS } from './guide.ts';
import type { AssistRequest } from './request.ts';

/** The outcome a request counts under in the month's statistics. */
export type StatsOutcome = 'closed' | 'refused' | 'open';

const counts = {
  closed: z.number().int().min(0),
  refused: z.number().int().min(0),
  open: z.number().int().min(0),
  total: z.number().int().min(0),
};

/** A month's statistics as computed, journaled for HQ, printed and answered. */
export const monthlyStatsSchema = z.object({
  /** yyyymm (Asia/Shanghai calendar month of registration). */
  month: z.string().regex(/^\d{6}$/),
  /** Requests registered in the month, by request kind, matter and outcome. */
  byMatter: z.array(
    z.object({
      matter: z.string(),
      kind: z.enum(REQUEST_KINDS),
      title: z.object({ zh: z.string(), en: z.string() }),
      ...counts,
    }),
  ),
  totals: z.object(counts),
  /** Requests of the month that passed their promised time limit before a result came. */
  overdue: z.number().int().min(0),
  /** Appointments of the month not cancelled. */
  appointments: z.number().int().min(0),
});
export type MonthlyStats = z.infer<typeof monthlyStatsSchema>;

const yyyymm = z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/, 'must be yyyymm');

/** Which month's statistics to send (and print) or print: the current month when left out. */
export const statsRequestSchema = z.strictObject({
  month: yyyymm.optional(),
  /** Send also prints them. */
  print: z.boolean().optional(),
});
export type StatsRequest = z.output<typeof statsRequestSchema>;

/** The month alone: the query of GET /api/assist/stats and the body of printing them. */
export const statsMonthSchema = statsRequestSchema.pick({ month: true });

/**
 * The month's statistics (每月结报) of the station's requests and appointments, by registration
 * month. A request counts as overdue once it was flagged overdue, whatever became of it. Pure.
 */
export function monthlyStats(
  month: string,
  requests: readonly AssistRequest[],
  appointments: readonly Appointment[],
): MonthlyStats {
  const rows = new Map<string, MonthlyStats['byMatter'][number]>();
  const totals = { closed: 0, refused: 0, open: 0, total: 0 };
  let overdue = 0;
  for (const r of requests) {
    if (toLocal(r.registeredAt).date.slice(0, 6) !== month) continue;
    const outcome: StatsOutcome =
      r.state === 'closed' ? 'closed' : r.state === 'refused' ? 'refused' : 'open';
    const row = rows.get(r.matter) ?? {
      matter: r.matter,
      kind: r.kind,
      title: r.matterTitle,
      closed: 0,
      refused: 0,
      open: 0,
      total: 0,
    };
    rows.set(r.matter, row);
    row[outcome]++;
    row.total++;
    totals[outcome]++;
    totals.total++;
    if (wasOverdue(r)) overdue++;
  }
  const byMatter = [...rows.values()].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.matter.localeCompare(b.matter),
  );
  const booked = appointments.filter((a) => a.status !== 'cancelled' && a.date.slice(0, 6) === month).length;
  return { month, byMatter, totals, overdue, appointments: booked };
}

/** Flagged overdue now, or a result (or refusal) that came after the deadline. */
export function wasOverdue(r: AssistRequest): boolean {
  if (r.flag === 'overdue') return true;
  const settled = r.history.find((s) => s.state === 'result-received' || s.state === 'refused');
  return settled !== undefined && settled.at > r.deadlineAt;
}
