import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notice } from '../../../devices/display/notice.ts';
import { type EndReason, NoticeScheduler, type ScheduleItem } from '../../../devices/display/scheduler.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { KioskError } from '../../../src/core/errors.ts';

/** 2026-03-02 12:00 Asia/Shanghai. */
const NOON = Date.UTC(2026, 2, 2, 4, 0, 0);
const PASS = 10_000;

function setup(slogans = ['S0', 'S1', 'S2'], passMs: (i: ScheduleItem) => number = () => PASS) {
  const s = new NoticeScheduler({
    clock: systemClock,
    slogans,
    brightness: { dayPercent: 80, nightPercent: 20, nightFrom: '19:00', nightTo: '06:30' },
    passMs,
  });
  const log: string[] = [];
  const ends: Array<[string, EndReason]> = [];
  const brightness: number[] = [];
  s.on('show', (i) => log.push(i.id));
  s.on('blank', () => log.push('<blank>'));
  s.on('end', (i, r) => ends.push([i.id, r]));
  s.on('brightness', (b) => brightness.push(b));
  return { s, log, ends, brightness };
}

const n = (id: string, priority: Notice['priority'], extra: Partial<Notice> = {}): Notice => ({
  id,
  text: `text ${id}`,
  priority,
  ...extra,
});

