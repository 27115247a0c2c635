import { z } from 'zod';
import { KioskError } from '../errors.ts';
import { Money } from '../money.ts';
import { paymentFlow } from '../transaction/flows.ts';
import type { FieldMeta, RuleContext, ServiceDefinition } from '../transaction/types.ts';
import { answerList, answerText, yuanText } from './answer-fields.ts';
import { defineService, storedAnswer } from './define-service.ts';
import { accountNumber, amount, ENTRY, mobileNumber, phoneOrLandline } from './fields.ts';
import { sameDayOnly, statusPolling } from './rules.ts';

const AMOUNT_META: FieldMeta = { zh: '缴费金额', en: 'Amount', entry: ENTRY.amount };

interface BillOptions {
  id: string;
  title: { zh: string; en: string };
  /** The account field: its key, schema and label. */
  account: { key: string; schema: z.ZodType<string>; meta: FieldMeta; example: string };
  /** The amount must cover the arrears the inquiry reports. */
  atLeastArrears: boolean;
  /** Only accounts of the kiosk's own area (city / county) may be paid. */
  ownAreaOnly?: boolean;
  /** The customer chooses one of the account's contract numbers (合同号). */
  contracts?: boolean;
}

/**
 * An account bill (代收代缴): inquiry of arrears by account, payment, same-day reversal by account +
 * serial + amount. One builder for Unicom, Telecom, electricity, water, gas and cable TV.
 */
export function billService(o: BillOptions): ServiceDefinition {
  // The account field's name varies by service; the amount (last) is every bill's.
  const shape: Record<string, z.ZodType<string>> = { [o.account.key]: o.account.schema };
  const fieldMeta: Record<string, FieldMeta> = { [o.account.key]: o.account.meta };
  if (o.contracts) {
    shape.contractNo = accountNumber('合同号', 'Contract number');
    fieldMeta.contractNo = { zh: '合同号', en: 'Contract number', entry: ENTRY.choice };
  }
  fieldMeta.amount = AMOUNT_META;
  const answer = billAnswerOf(o);
  return defineService({
    id: o.id,
    title: o.title,
    example: {
      [o.account.key]: o.account.example,
      ...(o.contracts ? { contractNo: 'HT20240001' } : {}),
      amount: '50',
    },
    hints: [
      ...(o.atLeastArrears ? [{ zh: '缴费金额不少于欠费', en: 'the amount must cover the arrears' }] : []),
      ...(o.ownAreaOnly
        ? [{ zh: '只收本地区户号的费用', en: 'only accounts of this kiosk’s own area are accepted' }]
        : []),
    ],
    fields: z.strictObject({ ...shape, amount: amount() }),
    fieldMeta,
    amount: (f) => Money.of(f.amount),
    inquiry: {
      op: 'query',
      fields: [o.account.key],
      answer,
      check: (fields, a, ctx) => billChecks(o, fields, a, ctx),
    },
    ...paymentFlow({
      queryDelayMs: statusPolling,
      reversal: { guard: sameDayOnly, queryDelayMs: statusPolling, confirmFields: [o.account.key, 'amount'] },
    }),
    receipt: (txn) => {
      // What the paid account (or, for a number with contracts, the chosen contract) owed.
      const kept = storedAnswer(answer, txn);
      const arrears = kept?.contracts
        ? kept.contracts.find((c) => c.contractNo === txn.fields.contractNo)?.arrears
        : kept?.arrears;
      return arrears !== undefined ? [{ zh: '缴费前欠费', en: 'Arrears before', value: `￥${arrears}` }] : [];
    },
  });
}

/** One contract of a number (Telecom) and what it owes, yuan. */
const contractAnswer = z.strictObject({ contractNo: answerText(30), arrears: yuanText });

/**
 * HQ's answer about an account: what is owed (yuan), the holder's name as the biller shows it, the
 * area the account belongs to (electricity) and the number's contracts (Telecom). Each bill
 * requires the parts its rules read (`billAnswerOf`).
 */
const billAnswer = z.strictObject({
  account: answerText(30).optional(),
  name: answerText(40).optional(),
  arrears: yuanText.optional(),
  area: z.enum(['city', 'county']).optional(),
  areaName: answerText(20).optional(),
  contracts: answerList(contractAnswer, 50).optional(),
});
type BillAnswer = z.output<typeof billAnswer>;

/** The answer a bill's rules need: the contracts to choose from, the area, the arrears to cover. */
function billAnswerOf(o: BillOptions): z.ZodType<BillAnswer> {
  if (o.contracts) return billAnswer.required({ contracts: true });
  if (o.ownAreaOnly) return billAnswer.required({ arrears: true, area: true, areaName: true });
  if (o.atLeastArrears) return billAnswer.required({ arrears: true });
  return billAnswer;
}

