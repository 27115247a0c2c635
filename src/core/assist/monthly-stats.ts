import { toLocal } from '../business-day.ts';
import type { Appointment } from './appointments.ts';
import type { AssistRequest } from './request.ts';

/** The outcome a request counts under in the month's statistics. */
export type StatsOutcome = 'closed' | 'refused' | 'open';

export interface MonthlyStats {
  /** yyyymm (Asia/Shanghai calendar month of registration). */
  month: string;
  /** Requests registered in the month, by request kind, matter and outcome. */
  byMatter: Array<{
    matter: string;
    kind: string;
    title: { zh: string; en: string };
    closed: number;
    refused: number;
    open: number;
    total: number;
  }>;
  totals: { closed: number; refused: number; open: number; total: number };
  /** Requests of the month that passed their promised time limit before a result came. */
  overdue: number;
  appointments: number;
}

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
