import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PurchaseWrite, ReversalWrite } from '../../src/core/card-write.ts';
import { fromHex, toHex } from './apdu.ts';

/**
 * The project's electricity-card format, version 1 (see docs/electricity-card.md). Pure encoding
 * and decoding of the card files and the purchase block; shared by the kiosk application, the
 * virtual card and HQ's write-data generator. A utility's real format replaces this module and
 * electricity-card.ts together.
 *
 * Units are centi-kWh (1 = 0.01 kWh) and money is fen, both unsigned 32-bit integers on the card.
 */

/** AID of the application: proprietary RID F0 + "KIOSKELEC". */
export const ELECTRICITY_AID = Uint8Array.from(Buffer.from('F04B494F534B454C4543', 'hex'));
export const FORMAT_VERSION = 0x01;

export const SFI_ID = 1;
export const SFI_PURCHASE = 2;
export const SFI_RETURN = 3;
export const ID_FILE_LEN = 32;
export const PURCHASE_FILE_LEN = 32;
export const RETURN_FILE_LEN = 16;
export const PURCHASE_BLOCK_LEN = 57;
export const REVERSAL_BLOCK_LEN = 65;

/** INS of the proprietary PURCHASE command (CLA 80). */
export const INS_PURCHASE = 0xd0;
/** INS of the proprietary REVERSE command (CLA 80): takes back the units of the last purchase. */
export const INS_REVERSE = 0xd4;
export const CLA_PROPRIETARY = 0x80;

export {
  type CardWrite,
  cardWriteSchema,
  MAX_PENDING_UNITS,
  type PurchaseWrite,
  purchaseWriteSchema,
  type ReversalWrite,
  reversalWriteSchema,
  U32_MAX,
} from '../../src/core/card-write.ts';

const CUSTOMER_NO_LEN = 20;

export interface IdFile {
  version: number;
  /** 8-byte card serial, uppercase hex. */
  cardSerial: string;
  /** Utility customer number (用户号), 1–20 digits. */
  customerNo: string;
  /** 0x01 = user card. */
  cardType: number;
}

export interface PurchaseFile {
  /** Number of purchases written to this card so far. */
  purchaseCounter: number;
  /** Units bought but not yet loaded into the meter, centi-kWh. */
  pendingUnits: number;
  lastAmountFen: number;
  lastUnits: number;
  /** HQ reference of the last purchase written, 8 bytes uppercase hex; zeros when none. */
  lastTxnRef: string;
  /** Units ever written to this card, centi-kWh (wraps at 2^32); a reversal takes its units off. */
  totalUnits: number;
  /** What the last write was: a purchase, or the reversal of the purchase before it (byte 28). */
  lastKind: 'purchase' | 'reversal';
}

export interface ReturnFile {
  /** Units left in the meter when the card was last in it, centi-kWh. */
  meterRemainingUnits: number;
  /** Purchase counter the meter has loaded up to. */
  meterPurchaseCounter: number;
  /** Date of that write-back as YYYYMMDD, or null if the card was never in a meter. */
  returnDate: string | null;
  /** Meter status flags (bit 0: meter reported low credit, bit 1: meter tamper flag). */
  meterFlags: number;
}

function u32be(b: Uint8Array, off: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, false);
}

function putU32(b: Uint8Array, off: number, v: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(off, v, false);
}

function encodeCustomerNo(no: string): Uint8Array {
  const out = new Uint8Array(CUSTOMER_NO_LEN);
  out.set(Buffer.from(no, 'ascii'));
  return out;
}

function decodeCustomerNo(b: Uint8Array): string {
  const end = b.indexOf(0);
  return Buffer.from(end < 0 ? b : b.subarray(0, end)).toString('ascii');
}

export class CardFormatError extends Error {
  override name = 'CardFormatError';
}

function need(b: Uint8Array, len: number, what: string): void {
  if (b.length !== len) throw new CardFormatError(`${what}: expected ${len} bytes, got ${b.length}`);
}

export function encodeIdFile(f: IdFile): Uint8Array {
  const b = new Uint8Array(ID_FILE_LEN);
  b[0] = f.version;
  b.set(fromHex(f.cardSerial), 1);
  b.set(encodeCustomerNo(f.customerNo), 9);
  b[29] = f.cardType;
  return b;
}

