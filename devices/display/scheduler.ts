import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import { KioskError } from '../../src/core/errors.ts';
import { type Notice, noticeSchema, type Priority } from './notice.ts';
import {
  type BrightnessRule,
  brightnessAt,
  finishedReason,
  isLive,
  liveThreads,
  nextBrightnessChangeAt,
  nextChangeAt,
  pickNext,
  type Selection,
  threadIdOf,
} from './schedule-rules.ts';

export interface ScheduleItem {
  kind: 'notice' | 'slogan';
  /** The report's id, or `slogan:<index>`. */
  id: string;
  text: string;
  priority: Priority | 'idle';
  threadId?: string;
  /** A follow-up report (续报) of an earlier notice. */
  followUp: boolean;
  notice?: Notice;
}

/** Why an item left the panel. */
export type EndReason =
  | 'completed'
  | 'preempted'
  | 'withdrawn'
  | 'expired'
  | 'ended'
  | 'replaced'
  | 'stopped';
export type RemovalReason = 'withdrawn' | 'expired' | 'ended';
export type PublishResult = 'accepted' | 'replaced' | 'duplicate' | 'refused-withdrawn' | 'already-over';

export interface SchedulerEvents {
  show: [ScheduleItem];
  end: [ScheduleItem, EndReason];
  /** Nothing to show: no live notice and no slogan. */
  blank: [];
  brightness: [number];
  /** A report left the scheduler for good. */
  removed: [{ id: string; threadId: string; reason: RemovalReason; at: number }];
}

export interface SchedulerOptions {
  clock: Clock;
  slogans: readonly string[];
  brightness: BrightnessRule;
  /** Duration of one pass of `item` on the panel in ms (from its layout). */
  passMs: (item: ScheduleItem) => number;
  /** How long withdrawn ids are remembered, so that late re-deliveries are refused. Default 7 days. */
  withdrawnMemoryMs?: number;
}

/** Longest single timer; longer waits are re-armed (setTimeout overflows at 2^31 ms). */
const MAX_TIMER_MS = 6 * 60 * 60 * 1000;

/**
 * Decides what the sign shows and when, by the rules in schedule-rules.ts:
 * - an emergency pre-empts anything else at once, mid-pass; any notice pre-empts an idle slogan;
 *   other changes wait for the end of the current pass;
 * - reports appear at `startsAt` and disappear at `endsAt`/`expiresAt` or on withdraw, at once even
 *   mid-pass; withdrawing a first report withdraws its whole thread;
 * - brightness follows the night window.
 * Timers run on the injected clock's time (vitest fake timers in tests).
 */
