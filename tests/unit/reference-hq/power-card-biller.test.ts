import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ElectricityCardApp } from '../../../devices/card-reader/electricity-card.ts';
import { cardWriteSchema } from '../../../devices/card-reader/electricity-card-format.ts';
import { SimCardReader } from '../../../devices/card-reader/sim-card-reader.ts';
import { demoElectricityCard } from '../../../devices/card-reader/virtual-electricity-card.ts';
import { powerCardKeys, reconcilePowerCard, unitsFor } from '../../../src/reference-hq/billers/power-card.ts';
import { type BillerRig, openBillerRig, RIG_STATION } from '../../support/biller-rig.ts';

const S = RIG_STATION;
const CUSTOMER = '3301000123';

describe('reference HQ: smart electricity card purchases', () => {
  let rig: BillerRig;
  const call = async (op: string, payload: Record<string, unknown>, key: string, gen = 0) =>
    (await rig.call('power-card', op, payload, key, gen)).result;
  const pay = (key: string, counter: number, amount = '100.00', customerNo = CUSTOMER) =>
    call(
      'pay',
      { fields: { customerNo }, amount, card: { cardSerial: 'D000003301000123', purchaseCounter: counter } },
      key,
    );
  const units = async () => (await rig.store.get<number>(powerCardKeys.units(CUSTOMER))) ?? 0;
  const balance = async () => (await rig.accounts.get(S)).balanceFen;

  beforeEach(async () => {
    rig = await openBillerRig();
  });
  afterEach(() => rig.close());

  it('issues write data in the card format that the card itself accepts (one shared format and MAC)', async () => {
    const reader = new SimCardReader({ transmitTimeoutMs: 1000 }, { clock: rig.clock });
    await reader.start();
    const card = demoElectricityCard(CUSTOMER);
    reader.insertCard(card);
    const buy = await pay('P1', 0);
    expect(buy?.outcome).toBe('ok');
    const write = cardWriteSchema.parse(buy?.data?.writeData);
    expect(write).toMatchObject({
      kind: 'purchase',
      purchaseCounter: 1,
      amountFen: 10_000,
      units: unitsFor(10_000),
    });
    const res = await new ElectricityCardApp(reader).writePurchase(write as never, {
      beforeWrite: async () => {},
    });
    expect(res.card).toMatchObject({ purchaseCounter: 1, pendingUnits: 18_587 });
  });

  it('sells only to customers of the rig.station’s own area: the one definition of an electricity area', async () => {
    const query = async (customerNo: string) => call('query', { fields: { customerNo } }, `q${customerNo}`);
    expect((await query(CUSTOMER))?.data).toMatchObject({ area: 'city', areaName: '安庆' });
    expect((await query('91234567'))?.reason?.code).toBe('BILLER_OTHER_AREA');
    expect((await pay('county', 0, '100.00', '91234567'))?.reason?.code).toBe('BILLER_OTHER_AREA');
    // A county kiosk: its own county's customers only, never the city's nor another county's.
    rig.station = { region: { province: '安徽', city: '太湖', areaType: 'county', areaCode: '0556' } };
    expect((await query('91234567'))?.data).toMatchObject({ area: 'county', areaName: '太湖' });
    for (const other of ['90234567', CUSTOMER])
      expect((await query(other))?.reason?.code).toBe('BILLER_OTHER_AREA');
    rig.station = { region: { province: '安徽', city: '安庆', areaType: 'city', areaCode: '0556' } };
    expect(await balance()).toBe(100_000);
  });

  it('credits the units once per purchase whatever the number of confirmations', async () => {
    await pay('P1', 0);
    expect(await balance()).toBe(90_000);
    expect(await units()).toBe(0);
    for (let gen = 0; gen < 3; gen++)
      expect((await call('write-confirm', {}, 'P1', gen))?.outcome).toBe('ok');
    expect((await call('write-confirm', {}, 'P1', 0))?.outcome).toBe('ok');
    expect(await units()).toBe(unitsFor(10_000));
    expect(await balance()).toBe(90_000);
  });

  it('reverses only a confirmed purchase, with reversal write data for the card', async () => {
    await pay('P1', 0);
    const early = await call(
      'reverse',
      { amount: '100.00', card: { cardSerial: 'D000003301000123', purchaseCounter: 1 } },
      'P1',
    );
    expect(early?.reason?.code).toBe('BILLER_UNCONFIRMED');
    await call('write-confirm', {}, 'P1');
    const rev = await call(
      'reverse',
      { amount: '100.00', card: { cardSerial: 'D000003301000123', purchaseCounter: 1 } },
      'P1',
      1,
    );
    expect(cardWriteSchema.parse(rev?.data?.writeData)).toMatchObject({
      kind: 'reversal',
      purchaseCounter: 2,
    });
    expect((await call('reverse-write-confirm', {}, 'P1', 1))?.outcome).toBe('ok');
    expect((await call('reverse-write-confirm', {}, 'P1', 2))?.outcome).toBe('ok');
    expect(await balance()).toBe(100_000);
    expect(await units()).toBe(0);
  });

  it('an accounting reversal undoes only an unconfirmed purchase; a new purchase waits for it', async () => {
    await pay('P1', 0);
    expect((await pay('P2', 0))?.reason?.code).toBe('BILLER_UNRESOLVED');
    expect((await call('unconfirmed', { fields: { customerNo: CUSTOMER } }, 'Q'))?.data?.items).toHaveLength(
      1,
    );
    expect((await call('accounting-reverse', {}, 'P1'))?.outcome).toBe('ok');
    expect((await call('write-confirm', {}, 'P1', 1))?.reason?.code).toBe('BILLER_ACCOUNTING_REVERSED');
    expect(await balance()).toBe(100_000);
    expect((await pay('P3', 0, '50.00'))?.outcome).toBe('ok');
    await call('write-confirm', {}, 'P3');
    expect((await call('accounting-reverse', {}, 'P3'))?.reason?.code).toBe('BILLER_CONFIRMED');
  });

  it('end-of-day reconciliation counts confirmed, reversed, accounting-reversed and unconfirmed purchases', async () => {
    await pay('P1', 0);
    await call('write-confirm', {}, 'P1');
    await pay('P2', 1, '20.00');
    await call('accounting-reverse', {}, 'P2');
    await pay('P3', 1, '30.00');
    const r = await reconcilePowerCard({ store: rig.store }, S, '20261126');
    expect(r.accepted).toEqual({ count: 3, fen: 15_000 });
    expect(r.confirmed).toMatchObject({ count: 1, fen: 10_000 });
    expect(r.accountingReversed).toEqual({ count: 1, fen: 2000 });
    expect(r.unconfirmed).toHaveLength(1);
    expect(r.netFen).toBe(13_000);
    expect(100_000 - (await balance())).toBe(r.netFen);
  });
});