function billChecks(
  o: BillOptions,
  fields: Record<string, string>,
  answer: BillAnswer,
  ctx: RuleContext,
): KioskError[] {
  const problems: KioskError[] = [];
  if (o.ownAreaOnly) {
    // The source rule: the city does not collect for its counties, nor a county for the city, nor
    // one county for another. The biller names the account's area; only the kiosk's own is paid.
    const own = ctx.config.region;
    const { area, areaName } = answer;
    if (area !== own.areaType || areaName !== own.city) {
      const names = { city: { zh: '城区', en: 'city' }, county: { zh: '县区', en: 'county' } };
      const kind = area ? names[area] : { zh: '外地', en: 'another area' };
      const where = areaName ?? '';
      problems.push(
        new KioskError('KIOSK_E_INVALID_INPUT', {
          field: o.account.key,
          zh: `该户号属于${where}${kind.zh}，本亭（${own.city}${names[own.areaType].zh}）只能缴纳本地区电费`,
          en: `this is an account of ${where || 'another area'} (${kind.en}); the kiosk of ${own.city} (${names[own.areaType].en}) collects only for its own area`,
        }),
      );
    }
  }
  let arrearsText = answer.arrears;
  if (o.contracts) {
    const list = answer.contracts ?? [];
    const chosen = list.find((c) => c.contractNo === fields.contractNo);
    if (!chosen) {
      problems.push(
        new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'contractNo',
          zh: `合同号不属于该号码，可选：${list.map((c) => c.contractNo).join('、') || '无'}`,
          en: `not a contract of this number; choose one of: ${list.map((c) => c.contractNo).join(', ') || 'none'}`,
        }),
      );
      return problems;
    }
    arrearsText = chosen.arrears;
  }
  if (o.atLeastArrears && arrearsText !== undefined) {
    const arrears = Money.of(arrearsText);
    if (Money.of(fields.amount ?? '0').lt(arrears)) {
      problems.push(
        new KioskError('KIOSK_E_INVALID_AMOUNT', {
          field: 'amount',
          zh: `缴费金额不能低于欠费 ${arrears.toString()} 元`,
          en: `amount must be at least the arrears of ${arrears.toString()} yuan`,
        }),
      );
    }
  }
  return problems;
}

export const unicomCash = billService({
  id: 'unicom-cash',
  title: { zh: '联通现金代收', en: 'Unicom cash collection' },
  account: {
    key: 'phone',
    schema: mobileNumber(),
    example: '13012345678',
    meta: { zh: '联通号码', en: 'Unicom number', sensitive: 'phone', entry: ENTRY.mobile },
  },
  atLeastArrears: false,
});

export const telecomBill = billService({
  id: 'telecom-bill',
  title: { zh: '电信缴费', en: 'Telecom bill' },
  account: {
    key: 'number',
    schema: phoneOrLandline(),
    example: '057187654321',
    meta: {
      zh: '电信号码（固话含区号）',
      en: 'Telecom number (landline with area code)',
      sensitive: 'phone',
      entry: ENTRY.phoneOrLandline,
    },
  },
  atLeastArrears: true,
  contracts: true,
});

export const electricityBill = billService({
  id: 'electricity-bill',
  title: { zh: '电费缴费', en: 'Electricity bill' },
  account: {
    key: 'account',
    schema: accountNumber('用户号', 'Customer number'),
    example: '1234567890',
    meta: { zh: '国电用户号', en: 'Customer number', sensitive: 'account', entry: ENTRY.account },
  },
  atLeastArrears: true,
  ownAreaOnly: true,
});

export const waterBill = billService({
  id: 'water-bill',
  title: { zh: '水费', en: 'Water bill' },
  account: {
    key: 'account',
    schema: accountNumber('用户号', 'Account'),
    example: 'W1234567',
    meta: { zh: '水费户号', en: 'Water account', sensitive: 'account', entry: ENTRY.account },
  },
  atLeastArrears: false,
});

export const gasBill = billService({
  id: 'gas-bill',
  title: { zh: '燃气费', en: 'Gas bill' },
  account: {
    key: 'account',
    schema: accountNumber('用户号', 'Account'),
    example: 'G1234567',
    meta: { zh: '燃气户号', en: 'Gas account', sensitive: 'account', entry: ENTRY.account },
  },
  atLeastArrears: false,
});

export const cableTv = billService({
  id: 'cable-tv',
  title: { zh: '有线电视', en: 'Cable TV' },
  account: {
    key: 'account',
    schema: accountNumber('用户号', 'Account'),
    example: 'C1234567',
    meta: { zh: '有线电视用户号', en: 'Cable TV account', sensitive: 'account', entry: ENTRY.account },
  },
  atLeastArrears: false,
});