export class NoticeScheduler extends EventEmitter<SchedulerEvents> {
  private reports: Notice[] = [];
  private readonly withdrawn = new Map<string, number>();
  private current: { sel: Selection; item: ScheduleItem } | undefined;
  private lastThreadId: string | undefined;
  private lastSlogan = -1;
  private running = false;
  private blank = false;
  private brightness: number | undefined;
  private passTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private brightnessTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SchedulerOptions) {
    super();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.blank = false;
    this.brightness = undefined;
    this.updateBrightness();
    this.evaluate(new Map());
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const t of [this.passTimer, this.wakeTimer, this.brightnessTimer]) clearTimeout(t);
    const cur = this.current;
    this.current = undefined;
    if (cur) this.emit('end', cur.item, 'stopped');
  }

  /** Adds or replaces a report. Throws KIOSK_E_INVALID_INPUT for a malformed notice. */
  publish(input: Notice): PublishResult {
    const parsed = noticeSchema.safeParse(input);
    if (!parsed.success) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: parsed.error.issues[0]?.path.join('.') || 'notice',
        en: `invalid notice: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      });
    }
    const n = parsed.data;
    const now = this.opts.clock.now();
    if (this.withdrawn.has(n.id) || this.withdrawn.has(threadIdOf(n))) return 'refused-withdrawn';
    if (finishedReason(n, now)) return 'already-over';
    const at = this.reports.findIndex((r) => r.id === n.id);
    if (at >= 0 && JSON.stringify(this.reports[at]) === JSON.stringify(n)) return 'duplicate';
    if (at >= 0) this.reports[at] = n;
    else this.reports.push(n);
    const cur = this.current;
    if (
      at >= 0 &&
      cur?.sel.kind === 'notice' &&
      cur.sel.reportId === n.id &&
      isLive(n, now) &&
      this.running
    ) {
      this.show(cur.sel, 'replaced');
    }
    this.evaluate(new Map());
    return at >= 0 ? 'replaced' : 'accepted';
  }

  /**
   * Takes a report off at once. The id of a first report withdraws its whole thread. The id is
   * remembered, so a late re-delivery is refused. Returns whether anything was removed.
   */
  withdraw(id: string): boolean {
    const now = this.opts.clock.now();
    this.withdrawn.set(id, now);
    const isThread = this.reports.some((r) => threadIdOf(r) === id);
    const gone = this.reports.filter((r) => r.id === id || (isThread && threadIdOf(r) === id));
    if (gone.length === 0) return false;
    this.reports = this.reports.filter((r) => !gone.includes(r));
    const reasons = new Map<string, RemovalReason>();
    for (const r of gone) {
      reasons.set(r.id, 'withdrawn');
      this.emit('removed', { id: r.id, threadId: threadIdOf(r), reason: 'withdrawn', at: now });
    }
    this.evaluate(reasons);
    return true;
  }

  currentItem(): ScheduleItem | undefined {
    return this.current?.item;
  }

  /** Reports that are live now, in arrival order. */
  liveNotices(): Notice[] {
    const now = this.opts.clock.now();
    return this.reports.filter((r) => isLive(r, now));
  }

  /** Reports not yet over (live or scheduled for later), in arrival order. */
  pendingNotices(): Notice[] {
    return [...this.reports];
  }

  private evaluate(removed: Map<string, RemovalReason>): void {
    const now = this.opts.clock.now();
    for (const r of this.reports) {
      const why = finishedReason(r, now);
      if (!why) continue;
      removed.set(r.id, why);
      this.emit('removed', { id: r.id, threadId: threadIdOf(r), reason: why, at: now });
    }
    if (removed.size > 0) this.reports = this.reports.filter((r) => !removed.has(r.id));
    const memory = this.opts.withdrawnMemoryMs ?? 7 * 86_400_000;
    for (const [id, at] of this.withdrawn) if (now - at > memory) this.withdrawn.delete(id);
    if (!this.running) return;

    const cur = this.current;
    const threads = liveThreads(this.reports, now);
    if (!cur) {
      this.advance(undefined);
    } else if (cur.sel.kind === 'notice') {
      const id = cur.sel.reportId;
      const report = this.reports.find((r) => r.id === id);
      if (!report) this.advance(removed.get(id) ?? 'withdrawn');
      else if (!isLive(report, now)) this.advance('replaced');
      else if (threads[0]?.priority === 'emergency' && cur.item.priority !== 'emergency')
        this.advance('preempted');
    } else if (threads.length > 0) {
      this.advance('preempted');
    }
    this.armWake(now);
  }

  /** Moves on to the next item; `reason` is why the current one leaves (undefined: nothing shown). */
  private advance(reason: EndReason | undefined): void {
    const cur = this.current;
    const now = this.opts.clock.now();
    const sel = pickNext(
      liveThreads(this.reports, now),
      cur?.sel,
      this.lastThreadId,
      this.lastSlogan,
      this.opts.slogans.length,
    );
    if (!sel) {
      clearTimeout(this.passTimer);
      this.current = undefined;
      if (cur && reason) this.emit('end', cur.item, reason);
      if (!this.blank) {
        this.blank = true;
        this.emit('blank');
      }
      return;
    }
    if (cur && reason === 'completed' && sameSelection(cur.sel, sel)) {
      this.armPass(cur.item);
      return;
    }
    this.show(sel, reason);
  }

  private show(sel: Selection, reason: EndReason | undefined): void {
    const cur = this.current;
    if (cur && reason) this.emit('end', cur.item, reason);
    const item = this.itemFor(sel);
    this.current = { sel, item };
    this.blank = false;
    if (sel.kind === 'notice') this.lastThreadId = sel.threadId;
    else this.lastSlogan = sel.index;
    this.emit('show', item);
    this.armPass(item);
  }

  private itemFor(sel: Selection): ScheduleItem {
    if (sel.kind === 'slogan') {
      return {
        kind: 'slogan',
        id: `slogan:${sel.index}`,
        text: this.opts.slogans[sel.index] ?? '',
        priority: 'idle',
        followUp: false,
      };
    }
    const n = this.reports.find((r) => r.id === sel.reportId);
    if (!n) throw new Error(`scheduler selected unknown report ${sel.reportId}`);
    return {
      kind: 'notice',
      id: n.id,
      text: n.text,
      priority: n.priority,
      threadId: sel.threadId,
      followUp: n.followUpOf !== undefined,
      notice: n,
    };
  }

  private armPass(item: ScheduleItem): void {
    clearTimeout(this.passTimer);
    const ms = Math.max(1, this.opts.passMs(item));
    this.passTimer = setTimeout(() => this.advance('completed'), ms);
  }

  private armWake(now: number): void {
    clearTimeout(this.wakeTimer);
    const at = nextChangeAt(this.reports, now);
    if (at === undefined) return;
    this.wakeTimer = setTimeout(() => this.evaluate(new Map()), Math.min(at - now, MAX_TIMER_MS));
  }

  private updateBrightness(): void {
    if (!this.running) return;
    const now = this.opts.clock.now();
    const level = brightnessAt(now, this.opts.brightness);
    if (level !== this.brightness) {
      this.brightness = level;
      this.emit('brightness', level);
    }
    const at = nextBrightnessChangeAt(now, this.opts.brightness);
    clearTimeout(this.brightnessTimer);
    this.brightnessTimer = setTimeout(() => this.updateBrightness(), Math.min(at - now, MAX_TIMER_MS));
  }
}

function sameSelection(a: Selection, b: Selection): boolean {
  if (a.kind === 'notice' && b.kind === 'notice') return a.reportId === b.reportId;
  if (a.kind === 'slogan' && b.kind === 'slogan') return a.index === b.index;
  return false;
}
