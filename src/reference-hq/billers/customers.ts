import type { HqStore, StoreOp } from '../store.ts';
import { hashUnit } from './biller.ts';

/**
 * Simulated customer data, derived deterministically from the account number so every run and
 * every HQ instance agree. Documented test accounts (docs/protocol.md):
 *   …0000  no such account            mobile …9999  25.00 yuan in arrears (reversal refused)
 *   …4444  the biller fails the payment (asynchronous billers settle `declined`)
 *   mobile 19…  a number outside the enabled regions (others: a city HQ opened in the station's province)
 *   electricity account 9d…  an account of county d of SIM_COUNTIES (others are 安庆 city accounts)
 */
export function accountExists(account: string): boolean {
  return !account.endsWith('0000');
}

export function failsPayment(account: string): boolean {
  return account.endsWith('4444');
}

/** Base arrears of an account for a service, fen. */
export function baseArrearsFen(service: string, account: string): number {
  if (service === 'mobile-topup') {
    if (account.endsWith('9999')) return 2500;
    return hashUnit(`arrears:${service}:${account}`) < 0.2 ? Math.floor(hashUnit(`a2:${account}`) * 2000) : 0;
  }
  return 1000 + Math.floor(hashUnit(`arrears:${service}:${account}`) * 29_000);
}

/**
 * What was paid through HQ towards an account (or contract), fen: one key per payment reference,
 * written in the batch that debits the station and deleted in the batch that credits it back, so
 * the arrears always agree with the station's account.
 */
const paidPrefix = (service: string, account: string) => `b:${service}:a:${account}:`;

export async function paidFen(store: HqStore, service: string, account: string): Promise<number> {
  let sum = 0;
  for await (const [, fen] of store.entries<number>(paidPrefix(service, account))) sum += fen;
  return sum;
}

/** Arrears now: base minus what was paid through HQ. */
export async function arrearsFen(store: HqStore, service: string, account: string): Promise<number> {
  return Math.max(0, baseArrearsFen(service, account) - (await paidFen(store, service, account)));
}

/** The write recording payment `ref` towards an account; `undo` removes it (reversal, refund). */
export function paidOp(service: string, account: string, ref: string, fen: number): StoreOp;
export function paidOp(service: string, account: string, ref: string, fen: 'undo'): StoreOp;
export function paidOp(service: string, account: string, ref: string, fen: number | 'undo'): StoreOp {
  const key = `${paidPrefix(service, account)}${ref}`;
  return fen === 'undo' ? { type: 'del', key } : { type: 'put', key, value: fen };
}

export function mobileCity(number: string, regions: readonly string[]): string | null {
  if (number.startsWith('19') || regions.length === 0) return null;
  return regions[Math.floor(hashUnit(`city:${number}`) * regions.length)] ?? null;
}

/** The counties of the simulated electricity customers: an account `9d…` belongs to county d. */
export const SIM_COUNTIES = ['怀宁', '太湖', '宿松', '望江', '岳西', '潜山', '桐城'];
/** The city of the simulated electricity customers that are not county accounts (the demo station's). */
export const SIM_CITY = '安庆';

/** The collection area of an electricity account: city or county, and which one by name. */
export function electricityAreaOf(account: string): { area: 'city' | 'county'; name: string } {
  if (!account.startsWith('9')) return { area: 'city', name: SIM_CITY };
  return { area: 'county', name: SIM_COUNTIES[Number(account[1] ?? '0') % SIM_COUNTIES.length] ?? '' };
}

/**
 * Whether an electricity account may be collected at a station: only in the station's own area —
 * the city cannot collect for its counties, nor a county for the city or another county. A station
 * without a region collects for none. `other` names the account's area when it is not the station's.
 */
export function ownElectricityArea(
  account: string,
  station: { city: string; areaType: 'city' | 'county' } | undefined,
): { own: true } | { own: false; area: 'city' | 'county'; name: string } {
  const { area, name } = electricityAreaOf(account);
  return station && area === station.areaType && name === station.city
    ? { own: true }
    : { own: false, area, name };
}

/** Telecom contract numbers (合同号) of a number, each with its own arrears. */
export function telecomContracts(number: string): Array<{ contractNo: string; baseFen: number }> {
  const n = 1 + Math.floor(hashUnit(`contracts:${number}`) * 3);
  return Array.from({ length: n }, (_, i) => ({
    contractNo: `HT${number.slice(-6)}${String(i + 1).padStart(2, '0')}`,
    baseFen: 500 + Math.floor(hashUnit(`contract:${number}:${i}`) * 20_000),
  }));
}

export const GAMES = [
  { id: 'wzry', name: '王者荣耀', packages: ['6', '30', '68', '128', '328'] },
  { id: 'hpjy', name: '和平精英', packages: ['6', '30', '68', '198'] },
  { id: 'yxlm', name: '英雄联盟', packages: ['10', '50', '100', '200'] },
  { id: 'mhxy', name: '梦幻西游', packages: ['15', '30', '50', '100'] },
  { id: 'wow', name: '魔兽世界', packages: ['30', '75', '150'] },
  { id: 'qqcard', name: 'Q币', packages: ['10', '20', '50', '100'] },
] as const;
