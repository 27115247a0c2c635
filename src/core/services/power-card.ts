import { z } from 'zod';
import { U32_MAX } from '../card-write.ts';
import { Money } from '../money.ts';
import { digits, pattern } from '../transaction/fields.ts';
import type { EffectState, StateDefinition, StateLabel, TxnRecord } from '../transaction/types.ts';
import { answerList, answerText } from './answer-fields.ts';
import { defineService } from './define-service.ts';
import { amount } from './fields.ts';
import {
  cardAfterSchema,
  requiredCard,
  requiredWrite,
  storedWrite,
  type WriteKey,
} from './power-card-data.ts';
import {
  afterDayCut,
  alertAfter,
  CARD_NEEDED_ALERT_MS,
  CARD_WAIT_MS,
  CONFIRM_ALERT_MS,
  cardPolling,
  checkPurchaseCard,
  checkPurchaseWrite,
  checkReversalCard,
  checkReversalWrite,
  giveUpWaiting,
  untilHqAnswers,
} from './power-card-rules.ts';
import { sameDayOnly } from './rules.ts';

/**
 * HQ's answer about a customer number before a purchase: the area it belongs to, its meter, the
 * tariff (li per kWh) and the reference of a purchase the utility still has open, if any. The sale
 * reads none of it; the screens show the area.
 */
const powerCardAnswer = z.strictObject({
  customerNo: answerText(20).optional(),
  area: z.enum(['city', 'county']).optional(),
  areaName: answerText(20).optional(),
  meter: answerText(20).optional(),
  tariffLiPerKwh: z.int().min(0).max(100_000).optional(),
  unresolvedRef: answerText(40).nullable().optional(),
});

/**
 * HQ's answer to the unconfirmed query (未确认交易查询): the station's purchases and reversals the
 * utility still holds unconfirmed, amounts in fen, days as business dates (yyyymmdd).
 */
const unconfirmedAnswer = z.strictObject({
  items: answerList(
    z.strictObject({
      kind: z.enum(['purchase', 'reversal']),
      ref: answerText(40),
      serial: answerText(40),
      /** Masked on the way (account sensitivity): digits and `*`. */
      customerNo: z.string().regex(/^[\d*]{1,20}$/),
      amountFen: z.int().min(0).max(U32_MAX),
      day: z.string().regex(/^\d{8}$/),
    }),
    500,
  ),
});

/** Device effect operations of the card reader (see src/app/card-effects.ts). */
export const CARD_OPS = { read: 'card-read', write: 'card-write', readBack: 'card-read-back' } as const;
/** HQ operations of the utility (see src/reference-hq/billers/power-card.ts). */
export const POWER_CARD_OPS = {
  query: 'query',
  pay: 'pay',
  confirm: 'write-confirm',
  accountingReverse: 'accounting-reverse',
  reverse: 'reverse',
  reverseCancel: 'reverse-cancel',
  reverseConfirm: 'reverse-write-confirm',
  unconfirmed: 'unconfirmed',
} as const;

const hq = (op: string, payload: (txn: TxnRecord) => Record<string, unknown>) => (txn: TxnRecord) => ({
  type: 'hq' as const,
  op,
  payload: payload(txn),
});
const card = (op: string, payload: (txn: TxnRecord) => Record<string, unknown>) => (txn: TxnRecord) => ({
  type: 'device' as const,
  device: 'cardReader',
  op,
  payload: payload(txn),
});
const ref = (txn: TxnRecord) => ({ ref: txn.data.billerRef ?? null });
/** What a read-back looks for on the card: the write kept under `key`. */
const refOf = (txn: TxnRecord, key: WriteKey) => {
  const w = requiredWrite(txn, key);
  return { cardSerial: w.cardSerial, purchaseCounter: w.purchaseCounter, txnRef: w.txnRef };
};

/**
 * The three states that put one write on the card, for a purchase or a reversal. Nothing is written
 * unless the card is in the reader and the intent is journaled (the engine writes it before every
 * effect). A write never repeats blindly after a crash: its interrupted outcome is `unknown`, and an
 * unknown outcome is settled by reading the card's purchase counter back.
 *
 *   writing ─ok (verified read-back)─▶ done · card refused ─▶ refused · card absent ─▶ waiting
 *           └ unknown (pulled, timeout, crash) ─▶ verifying
 *   waiting: the same write whenever the card is back; after CARD_WAIT_MS without it ─▶ refused
 *   verifying: read-back ─applied─▶ done · not applied ─▶ waiting · no card / superseded: ask again,
 *              and tell the operator and HQ that the customer must bring the card back
 */
