import {
  addDays,
  businessDate,
  inLocalWindow,
  localInstant,
  parseTimeOfDay,
  toLocal,
} from '../business-day.ts';
import { KioskError } from '../errors.ts';
import { Money } from '../money.ts';
import type { EffectResult, RuleContext, SendGate, TxnRecord } from '../transaction/types.ts';

const refuse = (zh: string, en: string): KioskError =>
  new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', { field: 'serial', zh, en });

/** Only transactions of the current business date (before the day cut) can be reversed. */
export function sameDayOnly(txn: TxnRecord, ctx: RuleContext): KioskError | null {
  const today = businessDate(ctx.clock.now(), ctx.config.business.dayCut);
  return txn.businessDate === today
    ? null
    : refuse(
        `只能撤销当日流水中的交易（该交易账务日期 ${txn.businessDate}，今日 ${today}）`,
        `only transactions of today's journal can be reversed (business date ${txn.businessDate}, today ${today})`,
      );
}

/** Mobile top-up reversal requests are not accepted from 20:00 to 22:00. */
export const MOBILE_REVERSAL_BLACKOUT = { from: '20:00', to: '22:00' } as const;
/** After this time, transactions from before today's day cut cannot be reversed. */
export const MOBILE_LATE_REVERSAL_FROM = '22:00';
/** A number more than this in arrears cannot be reversed. */
export const MOBILE_REVERSAL_MAX_ARREARS = Money.of('20.00');

/** The reversal rules of mobile direct top-up (移动直充) that depend only on the time. */
export function mobileReversalWindow(txn: TxnRecord, ctx: RuleContext): KioskError | null {
  const now = ctx.clock.now();
  const { from, to } = MOBILE_REVERSAL_BLACKOUT;
  if (inLocalWindow(now, from, to)) {
    return refuse(
      `${from}–${to} 不受理撤销申请`,
      `reversal requests are not accepted between ${from} and ${to}`,
    );
  }
  const local = toLocal(now);
  if (local.minute >= parseTimeOfDay(MOBILE_LATE_REVERSAL_FROM)) {
    const cutToday = localInstant(local.date, ctx.config.business.dayCut);
    if (txn.createdAt < cutToday) {
      return refuse(
        `${MOBILE_LATE_REVERSAL_FROM} 后不能撤销日切前的交易`,
        `after ${MOBILE_LATE_REVERSAL_FROM}, transactions from before the day cut cannot be reversed`,
      );
    }
  }
  return sameDayOnly(txn, ctx);
}

/**
 * The same rules when the reversal request (撤销申请) is sent, which may be later than the operator's
 * action (HQ unreachable, a restart): inside 20:00–22:00 the request waits for 22:00, and then the
 * rules apply again (after 22:00 a transaction from before the day cut is refused). A refusal
 * after an earlier attempt that may have reached HQ becomes `unknown`: the reversal query finds out.
 */
export function mobileReversalSendGate(txn: TxnRecord, ctx: RuleContext): SendGate | null {
  const now = ctx.clock.now();
  const { from, to } = MOBILE_REVERSAL_BLACKOUT;
  if (inLocalWindow(now, from, to)) {
    const local = toLocal(now);
    const end = localInstant(local.date, to);
    return { waitUntil: end > now ? end : localInstant(addDays(local.date, 1), to) };
  }
  const refusal = mobileReversalWindow(txn, ctx);
  if (!refusal) return null;
  const reason = { code: refusal.code, zh: refusal.zh, en: refusal.en };
  return { outcome: { outcome: txn.attempts > 0 ? 'unknown' : 'declined', reason } };
}

/** Reads the arrears answered by HQ before a mobile reversal and refuses above the limit. */
export function mobileArrearsPrecheck(_txn: TxnRecord, answer: EffectResult): EffectResult {
  if (answer.outcome !== 'ok') return answer;
  const text = answer.data?.arrears;
  if (typeof text !== 'string' || !/^\d{1,9}(\.\d{1,2})?$/.test(text)) {
    return {
      outcome: 'unknown',
      reason: { code: 'KIOSK_E_INTERNAL', zh: '欠费查询结果无效', en: 'arrears answer unreadable' },
    };
  }
  const arrears = Money.of(text);
  if (arrears.gt(MOBILE_REVERSAL_MAX_ARREARS)) {
    return {
      outcome: 'declined',
      data: { arrears: arrears.toString() },
      reason: {
        code: 'KIOSK_E_REVERSAL_ARREARS',
        zh: `该号码欠费 ${arrears.toString()} 元，超过 ${MOBILE_REVERSAL_MAX_ARREARS.toString()} 元，不能撤销`,
        en: `the number is ${arrears.toString()} yuan in arrears (over ${MOBILE_REVERSAL_MAX_ARREARS.toString()}); no reversal`,
      },
    };
  }
  return { ...answer, data: { ...answer.data, arrears: arrears.toString() } };
}

/** Quick status queries before the regular schedule starts. */
export const QUICK_STATUS_QUERIES = 5;

/**
 * Status query schedule: a biller that settles in seconds is asked soon — the first
 * QUICK_STATUS_QUERIES tries every `engine.firstStatusQueryMs` (never slower than the interval) —
 * then every `engine.statusQueryIntervalMs` for 10 tries, then 4 times slower.
 */
export const statusPolling = (attempt: number, ctx: RuleContext): number => {
  const { firstStatusQueryMs, statusQueryIntervalMs: base } = ctx.config.engine;
  if (attempt <= QUICK_STATUS_QUERIES) return Math.min(firstStatusQueryMs, base);
  return attempt <= QUICK_STATUS_QUERIES + 10 ? base : base * 4;
};

/**
 * Reversal status schedule: upstream processes reversals by hand about every 30 minutes (hours at
 * month end), so ask every `engine.reversalQueryIntervalMs` for the first 30 tries, then 5 times
 * slower.
 */
export const reversalPolling = (attempt: number, ctx: RuleContext): number => {
  const base = ctx.config.engine.reversalQueryIntervalMs;
  return attempt <= 30 ? base : base * 5;
};
