import { DEMO_ISSUER_MASTER_KEY } from '../../../devices/card-reader/virtual-electricity-card.ts';
import { billBillers, mobileTopupBiller } from './bill-billers.ts';
import type { Biller, MobileRegions } from './biller.ts';
import { coachTicketBiller } from './coach-ticket.ts';
import {
  alarmBiller,
  busCardBiller,
  creditCardBiller,
  gameTopupBiller,
  prepaidCardTopupBiller,
} from './other-billers.ts';
import { paymentQrBiller } from './payment-qr.ts';
import { powerCardBiller } from './power-card.ts';

export interface CatalogueOptions {
  /** How long asynchronous billers (mobile, game) take to settle, ms. */
  settleMs: number;
  /** Issuer master key of the electricity cards (default: the simulator's demo cards' key). */
  cardMasterKey?: Uint8Array;
}

/** A simulated biller for every service the kiosk offers, by service id. */
export function billerCatalogue(opts: CatalogueOptions): Map<string, Biller> {
  const all: Biller[] = [
    mobileTopupBiller(opts.settleMs),
    ...billBillers(),
    powerCardBiller({ masterKey: opts.cardMasterKey ?? DEMO_ISSUER_MASTER_KEY }),
    gameTopupBiller(opts.settleMs),
    creditCardBiller(),
    busCardBiller(),
    coachTicketBiller(),
    alarmBiller(),
    prepaidCardTopupBiller(),
    paymentQrBiller(),
  ];
  return new Map(all.map((b) => [b.service, b]));
}

/**
 * The cities whose mobile numbers the top-up platform accepts, per province: in Sichuan the mobile
 * numbers of seven cities and prefectures, other regions to open later; in Anhui only the local
 * city's numbers, Anqing.
 */
export const MOBILE_REGIONS: MobileRegions = {
  四川: ['成都', '南充', '绵阳', '德阳', '巴中', '资阳', '攀枝花'],
  安徽: ['安庆'],
};
