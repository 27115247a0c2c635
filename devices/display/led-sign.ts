import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { DeviceHealth } from '../device.ts';
import type { Display } from './display.ts';
import type { DisplayConfig } from './display-config.ts';
import type { BitmapFont } from './font.ts';
import { createFrame, type Frame, framesEqual } from './frame.ts';
import { buildLayout, type Layout, type LayoutMode } from './layout.ts';
import type { Notice, Priority } from './notice.ts';
import {
  type EndReason,
  NoticeScheduler,
  type PublishResult,
  type ScheduleItem,
  type SchedulerEvents,
} from './scheduler.ts';
import { prepareLedText, renderText } from './text-render.ts';

/**
 * Proof of display (播出凭证): one continuous stretch during which a report was on the panel.
 * `startedAt` is when its first frame was confirmed by the sign, `endedAt` when it left; `frames`
 * counts the frames the sign confirmed. Stretches without any confirmed frame are not reported.
 */
export interface ProofOfDisplay {
  noticeId: string;
  threadId: string;
  priority: Priority;
  followUp: boolean;
  source: 'hq' | 'local';
  /** The text as it appeared on the sign (personal numbers masked). */
  text: string;
  startedAt: number;
  endedAt: number;
  shownMs: number;
  frames: number;
  endReason: EndReason | 'device-offline' | 'device-error';
}

export interface LedSignEvents {
  /** What the sign starts to show; null when it goes blank. */
  showing: [ScheduleItem | null];
  proof: [ProofOfDisplay];
  removed: SchedulerEvents['removed'];
}

export interface LedSignDeps {
  display: Display;
  font: BitmapFont;
  config: DisplayConfig;
  clock: Clock;
  logger: Logger;
}

const LAYOUT_CACHE_SIZE = 16;

/**
 * The display pipeline: notices → scheduler → layout → 1-bit frames → the Display. Frames are paced
 * by the clock; a frame identical to the one on the panel is not sent again; when sending falls
 * behind, frames are skipped to stay on time. When the sign is lost, the current stretch of proof
 * ends and the content is sent again once the sign is back.
 */
export class LedSign extends EventEmitter<LedSignEvents> {
  private readonly scheduler: NoticeScheduler;
  private readonly layouts = new Map<string, Layout>();
  private running = false;
  private gen = 0;
  private item: ScheduleItem | null = null;
  private layout: Layout | undefined;
  private t0 = 0;
  private lastSent: Frame | undefined;
  private blocked = false;
  private segment: { item: ScheduleItem; startedAt?: number; frames: number } | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private brightness: number | undefined;

  private readonly onShow = (item: ScheduleItem) => this.play(item);
  private readonly onBlank = () => this.play(null);
  private readonly onEnd = (_item: ScheduleItem, reason: EndReason) => this.closeSegment(reason);
  private readonly onBrightness = (p: number) => {
    this.brightness = p;
    this.deps.display
      .setBrightness(p)
      .catch((e: Error) => this.deps.logger.warn({ err: e.message }, 'LED brightness not set'));
  };
  private readonly onRemoved = (r: SchedulerEvents['removed'][0]) => this.emit('removed', r);
  private readonly onHealth = (h: DeviceHealth) => this.healthChanged(h);

