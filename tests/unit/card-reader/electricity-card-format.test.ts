import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../devices/card-reader/apdu.ts';
import {
  CardFormatError,
  computePurchaseMac,
  decodeIdFile,
  decodePurchaseBlock,
  decodePurchaseFile,
  decodeReturnFile,
  deriveCardKey,
  encodeIdFile,
  encodePurchaseBlock,
  encodePurchaseFile,
  encodeReturnFile,
  purchaseWriteSchema,
  signPurchaseWrite,
  verifyPurchaseMac,
} from '../../../devices/card-reader/electricity-card-format.ts';

const MASTER = fromHex('000102030405060708090A0B0C0D0E0F');

describe('electricity card format v1', () => {
  it('freezes the purchase block layout and MAC (golden bytes)', () => {
    const w = signPurchaseWrite(MASTER, {
      cardSerial: '1122334455667788',
      customerNo: '3301000123',
      purchaseCounter: 7,
      amountFen: 10_000,
      units: 18_518,
      txnRef: 'a1a2a3a4a5a6a7a8',
    });
    expect(w.txnRef).toBe('A1A2A3A4A5A6A7A8');
    const block = toHex(encodePurchaseBlock(w));
    expect(block.slice(0, 98)).toBe(
      '01' +
        '1122334455667788' +
        Buffer.from('3301000123').toString('hex').toUpperCase() +
        '00'.repeat(10) +
        '00000007' +
        '00002710' +
        '00004856' +
        'A1A2A3A4A5A6A7A8',
    );
    expect(block.slice(98)).toBe(w.mac);
    expect(w.mac).toBe(computePurchaseMac(deriveCardKey(MASTER, '1122334455667788'), w));
    expect(w.mac).toBe('19DD096444EBFD8F');
    expect(decodePurchaseBlock(fromHex(block))).toEqual({ version: 1, ...w });
  });

  it('the card key is per card and the MAC covers every field', () => {
    const base = {
      cardSerial: '1122334455667788',
      customerNo: '1',
      purchaseCounter: 1,
      amountFen: 1,
      units: 1,
      txnRef: '0000000000000001',
    };
    const key = deriveCardKey(MASTER, base.cardSerial);
    expect(toHex(key)).not.toBe(toHex(deriveCardKey(MASTER, '1122334455667789')));
    const block = encodePurchaseBlock(signPurchaseWrite(MASTER, base));
    expect(verifyPurchaseMac(key, block)).toBe(true);
    for (const i of [0, 1, 9, 29, 33, 37, 41, 56]) {
      const bad = Uint8Array.from(block);
      bad[i] = bad[i]! ^ 0x01;
      expect(verifyPurchaseMac(key, bad), `byte ${i}`).toBe(false);
    }
  });

  it('round-trips the card files', () => {
    const id = {
      version: 1,
      cardSerial: 'A1B2C3D4E5F60718',
      customerNo: '12345678901234567890',
      cardType: 1,
    };
    expect(decodeIdFile(encodeIdFile(id))).toEqual(id);
    const p = {
      purchaseCounter: 3,
      pendingUnits: 99_999_999,
      lastAmountFen: 4_294_967_295,
      lastUnits: 1,
      lastTxnRef: 'FFEEDDCCBBAA9988',
      totalUnits: 5,
      lastKind: 'reversal' as const,
    };
    expect(decodePurchaseFile(encodePurchaseFile(p))).toEqual(p);
    const r = { meterRemainingUnits: 1234, meterPurchaseCounter: 2, returnDate: '20260315', meterFlags: 3 };
    expect(decodeReturnFile(encodeReturnFile(r))).toEqual(r);
    expect(decodeReturnFile(new Uint8Array(16)).returnDate).toBeNull();
  });

  it('rejects malformed files', () => {
    expect(() => decodeIdFile(new Uint8Array(31))).toThrow(CardFormatError);
    expect(() => decodeIdFile(new Uint8Array(32))).toThrow(/customer number/);
    expect(() => decodePurchaseFile(new Uint8Array(33))).toThrow(CardFormatError);
  });

  it('validates HQ write data', () => {
    const ok = {
      cardSerial: '1122334455667788',
      customerNo: '42',
      purchaseCounter: 1,
      amountFen: 100,
      units: 50,
      txnRef: '0000000000000001',
      mac: '0011223344556677',
    };
    expect(purchaseWriteSchema.safeParse(ok).success).toBe(true);
    expect(purchaseWriteSchema.safeParse({ ...ok, units: 1.5 }).success).toBe(false);
    expect(purchaseWriteSchema.safeParse({ ...ok, units: 0 }).success).toBe(false);
    expect(purchaseWriteSchema.safeParse({ ...ok, customerNo: '12a' }).success).toBe(false);
    expect(purchaseWriteSchema.safeParse({ ...ok, mac: '00' }).success).toBe(false);
    expect(purchaseWriteSchema.safeParse({ ...ok, extra: 1 }).success).toBe(false);
  });
});
