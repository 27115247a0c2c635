import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../devices/display/notice.ts';
import {
  brightnessAt,
  finishedReason,
  isLive,
  liveThreads,
  nextBrightnessChangeAt,
  nextChangeAt,
  pickNext,
} from '../../../devices/display/schedule-rules.ts';

/** 2026-03-02 00:00 Asia/Shanghai. */
const MIDNIGHT = Date.UTC(2026, 2, 1, 16, 0, 0);
const at = (hh: number, mm = 0) => MIDNIGHT + (hh * 60 + mm) * 60_000;
const n = (id: string, priority: Notice['priority'], extra: Partial<Notice> = {}): Notice => ({
  id,
  text: id,
  priority,
  ...extra,
});

describe('schedule rules', () => {
  it('a report is live from startsAt until endsAt or expiresAt, expiry first', () => {
    const x = n('a', 'normal', { startsAt: 100, endsAt: 200, expiresAt: 200 });
    expect(isLive(x, 99)).toBe(false);
    expect(isLive(x, 100)).toBe(true);
    expect(isLive(x, 199)).toBe(true);
    expect(finishedReason(x, 200)).toBe('expired');
    expect(finishedReason(n('b', 'low', { endsAt: 50 }), 60)).toBe('ended');
    expect(finishedReason(n('c', 'low'), 1e15)).toBeNull();
  });

  it('groups follow-ups with their first report and orders threads by priority, then arrival', () => {
    const reports = [
      n('low1', 'low'),
      n('e1-fu1', 'emergency', { followUpOf: 'e1' }),
      n('norm1', 'normal'),
      n('e1', 'emergency'),
      n('e2', 'emergency'),
      n('later', 'high', { startsAt: 500 }),
    ];
    const threads = liveThreads(reports, 0);
    expect(threads.map((t) => t.id)).toEqual(['e1', 'e2', 'norm1', 'low1']);
    expect(threads[0]?.reports.map((r) => r.id)).toEqual(['e1', 'e1-fu1']);
  });

  it('a thread takes the highest priority of its reports', () => {
    const threads = liveThreads([n('a', 'normal'), n('a2', 'high', { followUpOf: 'a' }), n('b', 'high')], 0);
    expect(threads.map((t) => [t.id, t.priority])).toEqual([
      ['a', 'high'],
      ['b', 'high'],
    ]);
  });

  it('plays a thread report by report, then the next thread of the top level only', () => {
    const threads = liveThreads(
      [n('a', 'high'), n('a2', 'high', { followUpOf: 'a' }), n('b', 'high'), n('c', 'low')],
      0,
    );
    const s1 = pickNext(threads, undefined, undefined, -1, 3);
    expect(s1).toEqual({ kind: 'notice', threadId: 'a', reportId: 'a' });
    const s2 = pickNext(threads, s1, undefined, -1, 3);
    expect(s2).toEqual({ kind: 'notice', threadId: 'a', reportId: 'a2' });
    const s3 = pickNext(threads, s2, 'a', -1, 3);
    expect(s3).toEqual({ kind: 'notice', threadId: 'b', reportId: 'b' });
    expect(pickNext(threads, s3, 'b', -1, 3)).toEqual({ kind: 'notice', threadId: 'a', reportId: 'a' });
  });

  it('rotates slogans when nothing is live, continuing where it left off', () => {
    expect(pickNext([], undefined, undefined, -1, 3)).toEqual({ kind: 'slogan', index: 0 });
    expect(pickNext([], { kind: 'slogan', index: 2 }, undefined, 2, 3)).toEqual({ kind: 'slogan', index: 0 });
    expect(pickNext([], undefined, 'x', 1, 3)).toEqual({ kind: 'slogan', index: 2 });
    expect(pickNext([], undefined, undefined, -1, 0)).toBeUndefined();
  });

  it('finds the next start, end or expiry', () => {
    const reports = [n('a', 'low', { startsAt: 300, endsAt: 900 }), n('b', 'low', { expiresAt: 500 })];
    expect(nextChangeAt(reports, 0)).toBe(300);
    expect(nextChangeAt(reports, 300)).toBe(500);
    expect(nextChangeAt(reports, 900)).toBeUndefined();
  });

  it('uses the night level inside a window that wraps midnight (local time)', () => {
    const rule = { dayPercent: 80, nightPercent: 20, nightFrom: '19:00', nightTo: '06:30' };
    expect(brightnessAt(at(12), rule)).toBe(80);
    expect(brightnessAt(at(18, 59), rule)).toBe(80);
    expect(brightnessAt(at(19), rule)).toBe(20);
    expect(brightnessAt(at(2), rule)).toBe(20);
    expect(brightnessAt(at(6, 30), rule)).toBe(80);
    expect(nextBrightnessChangeAt(at(12), rule)).toBe(at(19));
    expect(nextBrightnessChangeAt(at(19), rule)).toBe(at(24 + 6, 30));
    expect(nextBrightnessChangeAt(at(3), rule)).toBe(at(6, 30));
  });

  it('uses a window within one day, and none when from equals to', () => {
    const rule = { dayPercent: 90, nightPercent: 10, nightFrom: '01:00', nightTo: '05:00' };
    expect(brightnessAt(at(0, 59), rule)).toBe(90);
    expect(brightnessAt(at(1), rule)).toBe(10);
    expect(brightnessAt(at(5), rule)).toBe(90);
    expect(brightnessAt(at(3), { ...rule, nightFrom: '05:00' })).toBe(90);
  });
});
