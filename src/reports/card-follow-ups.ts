import { z } from 'zod';
import type { TxnRecord } from '../core/transaction/types.ts';
import type { Bilingual } from './state-labels.ts';

/**
 * The smart electricity card purchases (`power-card`) that are not final, as the operator's
 * unconfirmed list (未确认交易查询) shows them: what each waits for and which operator action, if
 * any, applies. The kiosk retries every confirmation by itself; the actions only make it happen now
 * (补确认) or give back a purchase whose card will not come back (账务撤销).
 */
export const cardFollowUpSchema = z.strictObject({
  serial: z.string(),
  businessDate: z.string().regex(/^\d{8}$/),
  state: z.string(),
  kind: z.enum(['purchase', 'reversal']),
  /** What the transaction waits for, in Chinese and English. */
  awaiting: z.strictObject({ zh: z.string(), en: z.string() }),
  /** The action that applies now, or null when only the kiosk (or the customer's card) can act. */
  action: z.enum(['reconfirm', 'reverse-reconfirm', 'accounting-reverse']).nullable(),
});

export type CardFollowUp = z.output<typeof cardFollowUpSchema>;

const AWAITING: Record<string, Omit<CardFollowUp, 'serial' | 'businessDate' | 'state'>> = {
  confirming: {
    kind: 'purchase',
    awaiting: { zh: '写卡确认未获总部应答（购电补确认）', en: 'write confirmation not acknowledged by HQ' },
    action: 'reconfirm',
  },
  'reverse-confirming': {
    kind: 'reversal',
    awaiting: {
      zh: '撤销确认未获总部应答（撤销补确认）',
      en: 'reversal confirmation not acknowledged by HQ',
    },
    action: 'reverse-reconfirm',
  },
  'card-waiting': {
    kind: 'purchase',
    awaiting: {
      zh: '未写卡，等待插回电卡（可账务撤销）',
      en: 'not written; waiting for the card (accounting reversal possible)',
    },
    action: 'accounting-reverse',
  },
  verifying: {
    kind: 'purchase',
    awaiting: {
      zh: '写卡结果未知，须客户插回电卡核对',
      en: 'write outcome unknown; the customer must bring the card back',
    },
    action: null,
  },
  'reverse-verifying': {
    kind: 'reversal',
    awaiting: {
      zh: '撤销写卡结果未知，须客户插回电卡核对',
      en: 'reversal write outcome unknown; the customer must bring the card back',
    },
    action: null,
  },
  'accounting-reversing': {
    kind: 'purchase',
    awaiting: {
      zh: '账务撤销未获总部应答（自动重发）',
      en: 'accounting reversal not acknowledged by HQ (resent by itself)',
    },
    action: null,
  },
};

const IN_PROGRESS: Bilingual = { zh: '处理中', en: 'in progress' };

/** The open power-card transactions among `txns`, optionally of one customer and business date. */
export function cardFollowUps(
  txns: readonly TxnRecord[],
  filter: { customerNo?: string | undefined; date?: string | undefined } = {},
): Array<{ txn: TxnRecord; followUp: CardFollowUp }> {
  return txns
    .filter(
      (t) =>
        t.service === 'power-card' &&
        !t.terminal &&
        (!filter.customerNo || t.fields.customerNo === filter.customerNo) &&
        (!filter.date || t.businessDate === filter.date),
    )
    .map((txn) => ({
      txn,
      followUp: {
        serial: txn.serial,
        businessDate: txn.businessDate,
        state: txn.state,
        ...(AWAITING[txn.state] ?? {
          kind: txn.state.startsWith('reverse-') ? ('reversal' as const) : ('purchase' as const),
          awaiting: IN_PROGRESS,
          action: null,
        }),
      },
    }));
}
