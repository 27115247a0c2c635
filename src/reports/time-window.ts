import { KioskError } from '../core/errors.ts';

const HHMMSS = /^([01]\d|2[0-3])[0-5]\d[0-5]\d$/;
const YYYYMMDD = /^(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/** A time-of-day window, both ends included, hhmmss local time; `from > to` wraps past midnight. */
export interface TimeWindow {
  from: string;
  to: string;
}

/** Checks an hhmmss time typed by a person; throws KIOSK_E_INVALID_INPUT naming `field`. */
export function parseHhmmss(value: string, field: string): string {
  const v = value.trim();
  if (!HHMMSS.test(v)) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field,
      zh: '时间格式应为 hhmmss（如 083000）',
      en: 'time must be hhmmss (e.g. 083000)',
    });
  }
  return v;
}

/** Checks a yyyymmdd date (a real calendar date); throws KIOSK_E_INVALID_INPUT naming `field`. */
export function parseYyyymmdd(value: string, field: string): string {
  const v = value.trim();
  const m = YYYYMMDD.exec(v);
  const valid =
    m !== null &&
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDate() === Number(m[3]);
  if (!valid) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field,
      zh: '日期格式应为 yyyymmdd（如 20261126）',
      en: 'date must be yyyymmdd (e.g. 20261126)',
    });
  }
  return v;
}

/** Builds a window from optional ends: a missing start is 000000, a missing end 235959. */
export function timeWindow(from?: string, to?: string): TimeWindow | undefined {
  if (from === undefined && to === undefined) return undefined;
  return {
    from: from === undefined ? '000000' : parseHhmmss(from, 'from'),
    to: to === undefined ? '235959' : parseHhmmss(to, 'to'),
  };
}

/** True when the hhmmss time lies in the window (ends included). */
export function inWindow(hhmmss: string, w: TimeWindow): boolean {
  return w.from <= w.to ? hhmmss >= w.from && hhmmss <= w.to : hhmmss >= w.from || hhmmss <= w.to;
}
