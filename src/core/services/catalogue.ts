import type { ServiceDefinition } from '../transaction/types.ts';
import { cableTv, electricityBill, gasBill, telecomBill, unicomCash, waterBill } from './bill-services.ts';
import { busCardTopup } from './bus-card-topup.ts';
import { coachTicket } from './coach-ticket.ts';
import { creditCardRepayment } from './credit-card.ts';
import { gameTopup } from './game-topup.ts';
import { mobileTopup } from './mobile-topup.ts';
import { powerCard } from './power-card.ts';
import { prepaidCardTopup } from './prepaid-card-topup.ts';

/**
 * The services this build can run. Each definition is the single source of its fields, rules,
 * states and receipt; stations enable them through `services.enabled` in the configuration.
 */
export const SERVICE_CATALOGUE: readonly ServiceDefinition[] = [
  mobileTopup,
  unicomCash,
  telecomBill,
  electricityBill,
  gameTopup,
  cableTv,
  waterBill,
  gasBill,
  busCardTopup,
  prepaidCardTopup,
  creditCardRepayment,
  coachTicket,
  powerCard,
];