function writeStates(
  prefix: '' | 'reverse-',
  dataKey: WriteKey,
  done: string,
  refused: string,
): Record<string, EffectState> {
  const write = card(CARD_OPS.write, (txn) => ({ write: txn.data[dataKey] }));
  const base = {
    type: 'effect' as const,
    effect: write,
    retry: 'never' as const,
    onInterrupted: 'unknown' as const,
  };
  return {
    [`${prefix}writing`]: {
      ...base,
      on: { ok: done, declined: refused, pending: `${prefix}card-waiting`, unknown: `${prefix}verifying` },
    },
    [`${prefix}card-waiting`]: {
      ...base,
      on: { ok: done, declined: refused, unknown: `${prefix}verifying` },
      delayMs: cardPolling,
      interpret: giveUpWaiting,
    },
    [`${prefix}verifying`]: {
      type: 'effect',
      effect: card(CARD_OPS.readBack, (txn) => refOf(txn, dataKey)),
      retry: 'safe',
      on: { ok: done, declined: `${prefix}card-waiting` },
      delayMs: cardPolling,
      alerts: [alertAfter('card-needed', CARD_NEEDED_ALERT_MS), afterDayCut],
    },
  };
}

/** A confirmation to HQ, repeated until HQ acknowledges it (untilHqAnswers). */
const confirmState = (op: string, done: string): EffectState => ({
  type: 'effect',
  effect: hq(op, ref),
  retry: 'safe',
  delayMs: untilHqAnswers,
  on: { ok: done },
  alerts: [alertAfter('confirmation-unacknowledged', CONFIRM_ALERT_MS), afterDayCut],
});

const states: Record<string, StateDefinition> = {
  'reading-card': {
    type: 'effect',
    effect: card(CARD_OPS.read, () => ({})),
    retry: 'safe',
    on: { ok: 'purchasing', declined: 'failed' },
    interpret: checkPurchaseCard,
  },
  purchasing: {
    type: 'effect',
    effect: hq(POWER_CARD_OPS.pay, (txn) => {
      const c = requiredCard(txn, 'card');
      return {
        fields: txn.fields,
        amount: Money.fromFen(txn.amountFen).toString(),
        card: { cardSerial: c.cardSerial, purchaseCounter: c.purchaseCounter },
      };
    }),
    retry: 'safe',
    delayMs: untilHqAnswers,
    on: { ok: 'writing', declined: 'failed', pending: 'accounting-reversing' },
    interpret: checkPurchaseWrite,
    alerts: [afterDayCut],
  },
  ...writeStates('', 'writeData', 'confirming', 'accounting-reversing'),
  confirming: confirmState(POWER_CARD_OPS.confirm, 'succeeded'),
  'accounting-reversing': {
    type: 'effect',
    effect: hq(POWER_CARD_OPS.accountingReverse, ref),
    retry: 'safe',
    delayMs: untilHqAnswers,
    on: { ok: 'accounting-reversed' },
    alerts: [alertAfter('accounting-reversal-unacknowledged', CONFIRM_ALERT_MS), afterDayCut],
  },
  succeeded: { type: 'terminal', result: 'succeeded', ledger: 'capture', receipt: true },
  failed: { type: 'terminal', result: 'failed', ledger: 'release' },
  'accounting-reversed': { type: 'terminal', result: 'failed', ledger: 'release', receipt: true },
  'reverse-reading': {
    type: 'effect',
    effect: card(CARD_OPS.read, () => ({})),
    retry: 'safe',
    on: { ok: 'reverse-requesting', declined: 'reverse-refused' },
    interpret: checkReversalCard,
  },
  'reverse-requesting': {
    type: 'effect',
    effect: hq(POWER_CARD_OPS.reverse, (txn) => {
      const c = requiredCard(txn, 'reversalCard');
      return {
        ...ref(txn),
        fields: { customerNo: txn.fields.customerNo },
        amount: Money.fromFen(txn.amountFen).toString(),
        card: { cardSerial: c.cardSerial, purchaseCounter: c.purchaseCounter },
      };
    }),
    retry: 'safe',
    delayMs: untilHqAnswers,
    on: { ok: 'reverse-writing', declined: 'reverse-refused' },
    interpret: checkReversalWrite,
  },
  ...writeStates('reverse-', 'reversalWrite', 'reverse-confirming', 'reverse-cancelling'),
  'reverse-confirming': confirmState(POWER_CARD_OPS.reverseConfirm, 'reversed'),
  'reverse-cancelling': {
    type: 'effect',
    effect: hq(POWER_CARD_OPS.reverseCancel, ref),
    retry: 'safe',
    delayMs: untilHqAnswers,
    on: { ok: 'reverse-refused' },
    alerts: [afterDayCut],
  },
  // The purchase stands (the reason is kept); the operator may ask again while the rules allow.
  'reverse-refused': { type: 'terminal', result: 'succeeded' },
  reversed: { type: 'terminal', result: 'reversed', ledger: 'reversal-credit', receipt: true },
};

