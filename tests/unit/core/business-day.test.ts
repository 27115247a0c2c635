import { describe, expect, it } from 'vitest';
import {
  addDays,
  businessDate,
  businessDayStart,
  inLocalWindow,
  isWithinBusinessHours,
  toLocal,
} from '../../../src/core/business-day.ts';

/** Epoch ms of a Shanghai local time. */
const sh = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('business date and day cut (Asia/Shanghai)', () => {
  it('belongs to the calendar day before the cut and to the next day from the cut on', () => {
    expect(businessDate(sh('2026-11-26T20:59:59'), '21:00')).toBe('20261126');
    expect(businessDate(sh('2026-11-26T21:00:00'), '21:00')).toBe('20261127');
    expect(businessDate(sh('2026-11-26T23:59:59'), '21:00')).toBe('20261127');
    expect(businessDate(sh('2026-11-27T00:00:00'), '21:00')).toBe('20261127');
    expect(businessDate(sh('2026-11-27T00:00:01'), '21:00')).toBe('20261127');
  });

  it('crosses month and year ends and leap days', () => {
    expect(businessDate(sh('2026-12-31T21:30:00'), '21:00')).toBe('20270101');
    expect(businessDate(sh('2028-02-28T22:00:00'), '21:00')).toBe('20280229');
    expect(addDays('20280301', -1)).toBe('20280229');
  });

  it('uses the configured cut', () => {
    expect(businessDate(sh('2026-11-26T21:30:00'), '22:00')).toBe('20261126');
    expect(businessDate(sh('2026-11-26T00:00:00'), '00:00')).toBe('20261127');
  });

  it('does not depend on the machine time zone: UTC midnight is 08:00 in Shanghai', () => {
    expect(toLocal(Date.parse('2026-11-26T00:00:00Z'))).toMatchObject({
      date: '20261126',
      minute: 8 * 60,
      hhmmss: '080000',
    });
    expect(toLocal(Date.parse('2026-11-26T16:00:00Z'))).toMatchObject({ date: '20261127', hhmmss: '000000' });
  });

  it('knows when a business date starts', () => {
    expect(businessDayStart('20261127', '21:00')).toBe(sh('2026-11-26T21:00:00'));
    const t = businessDayStart('20261127', '21:00');
    expect(businessDate(t, '21:00')).toBe('20261127');
    expect(businessDate(t - 1, '21:00')).toBe('20261126');
  });

  it('checks business hours and windows that wrap midnight', () => {
    const hours = { open: '07:00', close: '21:00' };
    expect(isWithinBusinessHours(sh('2026-11-26T06:59:59'), hours)).toBe(false);
    expect(isWithinBusinessHours(sh('2026-11-26T07:00:00'), hours)).toBe(true);
    expect(isWithinBusinessHours(sh('2026-11-26T20:59:00'), hours)).toBe(true);
    expect(isWithinBusinessHours(sh('2026-11-26T21:00:00'), hours)).toBe(false);
    expect(inLocalWindow(sh('2026-11-26T23:30:00'), '22:00', '06:00')).toBe(true);
    expect(inLocalWindow(sh('2026-11-27T05:59:00'), '22:00', '06:00')).toBe(true);
    expect(inLocalWindow(sh('2026-11-27T06:00:00'), '22:00', '06:00')).toBe(false);
  });
});
