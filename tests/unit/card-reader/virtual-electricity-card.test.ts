import { describe, expect, it } from 'vitest';
import {
  encodeCommand,
  fromHex,
  parseResponse,
  readBinarySfi,
  selectAid,
  toHex,
} from '../../../devices/card-reader/apdu.ts';
import {
  decodePurchaseFile,
  ELECTRICITY_AID,
  encodePurchaseBlock,
  type PurchaseWrite,
  signPurchaseWrite,
} from '../../../devices/card-reader/electricity-card-format.ts';
import {
  buildAtr,
  type CardReply,
  VirtualElectricityCard,
  VirtualForeignCard,
} from '../../../devices/card-reader/virtual-electricity-card.ts';

const MASTER = fromHex('0F0E0D0C0B0A09080706050403020100');

function issue() {
  return new VirtualElectricityCard({
    cardSerial: 'c0ffee0000000001',
    customerNo: '5100000001',
    masterKey: MASTER,
  });
}

function sw(r: CardReply): string {
  if (r.kind !== 'reply') return 'torn';
  return toHex(r.rapdu).slice(-4);
}

function purchase(card: VirtualElectricityCard, w: PurchaseWrite): CardReply {
  return card.process(
    encodeCommand({ cla: 0x80, ins: 0xd0, p1: 0, p2: 0, data: encodePurchaseBlock(w), le: 8 }),
  );
}

const write = (over: Partial<Omit<PurchaseWrite, 'mac'>> = {}) =>
  signPurchaseWrite(MASTER, {
    cardSerial: 'C0FFEE0000000001',
    customerNo: '5100000001',
    purchaseCounter: 1,
    amountFen: 5000,
    units: 9259,
    txnRef: '0102030405060708',
    ...over,
  });

describe('virtual electricity card', () => {
  it('has a well-formed ATR (TCK over T0..historical bytes)', () => {
    const atr = buildAtr('KIOSKEL1');
    expect(atr[0]).toBe(0x3b);
    expect(atr.subarray(1).reduce((a, b) => a ^ b, 0)).toBe(0);
    expect(Buffer.from(atr.subarray(4, 12)).toString()).toBe('KIOSKEL1');
  });

  it('needs the application selected; wrong AIDs are 6A82', () => {
    const c = issue();
    expect(sw(c.process(encodeCommand(readBinarySfi(1, 0, 32))))).toBe('6985');
    expect(sw(c.process(encodeCommand(selectAid(fromHex('A000000003000000')))))).toBe('6A82');
    expect(sw(c.process(encodeCommand(selectAid(ELECTRICITY_AID))))).toBe('9000');
    expect(sw(c.process(encodeCommand(readBinarySfi(9, 0, 4))))).toBe('6A82');
    expect(sw(c.process(encodeCommand(readBinarySfi(1, 40, 4))))).toBe('6B00');
    c.reset();
    expect(sw(c.process(encodeCommand(readBinarySfi(1, 0, 32))))).toBe('6985');
  });

  it('reads partial files by offset and length', () => {
    const c = issue();
    c.process(encodeCommand(selectAid(ELECTRICITY_AID)));
    const r = c.process(encodeCommand(readBinarySfi(1, 1, 8)));
    expect(r.kind === 'reply' && toHex(parseResponse(r.rapdu).data)).toBe('C0FFEE0000000001');
  });

  it('applies a valid purchase and refuses everything else without changing', () => {
    const c = issue();
    c.process(encodeCommand(selectAid(ELECTRICITY_AID)));
    expect(sw(purchase(c, { ...write(), mac: '0000000000000000' }))).toBe('6982');
    expect(sw(purchase(c, write({ customerNo: '5100000002' })))).toBe('6A80');
    expect(sw(purchase(c, write({ cardSerial: 'C0FFEE0000000002' })))).toBe('6A80');
    expect(sw(purchase(c, write({ purchaseCounter: 2 })))).toBe('6985');
    expect(sw(purchase(c, write({ units: 99_999_999 + 1 })))).toBe('6A84');
    expect(sw(c.process(fromHex('80D0000003010203')))).toBe('6700');
    expect(c.commits).toBe(0);
    const ok = purchase(c, write());
    expect(sw(ok)).toBe('9000');
    expect(ok.kind === 'reply' && toHex(ok.rapdu)).toBe('00000001' + '0000242B' + '9000');
    expect(sw(purchase(c, write()))).toBe('6985');
    const file = c.process(encodeCommand(readBinarySfi(2, 0, 32)));
    expect(file.kind === 'reply' && decodePurchaseFile(parseResponse(file.rapdu).data)).toMatchObject({
      purchaseCounter: 1,
      pendingUnits: 9259,
      lastAmountFen: 5000,
      lastTxnRef: '0102030405060708',
    });
  });

  it('fault switches: write error, torn before/after commit, slow answers', () => {
    const c = issue();
    c.process(encodeCommand(selectAid(ELECTRICITY_AID)));
    c.failNextWrites(1);
    expect(sw(purchase(c, write()))).toBe('6581');
    expect(c.purchase.purchaseCounter).toBe(0);
    c.tearNextWrite('before-commit');
    expect(purchase(c, write())).toEqual({ kind: 'torn' });
    expect(c.purchase.purchaseCounter).toBe(0);
    c.tearNextWrite('after-commit');
    expect(purchase(c, write())).toEqual({ kind: 'torn' });
    expect(c.purchase.purchaseCounter).toBe(1);
    c.slowMs = 700;
    expect(c.process(encodeCommand(selectAid(ELECTRICITY_AID)))).toMatchObject({
      kind: 'reply',
      delayMs: 700,
    });
  });

  it('the meter takes pending units and writes back what it holds', () => {
    const c = issue();
    c.process(encodeCommand(selectAid(ELECTRICITY_AID)));
    purchase(c, write());
    c.loadIntoMeter(1_000, '20260401');
    expect(c.purchase.pendingUnits).toBe(0);
    expect(c.meterReturn).toEqual({
      meterRemainingUnits: 10_259,
      meterPurchaseCounter: 1,
      returnDate: '20260401',
      meterFlags: 0,
    });
  });

  it('a foreign card has no electricity application', () => {
    const f = new VirtualForeignCard();
    expect(sw(f.process(encodeCommand(selectAid(ELECTRICITY_AID))))).toBe('6A82');
    expect(sw(f.process(encodeCommand(readBinarySfi(1, 0, 1))))).toBe('6D00');
  });
});