const KEEP_CARD = { zh: '请勿拔卡', en: 'keep the card in the reader' };
const waitMinutes = CARD_WAIT_MS / 60_000;

/**
 * The states for people; where the customer at the screen must act (keep the card in, bring it
 * back, take it out), `customer` says so.
 */
const STATE_LABELS: Record<string, StateLabel> = {
  'reading-card': {
    zh: '读卡中',
    en: 'reading the card',
    customer: { zh: `正在读卡，${KEEP_CARD.zh}`, en: `Reading your card; ${KEEP_CARD.en}` },
  },
  purchasing: {
    zh: '向总部购电中',
    en: 'buying the units from HQ',
    customer: { zh: `正在购电，${KEEP_CARD.zh}`, en: `Buying the units; ${KEEP_CARD.en}` },
  },
  writing: {
    zh: '写卡中',
    en: 'writing the card',
    customer: { zh: '正在写卡，请勿拔卡', en: 'Writing your card; do not remove it' },
  },
  'card-waiting': {
    zh: '等待插卡写卡（电卡不在读卡器中）',
    en: 'waiting for the card to write it (not in the reader)',
    customer: {
      zh: `电卡未写入。请在 ${waitMinutes} 分钟内重新插入同一张电卡；否则本次购电撤销，款项退回`,
      en: `Nothing was written. Insert the same card again within ${waitMinutes} minutes; otherwise the purchase is undone and the money returned`,
    },
  },
  verifying: {
    zh: '核对写卡结果（须插回原卡）',
    en: 'checking the write (the card must come back)',
    customer: {
      zh: '请插回电卡，核对是否已写入；不要离开',
      en: 'Put the card back in so the kiosk can check the write; please stay',
    },
  },
  confirming: {
    zh: '写卡成功，向总部确认中（写卡确认）',
    en: 'written; confirming the write with HQ',
    customer: {
      zh: '写卡成功，可以取卡；正在向电力公司确认',
      en: 'Written to your card; you may take it. Confirming with the power company',
      mayLeave: true,
    },
  },
  'accounting-reversing': {
    zh: '账务撤销中（卡未写入）',
    en: 'accounting reversal (nothing on the card)',
    customer: {
      zh: '电卡未写入，正在撤销本次购电',
      en: 'The card was not written; the purchase is being undone',
    },
  },
  'accounting-reversed': {
    zh: '已账务撤销（卡未写入）',
    en: 'reversed in the books (nothing on the card)',
    customer: {
      zh: '电卡未写入，本次购电已撤销，电卡可以取出',
      en: 'Nothing was written to your card; the purchase was undone. You may take the card',
    },
  },
  'reverse-reading': { zh: '撤销前读卡', en: 'reading the card for the reversal' },
  'reverse-requesting': { zh: '购电撤销申请中', en: 'reversal being requested from HQ' },
  'reverse-writing': { zh: '撤销写卡中', en: 'writing the reversal to the card' },
  'reverse-card-waiting': { zh: '等待插卡写入撤销', en: 'waiting for the card to write the reversal' },
  'reverse-verifying': {
    zh: '核对撤销写卡结果（须插回原卡）',
    en: 'checking the reversal write (the card must come back)',
  },
  'reverse-confirming': { zh: '撤销确认中', en: 'confirming the reversal with HQ' },
  'reverse-cancelling': { zh: '撤销取消中（卡未写入）', en: 'cancelling the reversal (nothing on the card)' },
};

