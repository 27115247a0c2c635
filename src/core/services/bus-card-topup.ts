import { z } from 'zod';
import { KioskError } from '../errors.ts';
import { Money } from '../money.ts';
import { digits } from '../transaction/fields.ts';
import { paymentFlow } from '../transaction/flows.ts';
import { defineService } from './define-service.ts';
import { amount, ENTRY } from './fields.ts';
import { statusPolling } from './rules.ts';

/** Largest single bus card top-up, yuan (the card's purse limit). */
export const BUS_CARD_MAX = Money.of('500');

/**
 * Bus IC card top-up (公交卡充值): only at kiosks where HQ enabled it (`services.enabled`, since it
 * needs the equipment). Card number and amount; no reversal.
 */
export const busCardTopup = defineService({
  id: 'bus-card-topup',
  title: { zh: '公交卡充值', en: 'Bus card top-up' },
  example: { cardNo: '31040012345678', amount: '50' },
  fields: z.strictObject({
    cardNo: digits(
      { min: 8, max: 20 },
      { zh: '公交卡号为8至20位数字', en: 'bus card number must be 8 to 20 digits' },
    ),
    amount: amount(),
  }),
  fieldMeta: {
    cardNo: {
      zh: '公交卡号',
      en: 'Bus card number',
      sensitive: 'card',
      entry: { keypad: 'digits', maxLength: 20 },
    },
    amount: { zh: '充值金额', en: 'Amount', entry: ENTRY.amount },
  },
  amount: (f) => Money.of(f.amount),
  check: (f) =>
    Money.of(f.amount).gt(BUS_CARD_MAX)
      ? [
          new KioskError('KIOSK_E_INVALID_AMOUNT', {
            field: 'amount',
            zh: `单次充值不超过 ${BUS_CARD_MAX.toString()} 元`,
            en: `at most ${BUS_CARD_MAX.toString()} yuan per top-up`,
          }),
        ]
      : [],
  ...paymentFlow({ queryDelayMs: statusPolling, unknownAlertMs: 30 * 60_000 }),
});
