import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../devices/display/notice.ts';
import type { AssistDesk } from '../../../src/assist/assist-desk.ts';
import { AssistWatch, HOURS_SHOW_MS } from '../../../src/assist/assist-watch.ts';
import { localInstant } from '../../../src/core/business-day.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';

/** A desk that only knows today's hours, and a sign that records what it is told. */
function rig(hours: Array<{ from: string; to: string }>) {
  const desk = Object.assign(new EventEmitter(), {
    appointments: { hoursToday: () => hours },
    tick: async () => 0,
  }) as unknown as AssistDesk;
  const published: Notice[] = [];
  const withdrawn: string[] = [];
  const sign = { publish: (n: Notice) => published.push(n), withdraw: (id: string) => withdrawn.push(id) };
  const clock = new ManualClock(localInstant('20261201', '10:03'));
  return { watch: new AssistWatch(desk, sign, clock, silentLogger()), published, withdrawn, clock, hours };
}

describe('appointment hours on the roof sign', () => {
  it('announces them at once, then for a short while every ten minutes, leaving the slogans their turn', () => {
    const r = rig([
      { from: '09:00', to: '11:00' },
      { from: '14:00', to: '16:00' },
    ]);
    r.watch.showHours();
    expect(r.published).toHaveLength(1);
    expect(r.published[0]).toMatchObject({
      text: '今日预约办理时段 09:00-11:00 14:00-16:00',
      priority: 'low',
      source: 'local',
      endsAt: r.clock.now() + HOURS_SHOW_MS,
    });
    r.clock.set(localInstant('20261201', '10:05'));
    r.watch.showHours();
    expect(r.published).toHaveLength(1);
    r.clock.set(localInstant('20261201', '10:10'));
    r.watch.showHours();
    r.watch.showHours();
    expect(r.published).toHaveLength(2);
    expect(r.published[1]?.id).toBe('assist-hours-20261201-1010');
  });

  it('shows nothing on a day without appointment hours', () => {
    const r = rig([]);
    r.clock.set(localInstant('20261205', '10:00'));
    r.watch.showHours();
    expect(r.published).toEqual([]);
  });
});
