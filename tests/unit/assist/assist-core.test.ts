import { describe, expect, it } from 'vitest';
import { bookableDates, hoursOfDay, slotsOn, weekdayOf } from '../../../src/core/assist/appointments.ts';
import { type Guide, guideProblems, guideSchema } from '../../../src/core/assist/guide.ts';
import { monthlyStats } from '../../../src/core/assist/monthly-stats.ts';
import { maskCitizen, purgeDue, purgeRequest } from '../../../src/core/assist/privacy.ts';
import { applyUpdate, flagAt, TransitionRefused } from '../../../src/core/assist/request.ts';
import { readDemoGuide } from '../../../src/reference-hq/demo-guide.ts';
import { ASSIST_T0, sampleRequest } from '../../support/assist-fixtures.ts';

const T0 = ASSIST_T0;
const DAY = 86_400_000;

describe('service guide schema', () => {
  it('accepts the reference HQ’s published guide', async () => {
    expect(guideProblems(await readDemoGuide())).toEqual([]);
  });

  it('lists every problem of a bad catalogue, each naming its place', async () => {
    const g = structuredClone((await readDemoGuide()) as Guide);
    (g.matters[0] as Record<string, unknown>).mode = 'by-pigeon';
    g.matters[1]!.fee = '1.234';
    g.matters[2]!.timeLimitDays = 5; // on the spot with a time limit
    g.matters[3]!.inPerson = true;
    g.matters[3]!.mode = 'proxy'; // in person, yet by proxy
    g.matters[4]!.appointment = null; // by appointment without hours
    g.retentionDays = 0;
    const fields = guideProblems(g).map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'matters.0.mode',
        'matters.1.fee',
        'matters.2.timeLimitDays',
        'matters.3.mode',
        'matters.4.appointment',
        'retentionDays',
      ]),
    );
  });

  it('refuses two matters with one id', async () => {
    const g = structuredClone((await readDemoGuide()) as Guide);
    g.matters[1]!.id = g.matters[0]!.id;
    expect(guideProblems(g).map((p) => p.field)).toEqual(['matters.1.id']);
    expect(guideSchema.safeParse(g).success).toBe(false);
  });
});

describe('request state machine', () => {
  it('moves one state at a time; a repeat changes nothing; a skip is refused naming the next state', () => {
    const v = applyUpdate(sampleRequest(), { id: 'R202612010001', to: 'verified' }, 'hq', T0 + 1000)!;
    expect(v).toMatchObject({ state: 'verified', rev: 2, updatedAt: T0 + 1000 });
    expect(applyUpdate(v, { id: v.id, to: 'verified' }, 'hq', T0 + 2000)).toBeNull();
    expect(() => applyUpdate(v, { id: v.id, to: 'closed' }, 'hq', T0)).toThrow(TransitionRefused);
  });

  it('refuses from any open state with its reason; a finished request moves no more', () => {
    const r = applyUpdate(
      sampleRequest(),
      { id: 'x', to: 'refused', reason: { zh: '材料不全', en: 'incomplete' } },
      'hq',
      T0,
    )!;
    expect(r.refusal).toEqual({ zh: '材料不全', en: 'incomplete' });
    expect(() => applyUpdate(r, { id: 'x', to: 'verified' }, 'hq', T0)).toThrow(/refused already/);
  });

  it('hands an item back only against a signature', () => {
    const item = sampleRequest({ kind: 'lost-found', state: 'notified' });
    expect(() => applyUpdate(item, { id: 'x', to: 'closed' }, 'operator:T001', T0)).toThrow(
      TransitionRefused,
    );
    expect(applyUpdate(item, { id: 'x', to: 'closed', signed: true }, 'operator:T001', T0)?.state).toBe(
      'closed',
    );
  });

  it('flags due-soon within the warning window and overdue past the limit, only while a result is awaited', () => {
    const r = sampleRequest({ state: 'submitted' });
    const warn = 24 * 3_600_000;
    expect(flagAt(r, r.deadlineAt - warn - 1, warn)).toBeNull();
    expect(flagAt(r, r.deadlineAt - warn, warn)).toBe('due-soon');
    expect(flagAt(r, r.deadlineAt, warn)).toBe('overdue');
    expect(flagAt({ ...r, state: 'result-received' }, r.deadlineAt + DAY, warn)).toBeNull();
  });
});

describe('personal data', () => {
  it('masks by declared sensitivity', () => {
    expect(maskCitizen(sampleRequest().citizen)).toEqual({
      name: '张**',
      idNumber: '3301**********123X',
      phone: '139****5678',
    });
  });

  it('erases a finished request’s personal data after the retention period, never an open one', () => {
    const closed = sampleRequest({ state: 'closed', updatedAt: T0 });
    expect(purgeDue(closed, T0 + 179 * DAY, 180)).toBe(false);
    expect(purgeDue(closed, T0 + 180 * DAY, 180)).toBe(true);
    expect(purgeDue(sampleRequest(), T0 + 999 * DAY, 180)).toBe(false);
    const gone = purgeRequest(closed, T0 + 180 * DAY);
    expect(gone.citizen).toEqual({ name: null, idNumber: null, phone: null });
    expect(purgeDue(gone, T0 + 999 * DAY, 180)).toBe(false);
  });
});

describe('appointments and statistics', () => {
  it('offers the slots of the matter’s weekdays, not those begun, with what is left', async () => {
    const g = guideSchema.parse(await readDemoGuide());
    const m = g.matters.find((x) => x.id === 'marriage-registration')!;
    expect(weekdayOf('20261201')).toBe(2);
    expect(bookableDates(m, '20261201')).toEqual([
      '20261201',
      '20261202',
      '20261203',
      '20261204',
      '20261207',
      '20261208',
    ]);
    const booked = [
      { matter: m.id, date: '20261201', from: '14:00', status: 'booked' },
      { matter: m.id, date: '20261201', from: '14:00', status: 'cancelled' },
    ] as never[];
    expect(slotsOn(m, '20261201', booked, T0)).toEqual([
      { from: '14:00', to: '16:00', capacity: 4, booked: 1, left: 3 },
    ]);
    expect(slotsOn(m, '20261205', [], T0)).toEqual([]);
    expect(hoursOfDay(g, '20261205')).toEqual([]);
  });

  it('counts the month’s requests by matter and outcome, and the overdue ones', () => {
    const late = sampleRequest({
      id: 'R2',
      state: 'closed',
      history: [
        { state: 'registered', at: T0, by: 'x' },
        { state: 'result-received', at: T0 + 16 * DAY, by: 'hq' },
      ],
    });
    const s = monthlyStats(
      '202612',
      [sampleRequest(), late, sampleRequest({ id: 'R3', registeredAt: T0 - 30 * DAY })],
      [],
    );
    expect(s.totals).toEqual({ closed: 1, refused: 0, open: 1, total: 2 });
    expect(s.overdue).toBe(1);
    expect(s.byMatter).toEqual([
      expect.objectContaining({ matter: 'id-card', closed: 1, open: 1, total: 2 }),
    ]);
  });
});
