/**
 * Business dates and times of day in Asia/Shanghai. China has kept UTC+8 without daylight saving
 * since 1991, so the offset is a constant and these functions stay pure (no tz database needed).
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** "HH:MM" → minutes after local midnight. */
export function parseTimeOfDay(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export interface LocalTime {
  /** yyyymmdd of the local calendar date. */
  date: string;
  /** Minutes after local midnight, 0–1439. */
  minute: number;
  /** hhmmss, as the journal's time-window search uses. */
  hhmmss: string;
}

export function toLocal(epochMs: number): LocalTime {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  const da = d.getUTCDate();
  const h = d.getUTCHours();
  const mi = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  return {
    date: `${y}${pad(mo)}${pad(da)}`,
    minute: h * 60 + mi,
    hhmmss: `${pad(h)}${pad(mi)}${pad(s)}`,
  };
}

/** Calendar date yyyymmdd shifted by `days`. */
export function addDays(yyyymmdd: string, days: number): string {
  const t = Date.UTC(
    Number(yyyymmdd.slice(0, 4)),
    Number(yyyymmdd.slice(4, 6)) - 1,
    Number(yyyymmdd.slice(6, 8)),
  );
  const d = new Date(t + days * DAY_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/**
 * The business date (账务日期) of an instant: the local calendar date, or the next one when the local
 * time is at or after the day cut (日切). With a 21:00 cut, 20:59:59 on the 5th belongs to the 5th
 * and 21:00:00 belongs to the 6th.
 */
export function businessDate(epochMs: number, dayCut: string): string {
  const local = toLocal(epochMs);
  return local.minute >= parseTimeOfDay(dayCut) ? addDays(local.date, 1) : local.date;
}

/** Epoch ms of a local (Asia/Shanghai) calendar date and time of day "HH:MM". */
export function localInstant(yyyymmdd: string, hhmm: string): number {
  const midnightUtc = Date.UTC(
    Number(yyyymmdd.slice(0, 4)),
    Number(yyyymmdd.slice(4, 6)) - 1,
    Number(yyyymmdd.slice(6, 8)),
  );
  return midnightUtc - SHANGHAI_OFFSET_MS + parseTimeOfDay(hhmm) * 60_000;
}

/** Epoch ms at which the business date `yyyymmdd` began (the previous day's cut). */
export function businessDayStart(yyyymmdd: string, dayCut: string): number {
  return localInstant(addDays(yyyymmdd, -1), dayCut);
}

/** True when the local time of day lies in [from, to); windows may wrap past midnight. */
export function inLocalWindow(epochMs: number, from: string, to: string): boolean {
  const m = toLocal(epochMs).minute;
  const a = parseTimeOfDay(from);
  const b = parseTimeOfDay(to);
  return a <= b ? m >= a && m < b : m >= a || m < b;
}

/** Business hours check: open ≤ now < close, in local time. */
export function isWithinBusinessHours(epochMs: number, hours: { open: string; close: string }): boolean {
  return inLocalWindow(epochMs, hours.open, hours.close);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
