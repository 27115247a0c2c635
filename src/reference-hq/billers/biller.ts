import { businessDate, toLocal } from '../../core/business-day.ts';
import type { Clock } from '../../core/clock.ts';
import { Money } from '../../core/money.ts';
import type { EffectResult } from '../../core/transaction/types.ts';
import type { Presence } from '../../protocol/schemas/up.ts';
import type { Accounts } from '../accounts.ts';
import type { HqStore } from '../store.ts';

/** One request as a biller sees it. */
export interface BillerRequest {
  station: string;
  service: string;
  op: string;
  serial: string;
  /** The transaction's key (the idempotency key up to its first ':'). */
  txnKey: string;
  idempotencyKey: string;
  payload: Record<string, unknown>;
}

/** What HQ knows about the requesting station (from its birth message). */
export interface StationInfo {
  region?: Presence['region'];
  services?: string[];
  terminal?: { terminalNo: string | null; status: 'enabled' | 'disabled' };
}

/** Cities whose mobile numbers may be topped up, by province name. */
export type MobileRegions = Readonly<Record<string, readonly string[]>>;

/** The cities HQ has opened for mobile top-up in a station's province (none when it is unknown). */
export function stationMobileRegions(regions: MobileRegions, station: StationInfo): readonly string[] {
  const province = station.region?.province;
  return province !== undefined ? (regions[province] ?? []) : [];
}

export interface BillerEnv {
  store: HqStore;
  clock: Clock;
  /** HQ's day cut (日切, HH:MM), from its configuration: business dates of payments and reversals. */
  dayCut: string;
  accounts: Accounts;
  station: StationInfo;
  /** Cities whose mobile numbers may be topped up, per province (HQ configuration). */
  mobileRegions: MobileRegions;
  /** Sends a signed balance event to a station (card top-up credits). */
  pushBalance: (
    station: string,
    ev: { kind: 'topup' | 'refund'; fen: number; ref: string; note?: string },
  ) => Promise<void>;
}

export type OpHandler = (req: BillerRequest, env: BillerEnv) => Promise<EffectResult>;

export interface Biller {
  service: string;
  title: string;
  ops: Record<string, OpHandler>;
  /** Ops that change state: a repeat with the same idempotency key gets the first answer. */
  mutating: ReadonlySet<string>;
  /**
   * Ops whose answer must carry the customer's own numbers back, because the kiosk writes them
   * where they belong (card write data for the customer's card). Every other answer has them masked.
   */
  wholeAnswers?: ReadonlySet<string>;
  /** Background work: settling pending results, processing reversal queues. */
  tick?: (env: Omit<BillerEnv, 'station'>, kind: 'settle' | 'reversals') => Promise<void>;
}

export const ok = (data: Record<string, unknown> = {}): EffectResult => ({ outcome: 'ok', data });
export const pending = (data: Record<string, unknown> = {}): EffectResult => ({ outcome: 'pending', data });

export function declined(code: string, zh: string, en: string, data?: Record<string, unknown>): EffectResult {
  return { outcome: 'declined', reason: { code, zh, en }, ...(data ? { data } : {}) };
}

export function field(req: BillerRequest, ...names: string[]): string | null {
  const fields = (req.payload.fields ?? {}) as Record<string, unknown>;
  for (const n of names) {
    const v = fields[n] ?? req.payload[n];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return null;
}

/** Amount of the request in fen, from its `amount` yuan string; null when absent or malformed. */
export function amountFen(req: BillerRequest): number | null {
  const a = req.payload.amount;
  if (typeof a !== 'string' || !/^\d{1,9}(\.\d{1,2})?$/.test(a)) return null;
  return Money.of(a).toFen();
}

export const yuanOf = (fen: number): string => Money.fromFen(fen).toString();

/** Deterministic pseudo-random number in [0,1) from a string (FNV-1a), for simulated customer data. */
export function hashUnit(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

/** Business date yyyymmdd in Asia/Shanghai (UTC+8, no DST) with HQ's configured day cut. */
export function shanghaiDay(now: number, dayCut: string): string {
  return businessDate(now, dayCut);
}

/** Local hour and minute in Asia/Shanghai. */
export function shanghaiTime(now: number): { hour: number; minute: number } {
  const { minute } = toLocal(now);
  return { hour: Math.floor(minute / 60), minute: minute % 60 };
}