/**
 * Smart electricity meter IC card purchase (智能电卡充值). The customer's card is read first (its
 * serial and customer number become the fields), HQ is asked about the customer, then:
 *
 *   reading-card ─▶ purchasing (HQ write data) ─▶ writing ─▶ confirming (写卡确认) ─▶ succeeded
 *   write refused / card never back ─▶ accounting-reversing (账务撤销) ─▶ accounting-reversed
 *   succeeded ─reverse (购电撤销)─▶ reverse-reading ─▶ reverse-requesting ─▶ reverse-writing
 *       ─▶ reverse-confirming (撤销确认) ─▶ reversed · refused on the way ─▶ reverse-refused
 *
 * Only a purchase HQ acknowledged (`succeeded`) can be reversed, and only while the card still holds
 * its units. One open transaction per card: a new purchase waits for the last to be resolved.
 */
export const powerCard = defineService({
  id: 'power-card',
  title: { zh: '智能电卡购电', en: 'Smart meter card purchase' },
  example: { customerNo: '3301000123', cardSerial: '0123456789ABCDEF', amount: '100' },
  hints: [
    {
      zh: '电卡须插在读卡器中，写卡时不要拔卡',
      en: 'the card stays in the reader; do not remove it while it is written',
    },
  ],
  fields: z.strictObject({
    customerNo: digits(
      { min: 6, max: 20 },
      { zh: '用户号为6至20位数字', en: 'customer number must be 6 to 20 digits' },
    ),
    cardSerial: pattern(
      /^[0-9A-Fa-f]{16}$/,
      { zh: '请先读卡（卡号为16位十六进制）', en: 'read the card first (16 hex digits)' },
      (s) => s.toUpperCase(),
    ),
    amount: amount(),
  }),
  fieldMeta: {
    customerNo: { zh: '用户号', en: 'Customer number', sensitive: 'account', fromCard: 'customerNo' },
    cardSerial: { zh: '电卡卡号', en: 'Card serial', sensitive: 'card', fromCard: 'cardSerial' },
    amount: { zh: '购电金额', en: 'Amount' },
  },
  amount: (f) => Money.of(f.amount),
  requires: ['cardReader'],
  exclusiveField: 'cardSerial',
  operatorQueries: { [POWER_CARD_OPS.unconfirmed]: unconfirmedAnswer },
  inquiry: { op: POWER_CARD_OPS.query, fields: ['customerNo'], answer: powerCardAnswer },
  initial: 'reading-card',
  states,
  stateLabels: STATE_LABELS,
  actions: {
    reverse: {
      title: { zh: '购电撤销', en: 'Reverse the purchase' },
      from: ['succeeded', 'reverse-refused'],
      to: 'reverse-reading',
      guard: sameDayOnly,
      confirmFields: ['customerNo', 'amount'],
    },
    /** 购电补确认: send the write confirmation again now. */
    reconfirm: {
      title: { zh: '购电补确认', en: 'Confirm the purchase again' },
      from: ['confirming'],
      to: 'confirming',
    },
    /** 撤销补确认: send the reversal confirmation again now. */
    'reverse-reconfirm': {
      title: { zh: '撤销补确认', en: 'Confirm the reversal again' },
      from: ['reverse-confirming'],
      to: 'reverse-confirming',
    },
    /** 账务撤销 by the operator when the customer will not bring the card back; nothing was written. */
    'accounting-reverse': {
      title: { zh: '账务撤销', en: 'Accounting reversal' },
      from: ['card-waiting'],
      to: 'accounting-reversing',
    },
  },
  receipt: (txn) => {
    const w = storedWrite(txn, 'writeData');
    const after = cardAfterSchema.safeParse(txn.data.cardAfter).data;
    // Units are centi-kWh: two decimals of kWh, integers only.
    const kwh = (u: number) => `${Math.floor(u / 100)}.${String(u % 100).padStart(2, '0')} kWh`;
    return [
      ...(w ? [{ zh: '购电量', en: 'Units bought', value: kwh(w.units) }] : []),
      ...(w ? [{ zh: '购电次数', en: 'Purchase no.', value: String(w.purchaseCounter) }] : []),
      ...(after?.pendingUnits !== undefined
        ? [{ zh: '卡内待输入电量', en: 'Units on card', value: kwh(after.pendingUnits) }]
        : []),
    ];
  },
});
