import { parseTimeOfDay, SHANGHAI_OFFSET_MS, toLocal } from '../../src/core/business-day.ts';
import { type Notice, PRIORITY_RANK, type Priority } from './notice.ts';

/**
 * Pure rules of the sign's scheduler: which notices are live at an instant, how they group into
 * threads, what comes next in the rotation, when anything changes next, and the brightness.
 */

export type FinishReason = 'expired' | 'ended';

/** Why a report is over at `now`, or null when it is not. Expiry wins over the schedule end. */
export function finishedReason(n: Notice, now: number): FinishReason | null {
  if (n.expiresAt !== undefined && now >= n.expiresAt) return 'expired';
  if (n.endsAt !== undefined && now >= n.endsAt) return 'ended';
  return null;
}

export function isLive(n: Notice, now: number): boolean {
  return (n.startsAt === undefined || n.startsAt <= now) && finishedReason(n, now) === null;
}

export function threadIdOf(n: Notice): string {
  return n.followUpOf ?? n.id;
}

export interface Thread {
  id: string;
  /** The highest priority among its live reports. */
  priority: Priority;
  /** Live reports: the first report (if live) then follow-ups in arrival order. */
  reports: Notice[];
}

/**
 * Live threads, highest priority first, then by the arrival of their earliest report.
 * `reports` must be in arrival order.
 */
export function liveThreads(reports: readonly Notice[], now: number): Thread[] {
  const byId = new Map<string, Thread>();
  for (const n of reports) {
    if (!isLive(n, now)) continue;
    const id = threadIdOf(n);
    let t = byId.get(id);
    if (!t) {
      t = { id, priority: n.priority, reports: [] };
      byId.set(id, t);
    }
    if (PRIORITY_RANK[n.priority] > PRIORITY_RANK[t.priority]) t.priority = n.priority;
    if (n.id === id) t.reports.unshift(n);
    else t.reports.push(n);
  }
  const order = [...byId.values()];
  return order
    .map((t, i) => ({ t, i }))
    .sort((a, b) => PRIORITY_RANK[b.t.priority] - PRIORITY_RANK[a.t.priority] || a.i - b.i)
    .map(({ t }) => t);
}

export type Selection =
  | { kind: 'notice'; threadId: string; reportId: string }
  | { kind: 'slogan'; index: number };

/**
 * The next thing to show after `current` finished a pass. Only the highest priority level present
 * is shown (emergencies exclude everything else). Within a thread the reports follow each other
 * (first report, then follow-ups); after a thread's last report the next thread of that level
 * comes, round robin after `lastThreadId`. With no live notice the slogans rotate, continuing
 * after `lastSlogan`. Undefined when there is nothing to show at all.
 */
export function pickNext(
  threads: readonly Thread[],
  current: Selection | undefined,
  lastThreadId: string | undefined,
  lastSlogan: number,
  sloganCount: number,
): Selection | undefined {
  const top = threads[0];
  if (!top) return sloganCount > 0 ? { kind: 'slogan', index: (lastSlogan + 1) % sloganCount } : undefined;
  const level = threads.filter((t) => t.priority === top.priority);
  if (current?.kind === 'notice') {
    const t = level.find((x) => x.id === current.threadId);
    const at = t ? t.reports.findIndex((r) => r.id === current.reportId) : -1;
    const following = t && at >= 0 ? t.reports[at + 1] : undefined;
    if (t && following) return { kind: 'notice', threadId: t.id, reportId: following.id };
  }
  const lastIdx = level.findIndex(
    (x) => x.id === (current?.kind === 'notice' ? current.threadId : lastThreadId),
  );
  const next = level[(lastIdx + 1) % level.length] ?? top;
  return { kind: 'notice', threadId: next.id, reportId: next.reports[0]?.id ?? next.id };
}

/** The next instant after `now` at which any report starts, ends or expires. */
export function nextChangeAt(reports: readonly Notice[], now: number): number | undefined {
  let best: number | undefined;
  for (const n of reports) {
    for (const t of [n.startsAt, n.endsAt, n.expiresAt]) {
      if (t !== undefined && t > now && (best === undefined || t < best)) best = t;
    }
  }
  return best;
}

export interface BrightnessRule {
  dayPercent: number;
  nightPercent: number;
  /** Local times "HH:MM" (Asia/Shanghai); the night window may wrap midnight. */
  nightFrom: string;
  nightTo: string;
}

function inNight(now: number, r: BrightnessRule): boolean {
  const m = toLocal(now).minute;
  const a = parseTimeOfDay(r.nightFrom);
  const b = parseTimeOfDay(r.nightTo);
  if (a === b) return false;
  return a < b ? m >= a && m < b : m >= a || m < b;
}

export function brightnessAt(now: number, r: BrightnessRule): number {
  return inNight(now, r) ? r.nightPercent : r.dayPercent;
}

/** The next instant after `now` at which local time reaches nightFrom or nightTo. */
export function nextBrightnessChangeAt(now: number, r: BrightnessRule): number {
  const dayMs = 86_400_000;
  const localMidnight = Math.floor((now + SHANGHAI_OFFSET_MS) / dayMs) * dayMs - SHANGHAI_OFFSET_MS;
  const candidates = [r.nightFrom, r.nightTo].flatMap((hhmm) => {
    const at = localMidnight + parseTimeOfDay(hhmm) * 60_000;
    return [at, at + dayMs];
  });
  return Math.min(...candidates.filter((t) => t > now));
}
