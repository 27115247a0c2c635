import { z } from 'zod';
import { businessDate } from '../business-day.ts';
import { KioskError } from '../errors.ts';
import { Money } from '../money.ts';
import { payBase, payingState, queryingState } from '../transaction/flows.ts';
import type { RuleContext, StationFacts } from '../transaction/types.ts';
import { answerList, answerText } from './answer-fields.ts';
import { defineService } from './define-service.ts';
import { amount, bankCard, ENTRY } from './fields.ts';
import { statusPolling } from './rules.ts';

export const CREDIT_CARD_SERVICE = 'credit-card-repayment';

/** Largest single repayment, yuan. */
export const CREDIT_REPAYMENT_MAX = Money.of('50000');

/** What a customer at the screen is told for each refusal (the operator's words name the terminal). */
const CUSTOMER: Record<string, { zh: string; en: string }> = {
  'terminal-unbound': {
    zh: '本亭暂未开通信用卡还款，请到柜台咨询',
    en: 'Credit card repayment is not offered at this kiosk yet; please ask at the counter',
  },
  'terminal-disabled': {
    zh: '信用卡还款暂停办理，请到柜台咨询',
    en: 'Credit card repayment is suspended; please ask at the counter',
  },
  'sign-in-required': {
    zh: '信用卡还款今日尚未开始办理，请稍后再试或到柜台咨询',
    en: 'Credit card repayment has not opened yet today; try later or ask at the counter',
  },
};

const unavailable = (reason: string, zh: string, en: string): KioskError =>
  new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', {
    field: 'service',
    zh,
    en,
    details: { reason, customer: CUSTOMER[reason] },
  });

/**
 * Whether the terminal may be used at all: HQ bound an 8-digit terminal number to the station and
 * enabled it. A disabled terminal is refused with HQ's reason. Pure.
 */
export function terminalRefusal(facts: StationFacts): KioskError | null {
  const t = facts.terminal;
  if (!t?.terminalNo)
    return unavailable(
      'terminal-unbound',
      '总部未给本亭绑定信用卡还款终端号，暂不能办理',
      'HQ has not bound a repayment terminal number to this kiosk',
    );
  if (t.status !== 'enabled') {
    const why = t.reason ? `：${t.reason}` : '';
    return unavailable(
      'terminal-disabled',
      `总部已停用本亭还款终端 ${t.terminalNo}${why}`,
      `HQ has disabled repayment terminal ${t.terminalNo}${t.reason ? `: ${t.reason}` : ''}`,
    );
  }
  return null;
}

/** The terminal is usable and signed in (签到) for the current business date. Pure. */
export function repaymentRefusal(facts: StationFacts, ctx: RuleContext): KioskError | null {
  const t = terminalRefusal(facts);
  if (t) return t;
  const today = businessDate(ctx.clock.now(), ctx.config.business.dayCut);
  const s = facts.signIn;
  if (!s || s.date !== today || s.terminalNo !== facts.terminal?.terminalNo)
    return unavailable(
      'sign-in-required',
      `请先签到：终端 ${facts.terminal?.terminalNo} 今日（${today}）尚未签到`,
      `sign in first: terminal ${facts.terminal?.terminalNo} has not signed in for ${today}`,
    );
  return null;
}

const DATE = /^\d{8}$/;

/**
 * HQ's answer to the repayment history query (还款查询): the station's repayments between two
 * business dates, amounts in fen. Checked like an inquiry's answer before anything shows it.
 */
export const repaymentHistoryAnswer = z.strictObject({
  items: answerList(
    z.strictObject({
      ref: answerText(40),
      serial: answerText(40),
      day: z.string().regex(DATE),
      amountFen: z.int().min(0).max(1_000_000_000),
      status: z.enum(['pending', 'ok', 'declined', 'reversal-pending', 'reversed', 'reversal-refused']),
    }),
    1000,
  ),
});

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * The date range of a repayment history query (yyyymmdd business dates): both real dates, and the
 * end after the start. Every problem is listed. Pure.
 */