export function decodeIdFile(b: Uint8Array): IdFile {
  need(b, ID_FILE_LEN, 'ID file');
  const customerNo = decodeCustomerNo(b.subarray(9, 29));
  if (!/^\d{1,20}$/.test(customerNo))
    throw new CardFormatError('ID file: customer number is not 1–20 digits');
  return { version: b[0]!, cardSerial: toHex(b.subarray(1, 9)), customerNo, cardType: b[29]! };
}

export function encodePurchaseFile(f: PurchaseFile): Uint8Array {
  const b = new Uint8Array(PURCHASE_FILE_LEN);
  putU32(b, 0, f.purchaseCounter);
  putU32(b, 4, f.pendingUnits);
  putU32(b, 8, f.lastAmountFen);
  putU32(b, 12, f.lastUnits);
  b.set(fromHex(f.lastTxnRef), 16);
  putU32(b, 24, f.totalUnits);
  b[28] = f.lastKind === 'reversal' ? LAST_KIND_REVERSAL : LAST_KIND_PURCHASE;
  return b;
}

export function decodePurchaseFile(b: Uint8Array): PurchaseFile {
  need(b, PURCHASE_FILE_LEN, 'purchase file');
  return {
    purchaseCounter: u32be(b, 0),
    pendingUnits: u32be(b, 4),
    lastAmountFen: u32be(b, 8),
    lastUnits: u32be(b, 12),
    lastTxnRef: toHex(b.subarray(16, 24)),
    totalUnits: u32be(b, 24),
    lastKind: b[28] === LAST_KIND_REVERSAL ? 'reversal' : 'purchase',
  };
}

const LAST_KIND_PURCHASE = 0x01;
const LAST_KIND_REVERSAL = 0x02;

export function encodeReturnFile(f: ReturnFile): Uint8Array {
  const b = new Uint8Array(RETURN_FILE_LEN);
  putU32(b, 0, f.meterRemainingUnits);
  putU32(b, 4, f.meterPurchaseCounter);
  if (f.returnDate !== null) b.set(fromHex(f.returnDate), 8);
  b[12] = (f.meterFlags >> 8) & 0xff;
  b[13] = f.meterFlags & 0xff;
  return b;
}

export function decodeReturnFile(b: Uint8Array): ReturnFile {
  need(b, RETURN_FILE_LEN, 'return file');
  const date = toHex(b.subarray(8, 12));
  return {
    meterRemainingUnits: u32be(b, 0),
    meterPurchaseCounter: u32be(b, 4),
    returnDate: date === '00000000' ? null : date,
    meterFlags: (b[12]! << 8) | b[13]!,
  };
}

/** The purchase block without its MAC: the bytes the MAC is computed over. */
function purchaseBody(w: Omit<PurchaseWrite, 'mac'>): Uint8Array {
  const b = new Uint8Array(PURCHASE_BLOCK_LEN - 8);
  b[0] = FORMAT_VERSION;
  b.set(fromHex(w.cardSerial), 1);
  b.set(encodeCustomerNo(w.customerNo), 9);
  putU32(b, 29, w.purchaseCounter);
  putU32(b, 33, w.amountFen);
  putU32(b, 37, w.units);
  b.set(fromHex(w.txnRef), 41);
  return b;
}

export function encodePurchaseBlock(w: PurchaseWrite): Uint8Array {
  const b = new Uint8Array(PURCHASE_BLOCK_LEN);
  b.set(purchaseBody(w), 0);
  b.set(fromHex(w.mac), PURCHASE_BLOCK_LEN - 8);
  return b;
}

export function decodePurchaseBlock(b: Uint8Array): PurchaseWrite & { version: number } {
  need(b, PURCHASE_BLOCK_LEN, 'purchase block');
  return {
    version: b[0]!,
    cardSerial: toHex(b.subarray(1, 9)),
    customerNo: decodeCustomerNo(b.subarray(9, 29)),
    purchaseCounter: u32be(b, 29),
    amountFen: u32be(b, 33),
    units: u32be(b, 37),
    txnRef: toHex(b.subarray(41, 49)),
    mac: toHex(b.subarray(49, 57)),
  };
}

