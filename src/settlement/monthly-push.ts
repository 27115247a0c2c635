import { addDays, businessDate } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import { periodTotals } from '../hq-link/handlers/report.ts';
import type { Journal } from '../journal/journal.ts';
import { configKey } from '../journal/keys.ts';
import type { Logger } from '../platform/logger.ts';

/** What the journal keeps of a month already reported: `c:monthly:<yyyymm>`. */
export interface MonthlyPushRecord {
  period: string;
  /** The `system` event that carries the report to HQ (relayed with the journal). */
  event: number;
  at: number;
  count: number;
}

export const monthlyPushKey = (period: string): string => configKey(`monthly:${period}`);

/** How often the month cut is looked for, ms (the report goes out within this after the cut). */
export const MONTHLY_CHECK_MS = 60_000;

/** The month (yyyymm) before `yyyymm`. */
export function previousMonth(yyyymm: string): string {
  const y = Number(yyyymm.slice(0, 4));
  const m = Number(yyyymm.slice(4, 6));
  return m === 1 ? `${y - 1}12` : `${y}${String(m - 1).padStart(2, '0')}`;
}

/**
 * Monthly statistics for HQ (每月结报): once the business date has passed into a new month, the
 * totals of the month before (by service and result) go into the journal as one `system` event
 * `monthly-report`, written in the same batch as `c:monthly:<yyyymm>`. The journal relay delivers
 * it (acknowledged, re-sent after a crash or while HQ is away; HQ stores it once), and the record
 * makes it once per month whatever restarts happen. Months before the journal's first event are
 * not reported.
 */
export class MonthlyPush {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<MonthlyPushRecord | null> = Promise.resolve(null);

  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly dayCut: () => string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), MONTHLY_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reports the month before the current business month if it is due; one check at a time. */
  check(): Promise<MonthlyPushRecord | null> {
    this.running = this.running
      .then(() => this.pushDue())
      .catch((e: unknown) => {
        this.logger.error({ err: e }, 'monthly report not recorded; tried again at the next check');
        return null;
      });
    return this.running;
  }

  private async pushDue(): Promise<MonthlyPushRecord | null> {
    const period = previousMonth(businessDate(this.clock.now(), this.dayCut()).slice(0, 6));
    if (await this.journal.getJson<MonthlyPushRecord>(monthlyPushKey(period))) return null;
    const first = await this.journal.getEvent(1);
    if (!first) return null;
    // The business month of the journal's first event: nothing to report before it.
    const firstMonth = businessDate(first.at, this.dayCut()).slice(0, 6);
    if (period < firstMonth) return null;
    const totals = await periodTotals(this.journal, period);
    const rec = await this.journal.commit((b) => {
      const ev = b.event({
        type: 'system',
        info: { kind: 'monthly-report', period, ...totals, lastDate: lastDateOf(period) },
      });
      const r: MonthlyPushRecord = { period, event: ev.seq, at: b.at, count: Number(totals.count) };
      b.put(monthlyPushKey(period), r);
      return r;
    });
    this.logger.info({ period, count: rec.count, event: rec.event }, 'monthly report recorded for HQ');
    return rec;
  }
}

/** The last calendar date (yyyymmdd) of a month yyyymm. */
function lastDateOf(yyyymm: string): string {
  const next = Number(yyyymm.slice(4, 6)) === 12 ? `${Number(yyyymm.slice(0, 4)) + 1}01` : null;
  const nextMonth = next ?? `${yyyymm.slice(0, 4)}${String(Number(yyyymm.slice(4, 6)) + 1).padStart(2, '0')}`;
  return addDays(`${nextMonth}01`, -1);
}