  constructor(private readonly deps: LedSignDeps) {
    super();
    this.scheduler = new NoticeScheduler({
      clock: deps.clock,
      slogans: deps.config.idle.slogans,
      brightness: deps.config.brightness,
      passMs: (item) => this.layoutFor(item).durationMs,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.blocked = this.deps.display.health().state === 'offline';
    this.deps.display.on('health', this.onHealth);
    this.scheduler.on('show', this.onShow);
    this.scheduler.on('blank', this.onBlank);
    this.scheduler.on('end', this.onEnd);
    this.scheduler.on('brightness', this.onBrightness);
    this.scheduler.on('removed', this.onRemoved);
    this.scheduler.start();
  }

  stop(): void {
    if (!this.running) return;
    this.scheduler.stop();
    this.running = false;
    this.gen++;
    clearTimeout(this.tickTimer);
    clearTimeout(this.retryTimer);
    this.deps.display.off('health', this.onHealth);
    this.scheduler.off('show', this.onShow);
    this.scheduler.off('blank', this.onBlank);
    this.scheduler.off('end', this.onEnd);
    this.scheduler.off('brightness', this.onBrightness);
    this.scheduler.off('removed', this.onRemoved);
  }

  publish(notice: Notice): PublishResult {
    return this.scheduler.publish(notice);
  }

  withdraw(id: string): boolean {
    return this.scheduler.withdraw(id);
  }

  snapshot(): {
    showing: ScheduleItem | null;
    brightness: number | undefined;
    notices: Notice[];
    health: DeviceHealth;
  } {
    return {
      showing: this.item,
      brightness: this.brightness,
      notices: this.scheduler.pendingNotices(),
      health: this.deps.display.health(),
    };
  }

  /** The layout an item is shown with; cached while it stays in use. */
  layoutFor(item: ScheduleItem): Layout {
    const c = this.deps.config;
    const text = prepareLedText(item.text);
    const mode: LayoutMode =
      item.notice?.layout ?? (item.priority === 'emergency' || item.followUp ? 'split' : 'auto');
    const labelText = item.followUp
      ? c.layout.followUpLabel
      : item.priority === 'emergency'
        ? c.layout.emergencyLabel
        : '';
    const key = `${mode}\u0000${labelText}\u0000${text}`;
    const cached = this.layouts.get(key);
    if (cached) return cached;
    const params = {
      width: this.deps.display.width,
      height: this.deps.display.height,
      scrollPxPerSecond: c.layout.scrollPxPerSecond,
      staticDwellMs: c.layout.staticDwellMs,
    };
    const body = renderText(text, this.deps.font);
    if (body.missing.length > 0)
      this.deps.logger.warn({ missing: body.missing.map((cp) => cp.toString(16)) }, 'LED glyphs missing');
    const label = mode === 'split' && labelText ? renderText(labelText, this.deps.font) : undefined;
    const layout = buildLayout(mode, body, params, label);
    if (this.layouts.size >= LAYOUT_CACHE_SIZE) this.layouts.delete(this.layouts.keys().next().value ?? '');
    this.layouts.set(key, layout);
    return layout;
  }

  private play(item: ScheduleItem | null): void {
    this.gen++;
    clearTimeout(this.tickTimer);
    this.item = item;
    this.t0 = this.deps.clock.now();
    this.layout = item
      ? this.layoutFor(item)
      : blankLayout(this.deps.display.width, this.deps.display.height);
    this.segment = item ? { item, frames: 0 } : undefined;
    this.lastSent = undefined;
    this.emit('showing', item);
    if (!this.blocked) void this.tick(this.gen);
  }

  private async tick(gen: number): Promise<void> {
    const layout = this.layout;
    if (gen !== this.gen || !this.running || this.blocked || !layout) return;
    const slot = Math.floor((this.deps.clock.now() - this.t0) / layout.frameMs);
    const frame = layout.frameAt(slot % layout.count);
    if (!this.lastSent || !framesEqual(frame, this.lastSent)) {
      try {
        await this.deps.display.showFrame(frame);
      } catch (e) {
        if (gen === this.gen) this.sendFailed(e as Error);
        return;
      }
      if (gen !== this.gen) return;
      this.lastSent = frame;
      if (this.segment) {
        this.segment.frames++;
        this.segment.startedAt ??= this.deps.clock.now();
      }
    }
    const next = this.t0 + (slot + 1) * layout.frameMs;
    this.tickTimer = setTimeout(() => void this.tick(gen), Math.max(0, next - this.deps.clock.now()));
  }

  private sendFailed(err: Error): void {
    this.deps.logger.warn({ err: err.message }, 'LED frame not shown');
    this.block('device-error');
    if (this.deps.display.health().state !== 'offline') {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.resume(), this.deps.config.reconnect.initialDelayMs);
    }
  }

  private healthChanged(h: DeviceHealth): void {
    if (!this.running) return;
    if (h.state === 'offline') this.block('device-offline');
    else if (this.blocked) this.resume();
  }

  private block(reason: 'device-offline' | 'device-error'): void {
    if (this.blocked) return;
    this.blocked = true;
    clearTimeout(this.tickTimer);
    const item = this.segment?.item;
    this.closeSegment(reason);
    if (item) this.segment = { item, frames: 0 };
  }

  private resume(): void {
    if (!this.running || !this.blocked) return;
    this.blocked = false;
    this.lastSent = undefined;
    if (this.item) this.segment = { item: this.item, frames: 0 };
    this.gen++;
    void this.tick(this.gen);
  }

  private closeSegment(reason: ProofOfDisplay['endReason']): void {
    const s = this.segment;
    this.segment = undefined;
    const n = s?.item.notice;
    if (!s || !n || s.frames === 0 || s.startedAt === undefined) return;
    const endedAt = this.deps.clock.now();
    this.emit('proof', {
      noticeId: n.id,
      threadId: s.item.threadId ?? n.id,
      priority: n.priority,
      followUp: s.item.followUp,
      source: n.source ?? 'hq',
      text: prepareLedText(n.text),
      startedAt: s.startedAt,
      endedAt,
      shownMs: endedAt - s.startedAt,
      frames: s.frames,
      endReason: reason,
    });
  }
}

function blankLayout(width: number, height: number): Layout {
  const f = createFrame(width, height);
  return { count: 1, frameMs: 60_000, durationMs: 60_000, frameAt: () => f };
}