/** Card key = first 16 bytes of HMAC-SHA256(issuer master key, "KIOSK-ELEC-CARD" ‖ card serial). */
export function deriveCardKey(masterKey: Uint8Array, cardSerial: string): Uint8Array {
  const h = createHmac('sha256', masterKey);
  h.update(Buffer.from('KIOSK-ELEC-CARD', 'ascii'));
  h.update(fromHex(cardSerial));
  return Uint8Array.from(h.digest().subarray(0, 16));
}

/** MAC = first 8 bytes of HMAC-SHA256(card key, purchase block bytes 0..48). Computed by HQ. */
export function computePurchaseMac(cardKey: Uint8Array, w: Omit<PurchaseWrite, 'mac'>): string {
  const mac = createHmac('sha256', cardKey).update(purchaseBody(w)).digest().subarray(0, 8);
  return toHex(mac);
}

/** Card-side MAC check over a received purchase block. */
export function verifyPurchaseMac(cardKey: Uint8Array, block: Uint8Array): boolean {
  need(block, PURCHASE_BLOCK_LEN, 'purchase block');
  const expected = createHmac('sha256', cardKey)
    .update(block.subarray(0, PURCHASE_BLOCK_LEN - 8))
    .digest()
    .subarray(0, 8);
  return timingSafeEqual(expected, block.subarray(PURCHASE_BLOCK_LEN - 8));
}

/** HQ side: completes write data with its MAC, from the issuer master key. */
export function signPurchaseWrite(masterKey: Uint8Array, w: Omit<PurchaseWrite, 'mac'>): PurchaseWrite {
  const norm = { ...w, cardSerial: w.cardSerial.toUpperCase(), txnRef: w.txnRef.toUpperCase() };
  return { ...norm, mac: computePurchaseMac(deriveCardKey(masterKey, norm.cardSerial), norm) };
}

/** Domain tag of the reversal MAC, so a reversal MAC can never pass as a purchase MAC. */
const REVERSAL_TAG = Buffer.from('REV', 'ascii');

function reversalBody(w: Omit<ReversalWrite, 'mac'>): Uint8Array {
  const b = new Uint8Array(REVERSAL_BLOCK_LEN - 8);
  b.set(purchaseBody(w), 0);
  b.set(fromHex(w.originalTxnRef), 49);
  return b;
}

export function encodeReversalBlock(w: ReversalWrite): Uint8Array {
  const b = new Uint8Array(REVERSAL_BLOCK_LEN);
  b.set(reversalBody(w), 0);
  b.set(fromHex(w.mac), REVERSAL_BLOCK_LEN - 8);
  return b;
}

export function decodeReversalBlock(b: Uint8Array): ReversalWrite & { version: number } {
  need(b, REVERSAL_BLOCK_LEN, 'reversal block');
  return {
    ...decodePurchaseBlock(b.subarray(0, PURCHASE_BLOCK_LEN)),
    originalTxnRef: toHex(b.subarray(49, 57)),
    mac: toHex(b.subarray(57, 65)),
  };
}

/** MAC = first 8 bytes of HMAC-SHA256(card key, "REV" ‖ reversal block bytes 0..56). Computed by HQ. */
export function computeReversalMac(cardKey: Uint8Array, w: Omit<ReversalWrite, 'mac'>): string {
  const h = createHmac('sha256', cardKey).update(REVERSAL_TAG).update(reversalBody(w));
  return toHex(h.digest().subarray(0, 8));
}

/** Card-side MAC check over a received reversal block. */
export function verifyReversalMac(cardKey: Uint8Array, block: Uint8Array): boolean {
  need(block, REVERSAL_BLOCK_LEN, 'reversal block');
  const expected = createHmac('sha256', cardKey)
    .update(REVERSAL_TAG)
    .update(block.subarray(0, REVERSAL_BLOCK_LEN - 8))
    .digest()
    .subarray(0, 8);
  return timingSafeEqual(expected, block.subarray(REVERSAL_BLOCK_LEN - 8));
}

/** HQ side: completes reversal write data with its MAC, from the issuer master key. */
export function signReversalWrite(masterKey: Uint8Array, w: Omit<ReversalWrite, 'mac'>): ReversalWrite {
  const norm = {
    ...w,
    cardSerial: w.cardSerial.toUpperCase(),
    txnRef: w.txnRef.toUpperCase(),
    originalTxnRef: w.originalTxnRef.toUpperCase(),
  };
  return { ...norm, mac: computeReversalMac(deriveCardKey(masterKey, norm.cardSerial), norm) };
}
