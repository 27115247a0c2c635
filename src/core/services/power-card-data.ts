import { z } from 'zod';
import { type CardWrite, cardWriteSchema, U32_MAX } from '../card-write.ts';
import { KioskError } from '../errors.ts';
import type { TxnRecord } from '../transaction/types.ts';

/**
 * What a smart electricity card purchase keeps in its transaction's `data`, one schema each: the
 * card as read before the purchase (`card`) and before its reversal (`reversalCard`), HQ's write
 * data as checked (`writeData`, `reversalWrite`) and the card after a write (`cardAfter`). The
 * purchase's rules and effects read them only through these schemas. Units are centi-kWh.
 */

const hex8 = z.string().regex(/^[0-9A-Fa-f]{16}$/);
const u32 = z.int().min(0).max(U32_MAX);

/**
 * The card as the reader's `card-read` effect reports it (src/app/card-effects.ts `cardView`).
 * Other facts a read carries (the units written in total) are not the rules' and are dropped.
 */
export const cardStateSchema = z.object({
  cardSerial: hex8,
  customerNo: z.string().regex(/^\d{1,20}$/),
  purchaseCounter: u32,
  /** Units on the card not yet loaded into the meter. */
  pendingUnits: u32,
  /** The last write on the card (a purchase, or a reversal of one), or null if none was. */
  lastPurchase: z.object({ txnRef: hex8, units: u32, kind: z.enum(['purchase', 'reversal']) }).nullable(),
});
export type CardState = z.output<typeof cardStateSchema>;

/** What the receipt shows of the card after the write (a read-back that is not one shows nothing). */
export const cardAfterSchema = cardStateSchema.pick({ pendingUnits: true, purchaseCounter: true }).partial();

/** The card in an effect's data (`card` of a read), or undefined when it is not a card. */
export function cardIn(data: Readonly<Record<string, unknown>> | undefined): CardState | undefined {
  return cardStateSchema.safeParse(data?.card).data;
}

/** Where a transaction keeps a card read. */
export type CardKey = 'card' | 'reversalCard';
/** Where a transaction keeps HQ's checked write data. */
export type WriteKey = 'writeData' | 'reversalWrite';

/** The write data a transaction keeps under `key`, or undefined when it has none (yet). */
export function storedWrite(txn: TxnRecord, key: WriteKey): CardWrite | undefined {
  return cardWriteSchema.safeParse(txn.data[key]).data;
}

/**
 * The card read or the write data a transaction must hold by the state it is in, as a request
 * needs it. Its absence is a broken record, never sent on as a guess: refused as an internal
 * error naming `data.<key>` (the request is not sent; the transaction stays open with its hold).
 */
export function requiredCard(txn: TxnRecord, key: CardKey): CardState {
  return required(txn, key, cardStateSchema.safeParse(txn.data[key]).data);
}

export function requiredWrite(txn: TxnRecord, key: WriteKey): CardWrite {
  return required(txn, key, storedWrite(txn, key));
}

function required<T>(txn: TxnRecord, key: string, value: T | undefined): T {
  if (value !== undefined) return value;
  throw new KioskError('KIOSK_E_INTERNAL', {
    field: `data.${key}`,
    zh: `流水 ${txn.serial} 缺少有效的 data.${key}，请求未发送`,
    en: `transaction ${txn.serial} holds no valid data.${key}; the request was not sent`,
  });
}
