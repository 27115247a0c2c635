import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { framesEqual, litCount } from '../../../devices/display/frame.ts';
import { bundledFont } from '../../../devices/display/index.ts';
import { buildLayout } from '../../../devices/display/layout.ts';
import { LedSign, type ProofOfDisplay } from '../../../devices/display/led-sign.ts';
import { SimDisplay } from '../../../devices/display/sim-display.ts';
import { renderText } from '../../../devices/display/text-render.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { displayTestConfig } from './support/test-config.ts';

/** 2026-03-02 12:00 Asia/Shanghai. */
const NOON = Date.UTC(2026, 2, 2, 4, 0, 0);
const font = bundledFont();
const cfg = displayTestConfig({
  widthPx: 96,
  heightPx: 16,
  serial: { ackTimeoutMs: 100, retries: 1, keepAliveMs: 600_000 },
  reconnect: { initialDelayMs: 100, maxDelayMs: 100 },
  layout: { scrollPxPerSecond: 50, staticDwellMs: 4000 },
  idle: { slogans: ['便民服务', '诚信经营'] },
});
const params = { width: 96, height: 16, scrollPxPerSecond: 50, staticDwellMs: 4000 };

describe('LedSign pipeline', () => {
  let display: SimDisplay;
  let sign: LedSign;
  let proofs: ProofOfDisplay[];

  beforeEach(async () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOON);
    display = new SimDisplay(cfg, { clock: systemClock, logger: silentLogger() });
    await display.start();
    sign = new LedSign({ display, font, config: cfg, clock: systemClock, logger: silentLogger() });
    proofs = [];
    sign.on('proof', (p) => proofs.push(p));
    sign.start();
    await vi.advanceTimersByTimeAsync(0);
  });

  afterEach(async () => {
    sign.stop();
    await display.stop();
    vi.useRealTimers();
  });

  const panel = () => display.latestPreview().frame;

  it('shows the idle slogans in turn at the day brightness', async () => {
    const s0 = buildLayout('auto', renderText('便民服务', font), params).frameAt(0);
    const s1 = buildLayout('auto', renderText('诚信经营', font), params).frameAt(0);
    expect(framesEqual(panel(), s0)).toBe(true);
    expect(display.latestPreview().brightness).toBe(80);
    await vi.advanceTimersByTimeAsync(4000);
    expect(framesEqual(panel(), s1)).toBe(true);
    expect(proofs).toEqual([]);
  });

  it('an emergency takes the panel at once in split layout and leaves a proof when withdrawn', async () => {
    await vi.advanceTimersByTimeAsync(1000);
    expect(sign.publish({ id: 'E1', text: '停电', priority: 'emergency' })).toBe('accepted');
    await vi.advanceTimersByTimeAsync(0);
    const expected = buildLayout('split', renderText('停电', font), params, renderText('紧急', font)).frameAt(
      0,
    );
    expect(framesEqual(panel(), expected)).toBe(true);
    await vi.advanceTimersByTimeAsync(30_000);
    sign.withdraw('E1');
    await vi.advanceTimersByTimeAsync(0);
    expect(proofs).toEqual([
      expect.objectContaining({
        noticeId: 'E1',
        threadId: 'E1',
        priority: 'emergency',
        followUp: false,
        startedAt: NOON + 1000,
        endedAt: NOON + 31_000,
        shownMs: 30_000,
        frames: 1,
        endReason: 'withdrawn',
      }),
    ]);
    expect(sign.snapshot().showing?.kind).toBe('slogan');
  });

  it('labels follow-up reports 续报 and proves each report separately', async () => {
    sign.publish({ id: 'E', text: '停水', priority: 'emergency' });
    sign.publish({ id: 'E-2', text: '恢复', priority: 'emergency', followUpOf: 'E' });
    await vi.advanceTimersByTimeAsync(4000);
    const fu = buildLayout('split', renderText('恢复', font), params, renderText('续报', font)).frameAt(0);
    expect(framesEqual(panel(), fu)).toBe(true);
    await vi.advanceTimersByTimeAsync(4000);
    expect(proofs.map((p) => [p.noticeId, p.followUp, p.shownMs, p.endReason])).toEqual([
      ['E', false, 4000, 'completed'],
      ['E-2', true, 4000, 'completed'],
    ]);
  });

  it('scrolls long text frame by frame on the clock, and proves the whole stretch', async () => {
    const text = '今日下午停电请注意安全';
    const layout = buildLayout('auto', renderText(text, font), params);
    sign.publish({ id: 'N', text, priority: 'normal', expiresAt: NOON + 3000 });
    await vi.advanceTimersByTimeAsync(0);
    for (const t of [500, 1000, 2000]) {
      await vi.advanceTimersByTimeAsync(t - (Date.now() - NOON));
      expect(framesEqual(panel(), layout.frameAt(Math.floor(t / layout.frameMs))), `at ${t} ms`).toBe(true);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(proofs).toHaveLength(1);
    expect(proofs[0]).toMatchObject({ noticeId: 'N', endReason: 'expired', shownMs: 3000 });
    expect(proofs[0]?.frames).toBeGreaterThan(100);
    expect(proofs[0]?.frames).toBeLessThanOrEqual(150);
  });

  it('a lost sign ends the proof; the content comes back on the panel by itself after reconnect', async () => {
    sign.publish({ id: 'H', text: '缴费', priority: 'high' });
    await vi.advanceTimersByTimeAsync(2000);
    display.disconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(proofs).toEqual([
      expect.objectContaining({ noticeId: 'H', shownMs: 2000, endReason: 'device-offline' }),
    ]);
    expect(litCount(panel())).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    display.plugIn();
    await vi.advanceTimersByTimeAsync(100);
    expect(display.health().state).toBe('ok');
    const expected = buildLayout('auto', renderText('缴费', font), params).frameAt(0);
    expect(framesEqual(panel(), expected)).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    sign.withdraw('H');
    expect(proofs[1]).toMatchObject({ noticeId: 'H', shownMs: 1000, endReason: 'withdrawn' });
  });

  it('a refused frame ends the proof and is sent again after a pause', async () => {
    sign.publish({ id: 'P', text: '充值', priority: 'normal' });
    await vi.advanceTimersByTimeAsync(1000);
    display.nakNext(2);
    sign.publish({ id: 'P', text: '话费', priority: 'normal' });
    await vi.advanceTimersByTimeAsync(0);
    expect(proofs.map((p) => p.endReason)).toEqual(['replaced']);
    await vi.advanceTimersByTimeAsync(100);
    const expected = buildLayout('auto', renderText('话费', font), params).frameAt(0);
    expect(framesEqual(panel(), expected)).toBe(true);
  });

  it('masks personal numbers on the panel and in the proof', async () => {
    sign.publish({ id: 'L', text: '13800138000', priority: 'normal', source: 'local' });
    await vi.advanceTimersByTimeAsync(1000);
    sign.withdraw('L');
    expect(proofs[0]).toMatchObject({ text: '138****8000', source: 'local' });
  });

  it('dims the sign at night', async () => {
    // Restarted five seconds before the night window (19:00), so the test runs a few timers
    // instead of seven hours of slogan passes.
    sign.stop();
    await display.stop();
    vi.setSystemTime(NOON + 7 * 3_600_000 - 5000);
    display = new SimDisplay(cfg, { clock: systemClock, logger: silentLogger() });
    await display.start();
    sign = new LedSign({ display, font, config: cfg, clock: systemClock, logger: silentLogger() });
    sign.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(display.latestPreview().brightness).toBe(80);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(display.latestPreview().brightness).toBe(20);
  });
});
