import { z } from 'zod';
import { businessDate } from '../../src/core/business-day.ts';
import { KioskError } from '../../src/core/errors.ts';
import { Money } from '../../src/core/money.ts';
import { defineService } from '../../src/core/services/define-service.ts';
import { digits, money } from '../../src/core/transaction/fields.ts';
import { paymentFlow } from '../../src/core/transaction/flows.ts';
import type { ServiceDefinition } from '../../src/core/transaction/types.ts';

/**
 * A bill payment used to test the engine on its own: the standard payment flow with a status query
 * every 30 s, an alert after 30 minutes unknown, and a reversal allowed on the same business date.
 */
export const testBillService: ServiceDefinition = defineService({
  id: 'test-bill',
  title: { zh: '测试缴费', en: 'Test bill' },
  fields: z.strictObject({
    phone: digits({ min: 11, max: 11 }, { zh: '必须为11位数字', en: 'must be 11 digits' }),
    amount: money({ field: 'amount' }),
  }),
  fieldMeta: {
    phone: { zh: '手机号码', en: 'Phone number', sensitive: 'phone' },
    amount: { zh: '金额', en: 'Amount' },
  },
  amount: (f) => Money.of(f.amount),
  ...paymentFlow({
    queryDelayMs: () => 30_000,
    unknownAlertMs: 30 * 60_000,
    reversal: {
      queryDelayMs: () => 60_000,
      guard: (txn, ctx) =>
        txn.businessDate !== businessDate(ctx.clock.now(), ctx.config.business.dayCut)
          ? new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
              field: 'serial',
              zh: '只能撤销当日交易',
              en: 'only same-day transactions',
            })
          : null,
    },
  }),
});
