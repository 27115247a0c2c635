import { beforeEach, describe, expect, it } from 'vitest';
import { fromHex } from '../../../devices/card-reader/apdu.ts';
import { CardWriteError, ElectricityCardApp } from '../../../devices/card-reader/electricity-card.ts';
import {
  computePurchaseMac,
  decodeReversalBlock,
  deriveCardKey,
  encodeReversalBlock,
  signPurchaseWrite,
  signReversalWrite,
  verifyPurchaseMac,
  verifyReversalMac,
} from '../../../devices/card-reader/electricity-card-format.ts';
import { SimCardReader } from '../../../devices/card-reader/sim-card-reader.ts';
import { VirtualElectricityCard } from '../../../devices/card-reader/virtual-electricity-card.ts';
import { ManualClock } from '../../../src/core/clock.ts';

const MASTER = fromHex('000102030405060708090A0B0C0D0E0F');
const noop = async () => {};
const SERIAL = 'FEEDFACE00000002';
const CUSTOMER = '7700000002';

const buy = (counter: number, ref: string, units = 1000) =>
  signPurchaseWrite(MASTER, {
    cardSerial: SERIAL,
    customerNo: CUSTOMER,
    purchaseCounter: counter,
    amountFen: 538,
    units,
    txnRef: ref,
  });
const undo = (counter: number, original: string, ref = 'BB00000000000001', units = 1000) =>
  signReversalWrite(MASTER, {
    cardSerial: SERIAL,
    customerNo: CUSTOMER,
    purchaseCounter: counter,
    amountFen: 538,
    units,
    txnRef: ref,
    originalTxnRef: original,
  });

let reader: SimCardReader;
let app: ElectricityCardApp;
let card: VirtualElectricityCard;
beforeEach(async () => {
  reader = new SimCardReader({ transmitTimeoutMs: 1000 }, { clock: new ManualClock(0) });
  await reader.start();
  app = new ElectricityCardApp(reader);
  card = new VirtualElectricityCard({ cardSerial: SERIAL, customerNo: CUSTOMER, masterKey: MASTER });
  reader.insertCard(card);
});

describe('reversal write data (购电撤销写卡数据)', () => {
  it('round-trips the 65-byte block and its MAC cannot pass as a purchase MAC', () => {
    const w = undo(2, 'AA00000000000001');
    const block = encodeReversalBlock(w);
    expect(block).toHaveLength(65);
    const { version, ...decoded } = decodeReversalBlock(block);
    expect(version).toBe(1);
    expect(decoded).toEqual(w);
    const key = deriveCardKey(MASTER, SERIAL);
    expect(verifyReversalMac(key, block)).toBe(true);
    expect(verifyPurchaseMac(key, block.subarray(0, 57))).toBe(false);
    const { mac: _m, originalTxnRef: _o, ...asPurchase } = w;
    expect(computePurchaseMac(key, asPurchase)).not.toBe(w.mac);
  });

  it('the card takes back the units of its last purchase and the app verifies the read-back', async () => {
    await app.writePurchase(buy(1, 'AA00000000000001'), { beforeWrite: noop });
    const res = await app.writeReversal(undo(2, 'AA00000000000001'), { beforeWrite: noop });
    expect(res.card).toMatchObject({ purchaseCounter: 2, pendingUnits: 0, totalUnits: 0 });
    expect(res.card.lastPurchase).toMatchObject({ kind: 'reversal', txnRef: 'BB00000000000001' });
    expect(
      (await app.readBack({ cardSerial: SERIAL, purchaseCounter: 2, txnRef: 'BB00000000000001' })).outcome,
    ).toBe('applied');
  });

  it('refuses a reversal once the meter has loaded the units, leaving the card unchanged', async () => {
    await app.writePurchase(buy(1, 'AA00000000000001'), { beforeWrite: noop });
    card.loadIntoMeter(0, '20261126');
    const err = await app.writeReversal(undo(2, 'AA00000000000001'), { beforeWrite: noop }).catch((e) => e);
    expect(err).toBeInstanceOf(CardWriteError);
    expect(err).toMatchObject({ outcome: 'not-applied' });
    expect(card.purchase.purchaseCounter).toBe(1);
  });

  it('refuses a reversal of a purchase that is not the last write or with a forged MAC', async () => {
    await app.writePurchase(buy(1, 'AA00000000000001'), { beforeWrite: noop });
    await app.writePurchase(buy(2, 'AA00000000000002'), { beforeWrite: noop });
    const stale = await app.writeReversal(undo(3, 'AA00000000000001'), { beforeWrite: noop }).catch((e) => e);
    expect(stale).toMatchObject({ outcome: 'not-applied' });
    const forged = { ...undo(3, 'AA00000000000002'), units: 2000 };
    const bad = await app.writeReversal(forged, { beforeWrite: noop }).catch((e) => e);
    expect(bad).toMatchObject({ outcome: 'not-applied' });
    expect(card.purchase).toMatchObject({ purchaseCounter: 2, pendingUnits: 2000 });
  });
});
