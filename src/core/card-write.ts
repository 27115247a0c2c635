import { z } from 'zod';

/**
 * The card write data (写卡数据) HQ issues for the smart electricity card, format v1
 * (docs/electricity-card.md): its shape only. Encoding, MACs and keys are in
 * devices/card-reader/electricity-card-format.ts, which re-exports these. Units are centi-kWh,
 * money fen, both unsigned 32-bit integers on the card.
 */

/** Largest number of centi-kWh the card holds in its pending purchase register (999 999.99 kWh). */
export const MAX_PENDING_UNITS = 99_999_999;
export const U32_MAX = 0xffff_ffff;

const hex8 = z.string().regex(/^[0-9A-Fa-f]{16}$/, 'must be 8 bytes of hex');
const u32 = z.int().min(0).max(U32_MAX);

/**
 * Write data for one purchase as HQ sends it (the card write data, 写卡数据). The kiosk never
 * computes the MAC: HQ does, with a key derived from the issuer master key and the card serial,
 * and the card checks it.
 */
export const purchaseWriteSchema = z.strictObject({
  cardSerial: hex8,
  customerNo: z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits'),
  /** The card's purchase counter after this write (current counter + 1). */
  purchaseCounter: z.int().min(1).max(U32_MAX),
  amountFen: u32,
  /** Units credited, centi-kWh. */
  units: z.int().min(1).max(MAX_PENDING_UNITS),
  txnRef: hex8,
  mac: hex8,
});
export type PurchaseWrite = z.output<typeof purchaseWriteSchema>;

/**
 * Write data for a purchase reversal (购电撤销): takes `units` back off the card's pending units,
 * which the card allows only while the purchase `originalTxnRef` is its last write and its units
 * have not been loaded into the meter. `txnRef` is the reversal's own reference.
 */
export const reversalWriteSchema = z.strictObject({
  cardSerial: hex8,
  customerNo: z.string().regex(/^\d{1,20}$/, 'must be 1–20 digits'),
  purchaseCounter: z.int().min(1).max(U32_MAX),
  amountFen: u32,
  units: z.int().min(1).max(MAX_PENDING_UNITS),
  txnRef: hex8,
  originalTxnRef: hex8,
  mac: hex8,
});
export type ReversalWrite = z.output<typeof reversalWriteSchema>;

/** Either kind of card write data, tagged as HQ sends it to the kiosk. */
export const cardWriteSchema = z.discriminatedUnion('kind', [
  purchaseWriteSchema.extend({ kind: z.literal('purchase') }),
  reversalWriteSchema.extend({ kind: z.literal('reversal') }),
]);
export type CardWrite = z.output<typeof cardWriteSchema>;
