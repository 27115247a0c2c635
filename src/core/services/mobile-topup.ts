import { z } from 'zod';
import { KioskError } from '../errors.ts';
import { Money } from '../money.ts';
import { paymentFlow } from '../transaction/flows.ts';
import type { EffectResult, RuleContext } from '../transaction/types.ts';
import { answerText, yuanText } from './answer-fields.ts';
import { defineService, storedAnswer } from './define-service.ts';
import { amount, ENTRY, mobileNumber } from './fields.ts';
import {
  mobileArrearsPrecheck,
  mobileReversalSendGate,
  mobileReversalWindow,
  reversalPolling,
  statusPolling,
} from './rules.ts';

export const MOBILE_MIN = Money.of('10');
export const MOBILE_STEP = Money.of('10');
/** An unknown result still unknown after this long is raised to the administrator. */
export const MOBILE_UNKNOWN_ALERT_MS = 30 * 60_000;

/**
 * The submit answered with an error instead of the waiting page: the mobile operator's system is
 * failing as a whole, and the administrator must be told at once. A timeout (no answer) is not an
 * error answer: it is resolved by status queries and alerts after 30 minutes.
 */
export function mobileSubmitError(result: EffectResult): string | null {
  if (result.outcome === 'declined') return 'submit-error';
  if (result.outcome === 'unknown' && result.reason?.code !== 'KIOSK_E_TIMEOUT') return 'submit-error';
  return null;
}

/** HQ's answer about a number: the city it belongs to (and what it owes, which a top-up ignores). */
export const mobileAnswer = z.strictObject({
  phone: answerText(20).optional(),
  city: answerText(20),
  arrears: yuanText.optional(),
});
export type MobileAnswer = z.output<typeof mobileAnswer>;

/**
 * Only numbers of the cities HQ opened for this station's province (`services.mobileRegions`) are
 * topped up; a number of any other city is refused.
 */
export function mobileRegionCheck(answer: MobileAnswer, ctx: RuleContext): KioskError[] {
  const regions = ctx.config.services.mobileRegions;
  const { city } = answer;
  if (regions.includes(city)) return [];
  const open = regions.length > 0 ? regions.join('、') : '无';
  const openEn = regions.length > 0 ? regions.join(', ') : 'none';
  return [
    new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'phone',
      zh: `该号码归属${city}，本亭只能为已开通地区（${open}）的移动号码充值`,
      en: `this number belongs to ${city}; the kiosk tops up only numbers of the enabled regions (${openEn})`,
    }),
  ];
}

const flow = paymentFlow({
  queryDelayMs: statusPolling,
  unknownAlertMs: MOBILE_UNKNOWN_ALERT_MS,
  submitAlert: mobileSubmitError,
  reversal: {
    guard: mobileReversalWindow,
    beforeSend: mobileReversalSendGate,
    queryDelayMs: reversalPolling,
    confirmFields: ['phone', 'amount'],
    precheck: { op: 'query', interpret: mobileArrearsPrecheck },
  },
});

/**
 * Mobile direct top-up (移动直充): 11-digit number of an enabled region, at least 10 yuan in
 * multiples of 10. Asynchronous: the result is asked for until it is final, with an alert after 30
 * minutes unknown. Reversal is two-phase and guarded by the time windows and the arrears limit;
 * a pending top-up cannot be reversed until a query confirms it (the action starts only from
 * `succeeded`).
 */
export const mobileTopup = defineService({
  id: 'mobile-topup',
  title: { zh: '移动直充', en: 'Mobile top-up' },
  example: { phone: '13800138000', amount: '50' },
  hints: [
    { zh: '充值金额不少于10元，且须为10元的整数倍', en: 'amount at least 10 yuan, in multiples of 10' },
  ],
  fields: z.strictObject({ phone: mobileNumber(), amount: amount() }),
  fieldMeta: {
    phone: { zh: '手机号码', en: 'Mobile number', sensitive: 'phone', entry: ENTRY.mobile },
    amount: {
      zh: '充值金额',
      en: 'Amount',
      // Whole multiples of the step only, so the keypad has no decimal point.
      entry: { keypad: 'digits', maxLength: 4, quick: ['10', '20', '30', '50', '100', '200'] },
    },
  },
  amount: (f) => Money.of(f.amount),
  check: (f) => {
    const a = Money.of(f.amount);
    return a.lt(MOBILE_MIN) || !a.isMultipleOf(MOBILE_STEP)
      ? [
          new KioskError('KIOSK_E_INVALID_AMOUNT', {
            field: 'amount',
            zh: '充值金额不少于10元，且须为10元的整数倍',
            en: 'amount must be at least 10 yuan, in multiples of 10',
          }),
        ]
      : [];
  },
  // The region of a number is known upstream: asking first refuses other regions before any hold.
  inquiry: {
    op: 'query',
    fields: ['phone'],
    answer: mobileAnswer,
    check: (_f, answer, ctx) => mobileRegionCheck(answer, ctx),
  },
  ...flow,
  receipt: (txn) => {
    const city = storedAnswer(mobileAnswer, txn)?.city;
    return city !== undefined ? [{ zh: '号码归属', en: 'Region', value: city }] : [];
  },
});