describe('NoticeScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOON);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rotates idle slogans, one per pass', () => {
    const { s, log } = setup();
    s.start();
    vi.advanceTimersByTime(3 * PASS);
    expect(log).toEqual(['slogan:0', 'slogan:1', 'slogan:2', 'slogan:0']);
    s.stop();
  });

  it('goes blank with neither notices nor slogans', () => {
    const { s, log } = setup([]);
    s.start();
    s.publish(n('a', 'normal', { expiresAt: NOON + 5000 }));
    vi.advanceTimersByTime(5000);
    expect(log).toEqual(['<blank>', 'a', '<blank>']);
  });

  it('a notice pre-empts a slogan at once; slogans resume after it ends', () => {
    const { s, log, ends } = setup();
    s.start();
    vi.advanceTimersByTime(2000);
    s.publish(n('a', 'normal', { endsAt: NOON + 30_000 }));
    expect(s.currentItem()?.id).toBe('a');
    expect(ends).toEqual([['slogan:0', 'preempted']]);
    vi.advanceTimersByTime(28_000);
    expect(ends.at(-1)).toEqual(['a', 'ended']);
    expect(log).toEqual(['slogan:0', 'a', 'slogan:1']);
  });

  it('an emergency pre-empts a notice mid-pass; the notice returns when the emergency expires', () => {
    const { s, log, ends } = setup();
    s.start();
    s.publish(n('norm', 'normal'));
    vi.advanceTimersByTime(3000);
    s.publish(n('emg', 'emergency', { expiresAt: NOON + 20_000 }));
    expect(s.currentItem()?.id).toBe('emg');
    expect(ends).toContainEqual(['norm', 'preempted']);
    vi.advanceTimersByTime(15_000);
    expect(s.currentItem()?.id).toBe('emg');
    vi.advanceTimersByTime(2000);
    expect(ends.at(-1)).toEqual(['emg', 'expired']);
    expect(s.currentItem()?.id).toBe('norm');
    expect(log).toEqual(['slogan:0', 'norm', 'emg', 'norm']);
  });

  it('higher non-emergency priorities wait for the pass to end, then shut lower ones out', () => {
    const { s, log } = setup();
    s.start();
    s.publish(n('low', 'low'));
    vi.advanceTimersByTime(1000);
    s.publish(n('high', 'high'));
    expect(s.currentItem()?.id).toBe('low');
    vi.advanceTimersByTime(PASS - 1000);
    expect(s.currentItem()?.id).toBe('high');
    vi.advanceTimersByTime(5 * PASS);
    expect(log.filter((x) => x === 'low')).toHaveLength(1);
  });

  it('shows a scheduled notice only inside its window', () => {
    const { s, log, ends } = setup();
    s.start();
    s.publish(n('w', 'normal', { startsAt: NOON + 60_000, endsAt: NOON + 90_000 }));
    vi.advanceTimersByTime(59_999);
    expect(log).not.toContain('w');
    vi.advanceTimersByTime(1);
    expect(s.currentItem()?.id).toBe('w');
    vi.advanceTimersByTime(30_000);
    expect(ends.at(-1)).toEqual(['w', 'ended']);
    expect(s.currentItem()?.kind).toBe('slogan');
    expect(s.pendingNotices()).toEqual([]);
  });

  it('withdraws immediately, mid-pass, and refuses a late re-delivery', () => {
    const { s, ends } = setup();
    const removed: string[] = [];
    s.on('removed', (r) => removed.push(`${r.id}:${r.reason}`));
    s.start();
    s.publish(n('x', 'high'));
    vi.advanceTimersByTime(1234);
    expect(s.withdraw('x')).toBe(true);
    expect(ends.at(-1)).toEqual(['x', 'withdrawn']);
    expect(s.currentItem()?.kind).toBe('slogan');
    expect(removed).toEqual(['x:withdrawn']);
    expect(s.publish(n('x', 'high'))).toBe('refused-withdrawn');
    expect(s.withdraw('x')).toBe(false);
  });

  it('plays the first report, then its follow-ups, in order', () => {
    const { s, log } = setup();
    s.start();
    s.publish(n('e', 'emergency'));
    vi.advanceTimersByTime(2000);
    s.publish(n('e-2', 'emergency', { followUpOf: 'e' }));
    s.publish(n('e-3', 'emergency', { followUpOf: 'e' }));
    expect(s.currentItem()?.id).toBe('e');
    vi.advanceTimersByTime(PASS - 2000);
    expect(s.currentItem()).toMatchObject({ id: 'e-2', followUp: true, threadId: 'e' });
    vi.advanceTimersByTime(PASS);
    expect(s.currentItem()?.id).toBe('e-3');
    vi.advanceTimersByTime(PASS);
    expect(log.slice(1)).toEqual(['e', 'e-2', 'e-3', 'e']);
  });

  it('withdrawing a first report withdraws its follow-ups; a follow-up can go alone', () => {
    const { s } = setup();
    s.start();
    s.publish(n('e', 'emergency'));
    s.publish(n('e-2', 'emergency', { followUpOf: 'e' }));
    s.publish(n('e-3', 'emergency', { followUpOf: 'e' }));
    expect(s.withdraw('e-2')).toBe(true);
    expect(s.pendingNotices().map((x) => x.id)).toEqual(['e', 'e-3']);
    expect(s.withdraw('e')).toBe(true);
    expect(s.pendingNotices()).toEqual([]);
    expect(s.publish(n('e-4', 'emergency', { followUpOf: 'e' }))).toBe('refused-withdrawn');
  });

  it('a follow-up arriving before its first report starts the thread', () => {
    const { s } = setup();
    s.start();
    s.publish(n('f-2', 'high', { followUpOf: 'f' }));
    expect(s.currentItem()).toMatchObject({ id: 'f-2', threadId: 'f' });
    s.publish(n('f', 'high'));
    vi.advanceTimersByTime(PASS);
    expect(s.currentItem()?.id).toBe('f');
  });

  it('replaces a report re-sent with new text at once, ignores an identical re-send', () => {
    const { s, ends, log } = setup();
    s.start();
    expect(s.publish(n('a', 'normal'))).toBe('accepted');
    expect(s.publish(n('a', 'normal'))).toBe('duplicate');
    expect(s.publish({ ...n('a', 'normal'), text: 'corrected' })).toBe('replaced');
    expect(s.currentItem()?.text).toBe('corrected');
    expect(ends.at(-1)).toEqual(['a', 'replaced']);
    expect(log).toEqual(['slogan:0', 'a', 'a']);
  });

  it('a re-sent report moved to a later start leaves the panel until then', () => {
    const { s, ends } = setup();
    s.start();
    s.publish(n('a', 'normal'));
    s.publish(n('a', 'normal', { startsAt: NOON + 60_000 }));
    expect(ends.at(-1)).toEqual(['a', 'replaced']);
    expect(s.currentItem()?.kind).toBe('slogan');
    vi.advanceTimersByTime(60_000);
    expect(s.currentItem()?.id).toBe('a');
  });

  it('refuses malformed notices and notices already over', () => {
    const { s } = setup();
    s.start();
    expect(() => s.publish({ id: '', text: 'x', priority: 'normal' })).toThrow(KioskError);
    expect(() => s.publish({ id: 'a', text: 'x', priority: 'urgent' as Notice['priority'] })).toThrow(
      KioskError,
    );
    expect(() => s.publish(n('a', 'low', { startsAt: NOON + 10, endsAt: NOON + 5 }))).toThrow(/endsAt/);
    expect(s.publish(n('old', 'low', { expiresAt: NOON - 1 }))).toBe('already-over');
  });

  it('keeps a lone item on screen across passes without re-announcing it', () => {
    const { s, log, ends } = setup(['only']);
    s.start();
    vi.advanceTimersByTime(5 * PASS);
    expect(log).toEqual(['slogan:0']);
    expect(ends).toEqual([]);
  });

  it('uses the pass length the layout reports', () => {
    const { s, log } = setup(['short', 'long'], (i) => (i.text === 'short' ? 1000 : 4000));
    s.start();
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['slogan:0', 'slogan:1']);
    vi.advanceTimersByTime(3999);
    expect(log).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(log).toHaveLength(3);
  });

  it('switches to the night brightness at 19:00 and back at 06:30', () => {
    const { s, brightness } = setup();
    s.start();
    expect(brightness).toEqual([80]);
    vi.advanceTimersByTime(7 * 3_600_000 - 1);
    expect(brightness).toEqual([80]);
    vi.advanceTimersByTime(1);
    expect(brightness).toEqual([80, 20]);
    vi.advanceTimersByTime(11.5 * 3_600_000);
    expect(brightness).toEqual([80, 20, 80]);
    s.stop();
  });

  it('ends the current item with "stopped" and stays quiet after stop', () => {
    const { s, log, ends } = setup();
    s.start();
    s.stop();
    expect(ends).toEqual([['slogan:0', 'stopped']]);
    vi.advanceTimersByTime(10 * PASS);
    expect(log).toEqual(['slogan:0']);
  });
});
