import type { KioskConfig } from '../config/schema.ts';
import { isWithinBusinessHours } from './business-day.ts';
import type { ServiceDefinition } from './transaction/types.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

/** Why a service cannot be used now; the reasons are the kiosk's, never the customer's. */
export type UnavailableCode =
  | 'safe-mode'
  | 'disabled'
  | 'not-self-service'
  | 'closed'
  | 'hq-offline'
  | 'device'
  | 'not-ready'
  | 'suspended';

export interface Availability {
  service: string;
  available: boolean;
  code: UnavailableCode | null;
  /** What the customer reads, in their words; null when available. */
  reason: Bilingual | null;
}

export interface AvailabilityFacts {
  config: KioskConfig;
  now: number;
  /** Non-null while the kiosk sells nothing. */
  safeMode: Bilingual | null;
  hqOnline: boolean;
  /** The service's device problem (e.g. the card reader is offline), null when none. */
  device: Bilingual | null;
  /** The station's available prepaid balance, fen. Never shown: only compared. */
  availableFen: number;
  /** Whether the one asking is a customer on their own. */
  self: boolean;
  /**
   * Why the station may not sell the service now by facts HQ set (`ServiceDefinition.ready`: a
   * repayment terminal not bound, disabled or not signed in today): the operator's words and the
   * customer's. Null when ready.
   */
  notReady?: { operator: Bilingual; customer: Bilingual } | null;
}

/**
 * Whether a service can be used now, and if not, why, in words a customer understands. Checked up
 * front (before any form is filled) and again when an order is placed; the station's balance is
 * only ever called a suspension (暂停服务), never shown. Pure.
 */
export function availabilityOf(def: ServiceDefinition, f: AvailabilityFacts): Availability {
  const no = (code: UnavailableCode, reason: Bilingual): Availability => ({
    service: def.id,
    available: false,
    code,
    reason,
  });
  const name = def.title;
  if (f.safeMode)
    return no('safe-mode', {
      zh: '本亭暂停服务，请稍后再来或联系柜员',
      en: 'This kiosk is not serving right now; please come back later or ask the operator',
    });
  if (!f.config.services.enabled.includes(def.id))
    return no('disabled', { zh: `本亭未开通${name.zh}`, en: `${name.en} is not offered here` });
  if (f.self && !(f.config.selfService.enabled && f.config.selfService.services.includes(def.id)))
    return no('not-self-service', {
      zh: `${name.zh}请到窗口由柜员办理`,
      en: `${name.en} is done by the operator at the counter`,
    });
  if (f.self && !isWithinBusinessHours(f.now, f.config.business.hours)) {
    const { open, close } = f.config.business.hours;
    return no('closed', {
      zh: `现在不是营业时间（${open}–${close}），请在营业时间内办理`,
      en: `Closed now; open ${open}–${close}`,
    });
  }
  if (!f.hqOnline)
    return no('hq-offline', {
      zh: `${name.zh}暂不可用：与总部的连接中断，请稍后再试`,
      en: `${name.en} is unavailable: the kiosk cannot reach headquarters; try again later`,
    });
  if (f.device) return no('device', f.device);
  if (f.notReady) return no('not-ready', f.self ? f.notReady.customer : f.notReady.operator);
  if (f.availableFen <= 0 && def.funding !== 'none') return suspended(def);
  return { service: def.id, available: true, code: null, reason: null };
}

/** The station cannot pay this now (its prepaid balance): told as a suspension, nothing more. */
export function suspended(def: ServiceDefinition): Availability {
  return {
    service: def.id,
    available: false,
    code: 'suspended',
    reason: {
      zh: `${def.title.zh}暂停服务，请稍后再试或到窗口咨询`,
      en: `${def.title.en} is suspended for now; try again later or ask at the counter`,
    },
  };
}