export function historyRangeProblems(from: unknown, to: unknown): KioskError[] {
  const problems: KioskError[] = [];
  const bad = (field: string, zh: string, en: string) =>
    problems.push(new KioskError('KIOSK_E_INVALID_INPUT', { field, zh, en }));
  const f = typeof from === 'string' ? from.trim() : '';
  const t = typeof to === 'string' ? to.trim() : '';
  if (!validDate(f)) bad('from', '开始日期：请输入 yyyymmdd 格式的日期', 'from: must be a date yyyymmdd');
  if (!validDate(t)) bad('to', '结束日期：请输入 yyyymmdd 格式的日期', 'to: must be a date yyyymmdd');
  if (problems.length === 0 && t <= f)
    bad('to', '结束日期必须晚于开始日期', 'to: the end date must be after the start date');
  return problems;
}

/**
 * Credit-card repayment (信用卡还款): money moves from the customer's debit card to their credit
 * card through the station's bound terminal; the prepaid balance is not involved (nothing held).
 * Card numbers are kept in the journal only as first 6 / last 4: the full numbers travel once, in
 * the repayment request, from memory. The kiosk never asks for a PIN or CVV.
 *
 *   paying ─ok─▶ succeeded (receipt) · declined ─▶ failed · pending/unknown ─▶ querying
 *   querying (缴费查询) ─ok─▶ succeeded · declined ─▶ failed
 *
 * `paying` is never repeated after a restart (the full numbers are gone): the status query
 * settles it, and a repayment HQ never received stays failed for good (HQ bars it).
 */
export const creditCardRepayment = defineService({
  id: CREDIT_CARD_SERVICE,
  title: { zh: '信用卡还款', en: 'Credit card repayment' },
  example: { debitCard: '6222021234567890128', creditCard: '6258071234567896', amount: '500' },
  hints: [
    { zh: '须先签到；借记卡与信用卡不能相同', en: 'sign in first; the debit and credit cards must differ' },
  ],
  fields: z.strictObject({
    debitCard: bankCard('借记卡号', 'Debit card number'),
    creditCard: bankCard('信用卡号', 'Credit card number'),
    amount: amount(),
  }),
  fieldMeta: {
    debitCard: {
      zh: '借记卡号（转出）',
      en: 'Debit card (from)',
      sensitive: 'card',
      transient: true,
      entry: ENTRY.card,
    },
    creditCard: {
      zh: '信用卡号（还入）',
      en: 'Credit card (to)',
      sensitive: 'card',
      transient: true,
      entry: ENTRY.card,
    },
    amount: { zh: '还款金额', en: 'Repayment amount', entry: ENTRY.amount },
  },
  amount: (f) => Money.of(f.amount),
  funding: 'none',
  ready: repaymentRefusal,
  check: (f) => {
    const { debitCard, creditCard, amount: a } = f;
    const problems: KioskError[] = [];
    if (debitCard === creditCard)
      problems.push(
        new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'creditCard',
          zh: '信用卡号不能与借记卡号相同',
          en: 'the credit card must differ from the debit card',
        }),
      );
    if (Money.of(a ?? '0').gt(CREDIT_REPAYMENT_MAX))
      problems.push(
        new KioskError('KIOSK_E_INVALID_AMOUNT', {
          field: 'amount',
          zh: `单笔还款不超过 ${CREDIT_REPAYMENT_MAX.toString()} 元`,
          en: `at most ${CREDIT_REPAYMENT_MAX.toString()} yuan per repayment`,
        }),
      );
    return problems;
  },
  initial: 'paying',
  states: {
    paying: {
      ...payingState(payBase),
      retry: 'never',
      onInterrupted: 'unknown',
      transient: true,
    },
    querying: queryingState({ ok: 'succeeded', declined: 'failed' }, statusPolling, 30 * 60_000),
    succeeded: { type: 'terminal', result: 'succeeded', receipt: true },
    failed: { type: 'terminal', result: 'failed' },
  },
  receipt: (txn) => [
    { zh: '转出借记卡', en: 'From debit card', value: txn.fields.debitCard ?? '' },
    { zh: '还入信用卡', en: 'To credit card', value: txn.fields.creditCard ?? '' },
    { zh: '银联参考号', en: 'Reference', value: String(txn.data.billerRef ?? '') },
  ],
});
