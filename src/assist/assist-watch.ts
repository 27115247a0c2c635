import type { Notice } from '../../devices/display/notice.ts';
import { toLocal } from '../core/business-day.ts';
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

/** The day's appointment hours are announced on the sign every this many minutes, ... */
export const HOURS_EVERY_MIN = 10;
/** ... for this long each time, ms, so the service slogans keep their turn in between. */
export const HOURS_SHOW_MS = 30_000;

/**
 * Keeps the assisted services moving on their own: every minute (and at start) requests nearing or
 * past their promised time limit are flagged — journaled, so the operator's list and HQ both see
 * it before the limit passes — and personal data past its retention period is erased. It also
 * announces the day's appointment hours on the roof sign: a short low-priority local notice every
 * ten minutes, and at once when the guide changes them.
 */
export class AssistWatch {
  private timer: NodeJS.Timeout | undefined;
  private lastText = '';
  private lastSlot = '';
  private shownId: string | null = null;
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

  /** Announces `今日预约办理时段 09:00-11:00 14:00-16:00` when it changed or its ten minutes came. */
  showHours(): void {
    if (!this.sign) return;
    const now = this.clock.now();
    const local = toLocal(now);
    const hours = this.desk.appointments.hoursToday();
    const text = hours.length ? `今日预约办理时段 ${hours.map((h) => `${h.from}-${h.to}`).join(' ')}` : '';
    const slot = `${local.date}-${Math.floor(local.minute / HOURS_EVERY_MIN)}`;
    const changed = text !== this.lastText;
    const due = local.minute % HOURS_EVERY_MIN === 0 && slot !== this.lastSlot;
    this.lastText = text;
    if (!changed && !due) return;
    if (this.shownId) this.sign.withdraw(this.shownId);
    this.shownId = null;
    if (!text) return;
    this.lastSlot = slot;
    const id = `assist-hours-${local.date}-${local.hhmmss.slice(0, 4)}`;
    this.sign.publish({ id, text, priority: 'low', source: 'local', endsAt: now + HOURS_SHOW_MS });
    this.shownId = id;
  }
}
