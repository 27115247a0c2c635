import type { Notice } from '../../devices/display/notice.ts';
import { localInstant, toLocal } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../platform/logger.ts';
import type { AssistDesk } from './assist-desk.ts';

/** How often open requests are checked against their time limits and retention, ms. */
export const ASSIST_TICK_MS = 60_000;

/** The roof sign's part: publish a local notice, withdraw it. */
export interface HoursSign {
  publish(n: Notice): unknown;
  withdraw(id: string): unknown;
}

/**
 * Keeps the assisted services moving on their own: every minute (and at start) requests nearing or
 * past their promised time limit are flagged — journaled, so the operator's list and HQ both see
 * it before the limit passes — and personal data past its retention period is erased. It also
 * keeps the day's appointment hours on the roof sign as a low-priority local notice.
 */
export class AssistWatch {
  private timer: NodeJS.Timeout | undefined;
  private shownId: string | null = null;
  private shownText = '';
  private readonly onChange = (): void => this.showHours();

  constructor(
    private readonly desk: AssistDesk,
    private readonly sign: HoursSign | undefined,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.desk.on('changed', this.onChange);
    this.timer = setInterval(() => void this.run(), ASSIST_TICK_MS);
    this.timer.unref();
    void this.run();
  }

  stop(): void {
    clearInterval(this.timer);
    this.desk.off('changed', this.onChange);
  }

  async run(): Promise<void> {
    try {
      await this.desk.tick();
    } catch (e) {
      this.logger.error({ err: e }, 'assisted requests not checked');
    }
    this.showHours();
  }

  /** The day's hours on the sign (`今日预约 09:00-11:00 14:00-16:00`) until the day ends. */
  showHours(): void {
    if (!this.sign) return;
    const today = toLocal(this.clock.now()).date;
    const hours = this.desk.appointments.hoursToday();
    const text = hours.length ? `今日预约办理时段 ${hours.map((h) => `${h.from}-${h.to}`).join(' ')}` : '';
    const id = `assist-hours-${today}`;
    if (id === this.shownId && text === this.shownText) return;
    if (this.shownId) this.sign.withdraw(this.shownId);
    this.shownId = null;
    this.shownText = '';
    if (!text) return;
    this.sign.publish({
      id,
      text,
      priority: 'low',
      source: 'local',
      endsAt: localInstant(today, '23:59') + 59_000,
    });
    this.shownId = id;
    this.shownText = text;
  }
}
