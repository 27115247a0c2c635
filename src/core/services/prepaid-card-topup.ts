import { z } from 'zod';
import { Money } from '../money.ts';
import { payingState, queryingState } from '../transaction/flows.ts';
import { defineService } from './define-service.ts';
import { amount, cardNumber, ENTRY } from './fields.ts';
import { statusPolling } from './rules.ts';

/**
 * Self top-up of the station's prepaid balance from its bound postal debit card (卡折充值). Nothing
 * is held: money comes in. HQ debits the card, credits the station's account and sends a signed
 * balance event; the balance rises when that event is applied (once, by its reference), so the
 * kiosk never credits itself.
 */
export const prepaidCardTopup = defineService({
  id: 'prepaid-card-topup',
  title: { zh: '卡折充值', en: 'Balance top-up from debit card' },
  example: { debitCard: '6221881234567890123', amount: '500' },
  fields: z.strictObject({ debitCard: cardNumber(), amount: amount() }),
  fieldMeta: {
    debitCard: { zh: '绑定绿卡卡号', en: 'Bound debit card', sensitive: 'card', entry: ENTRY.card },
    amount: { zh: '充值金额', en: 'Amount', entry: ENTRY.amount },
  },
  amount: (f) => Money.of(f.amount),
  funding: 'none',
  initial: 'paying',
  states: {
    paying: payingState(),
    querying: queryingState({ ok: 'succeeded', declined: 'failed' }, statusPolling, 30 * 60_000),
    succeeded: { type: 'terminal', result: 'succeeded', receipt: true },
    failed: { type: 'terminal', result: 'failed' },
  },
});
