import { billBillers, mobileTopupBiller } from './bill-billers.ts';
import type { Biller } from './biller.ts';
import { electricityCardBiller } from './electricity-card.ts';
import {
  alarmBiller,
  busCardBiller,
  coachTicketBiller,
  creditCardBiller,
  gameTopupBiller,
  prepaidCardTopupBiller,
} from './other-billers.ts';

export interface CatalogueOptions {
  /** How long asynchronous billers (mobile, game) take to settle, ms. */
  settleMs: number;
}

/** A simulated biller for every service of DOMAIN.md §4, by service id. */
export function billerCatalogue(opts: CatalogueOptions): Map<string, Biller> {
  const all: Biller[] = [
    mobileTopupBiller(opts.settleMs),
    ...billBillers(),
    electricityCardBiller(),
    gameTopupBiller(opts.settleMs),
    creditCardBiller(),
    busCardBiller(),
    coachTicketBiller(),
    alarmBiller(),
    prepaidCardTopupBiller(),
  ];
  return new Map(all.map((b) => [b.service, b]));
}

/** The seven cities whose mobile numbers the top-up accepts (the seed lists seven). */
export const MOBILE_REGIONS = ['杭州', '宁波', '温州', '绍兴', '湖州', '嘉兴', '金华'] as const;
