import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findUnmaskedNumber } from '../../../src/receipts/guard.ts';
import { MOBILE_REGIONS } from '../../../src/reference-hq/billers/catalogue.ts';
import { type BillerRig, openBillerRig, RIG_STATION } from '../../support/biller-rig.ts';

const S = RIG_STATION;

describe('simulated billers', () => {
  let rig: BillerRig;
  const call = (...a: Parameters<BillerRig['call']>) => rig.call(...a);
  const result = async (...a: Parameters<BillerRig['call']>) => (await rig.call(...a)).result;

  beforeEach(async () => {
    rig = await openBillerRig();
  });
  afterEach(() => rig.close());

  it('covers every service the kiosk offers, and the payment-QR acquirer', () => {
    expect(rig.hub.services.filter((s) => s !== 'payment-qr').sort()).toEqual(
      [
        'alarm',
        'bus-card-topup',
        'cable-tv',
        'coach-ticket',
        'credit-card-repayment',
        'electricity-bill',
        'game-topup',
        'gas-bill',
        'mobile-topup',
        'power-card',
        'prepaid-card-topup',
        'telecom-bill',
        'unicom-cash',
        'water-bill',
      ].sort(),
    );
  });

  it('mobile top-up: pending, settles on a status query, manual reversal processed later', async () => {
    const pay = await result(
      'mobile-topup',
      'pay',
      { fields: { phone: '13812345678' }, amount: '50.00' },
      'M1',
    );
    expect(pay?.outcome).toBe('pending');
    expect((await result('mobile-topup', 'status', { ref: null }, 'M1'))?.outcome).toBe('pending');
    rig.clock.advance(1000);
    expect(await result('mobile-topup', 'status', { ref: null }, 'M1')).toMatchObject({
      outcome: 'ok',
      data: { amount: '50.00' },
    });
    expect((await rig.accounts.get(S)).balanceFen).toBe(95_000);
    expect(
      (
        await result(
          'mobile-topup',
          'reverse',
          { fields: { phone: '13812345678' }, amount: '50.00', ref: null },
          'M1',
        )
      )?.outcome,
    ).toBe('pending');
    expect((await result('mobile-topup', 'reverse-status', { ref: null }, 'M1'))?.outcome).toBe('pending');
    await rig.hub.tick({ ...rig.env() }, 'reversals');
    expect((await result('mobile-topup', 'reverse-status', { ref: null }, 'M1'))?.outcome).toBe('ok');
    expect((await rig.accounts.get(S)).balanceFen).toBe(100_000);
  });

  it("mobile top-up regions: only the cities HQ opened in the station's own province", async () => {
    const query = async (phone: string) => result('mobile-topup', 'query', { fields: { phone } });
    // 安徽: only the local city's numbers, 安庆.
    expect((await query('13812345678'))?.data).toMatchObject({ city: '安庆' });
    // 四川: the seven cities and prefectures the platform opened.
    rig.station = { region: { province: '四川', city: '成都', areaType: 'city', areaCode: '028' } };
    const cities = new Set<unknown>();
    for (let i = 1; i <= 40; i++)
      cities.add((await query(`1381234${String(i).padStart(4, '0')}`))?.data?.city);
    expect([...cities].every((c) => MOBILE_REGIONS.四川?.includes(c as string))).toBe(true);
    expect(cities.size).toBeGreaterThan(1);
    // A province HQ opened nothing in, and a rig.station whose province HQ does not know: refused.
    rig.station = { region: { province: '浙江', city: '杭州', areaType: 'city', areaCode: '0571' } };
    expect((await query('13812345678'))?.reason?.code).toBe('BILLER_REGION');
    expect(
      (await result('mobile-topup', 'pay', { fields: { phone: '13812345678' }, amount: '50.00' }, 'z'))
        ?.reason?.code,
    ).toBe('BILLER_REGION');
    rig.station = {};
    expect((await query('13812345678'))?.reason?.code).toBe('BILLER_REGION');
  });

  it('the platform opens the cities the sources name: seven in 四川, 安庆 in 安徽', () => {
    expect(MOBILE_REGIONS).toEqual({
      四川: ['成都', '南充', '绵阳', '德阳', '巴中', '资阳', '攀枝花'],
      安徽: ['安庆'],
    });
  });

  it('mobile top-up rules: amount, region, arrears, blackout, same day, failing number', async () => {
    const pay = (phone: string, amount: string, key: string) =>
      result('mobile-topup', 'pay', { fields: { phone }, amount }, key);
    expect((await pay('13812345678', '15.00', 'a'))?.reason?.code).toBe('BILLER_BAD_AMOUNT');
    expect((await pay('19912345678', '50.00', 'b'))?.reason?.code).toBe('BILLER_REGION');
    expect((await pay('13800000000', '50.00', 'c'))?.reason?.code).toBe('BILLER_NO_ACCOUNT');
    await pay('13812349999', '20.00', 'd');
    rig.clock.advance(1000);
    await result('mobile-topup', 'status', { ref: null }, 'd');
    expect((await result('mobile-topup', 'reverse', { ref: null }, 'd'))?.reason?.code).toBe(
      'BILLER_ARREARS',
    );
    await pay('13812344444', '30.00', 'e');
    rig.clock.advance(1000);
    expect((await result('mobile-topup', 'status', { ref: null }, 'e'))?.outcome).toBe('declined');
    expect((await rig.accounts.get(S)).balanceFen).toBe(100_000 - 2000);
    await pay('13812345678', '10.00', 'f');
    rig.clock.set(Date.UTC(2026, 10, 26, 12, 30)); // 20:30 local
    await result('mobile-topup', 'status', { ref: null }, 'f');
    expect((await result('mobile-topup', 'reverse', { ref: null }, 'f'))?.reason?.code).toBe(
      'BILLER_REVERSAL_BLACKOUT',
    );
    rig.clock.set(Date.UTC(2026, 10, 26, 14, 30)); // 22:30 local: next business day
    // A repeat of the same request gets its first answer; a new attempt is a new action generation.
    expect((await result('mobile-topup', 'reverse', { ref: null }, 'f'))?.reason?.code).toBe(
      'BILLER_REVERSAL_BLACKOUT',
    );
    expect((await result('mobile-topup', 'reverse', { ref: null }, 'f', 1))?.reason?.code).toBe(
      'BILLER_NOT_SAME_DAY',
    );
  });

  it('idempotency: a repeat gets the first answer without charging; a status query is fresh', async () => {
    const body = { fields: { account: '12345678' }, amount: '20.00' };
    const first = await call('water-bill', 'pay', body, 'W');
    const again = await call('water-bill', 'pay', body, 'W');
    expect(again.result).toEqual(first.result);
    expect(again.replay).toBe(true);
    expect((await rig.accounts.get(S)).balanceFen).toBe(98_000);
    expect((await result('water-bill', 'status', { ref: null }, 'W'))?.outcome).toBe('ok');
  });

  it('a status query for a payment that never arrived bars that payment', async () => {
    expect((await result('gas-bill', 'status', { ref: null }, 'G'))?.reason?.code).toBe(
      'BILLER_NO_SUCH_PAYMENT',
    );
    expect(
      (await result('gas-bill', 'pay', { fields: { account: '12345678' }, amount: '20.00' }, 'G'))?.reason
        ?.code,
    ).toBe('BILLER_SUPERSEDED');
  });

  it('telecom contracts and arrears; electricity own area; zero credit line at HQ', async () => {
    const q = await result('telecom-bill', 'query', { fields: { number: '057188001234' } });
    const contracts = q?.data?.contracts as Array<{ contractNo: string; arrears: string }>;
    expect(contracts.length).toBeGreaterThan(0);
    const c = contracts[0] as { contractNo: string; arrears: string };
    const below = (Number(c.arrears) - 1).toFixed(2);
    expect(
      (
        await result('telecom-bill', 'pay', {
          fields: { number: '057188001234', contractNo: c.contractNo },
          amount: below,
        })
      )?.reason?.code,
    ).toBe('BILLER_BELOW_ARREARS');
    expect(
      (
        await result('telecom-bill', 'pay', {
          fields: { number: '057188001234', contractNo: c.contractNo },
          amount: c.arrears,
        })
      )?.outcome,
    ).toBe('ok');
    expect(
      (await result('telecom-bill', 'query', { fields: { number: '057188001234' } }))?.data?.contracts,
    ).toContainEqual({
      contractNo: c.contractNo,
      arrears: '0.00',
    });
    expect(
      (await result('electricity-bill', 'query', { fields: { account: '91234567' } }))?.reason?.code,
    ).toBe('BILLER_OTHER_AREA');
    // A county kiosk: its own county's rig.accounts only, never the city's nor another county's.
    rig.station = { region: { province: '安徽', city: '太湖', areaType: 'county', areaCode: '0556' } };
    expect(
      (await result('electricity-bill', 'query', { fields: { account: '91234567' } }))?.data,
    ).toMatchObject({ area: 'county', areaName: '太湖' });
    for (const account of ['90234567', '12345678'])
      expect(
        (await result('electricity-bill', 'pay', { fields: { account }, amount: '500.00' }))?.reason?.code,
      ).toBe('BILLER_OTHER_AREA');
    rig.station = { region: { province: '安徽', city: '安庆', areaType: 'city', areaCode: '0556' } };
    expect(
      (await result('water-bill', 'pay', { fields: { account: '12345678' }, amount: '5000.00' }))?.reason
        ?.code,
    ).toBe('BILLER_INSUFFICIENT');
  });

  it('game, credit card, prepaid card top-up', async () => {
    expect(
      (
        await result(
          'game-topup',
          'pay',
          { fields: { game: 'wzry', account: 'x4444', package: '30' }, amount: '30.00' },
          'G1',
        )
      )?.outcome,
    ).toBe('pending');
    rig.clock.advance(1000);
    expect((await result('game-topup', 'status', { ref: null }, 'G1'))?.outcome).toBe('declined');
    expect((await result('game-topup', 'reverse', { ref: null }, 'G1'))?.data?.refunded).toBe(true);
    expect(
      (
        await result('credit-card-repayment', 'pay', {
          fields: { creditCard: '6222021234567890' },
          amount: '100.00',
        })
      )?.reason?.code,
    ).toBe('BILLER_TERMINAL');
    rig.station = { ...rig.station, terminal: { terminalNo: '12345678', status: 'enabled' } };
    expect(
      (
        await result('credit-card-repayment', 'pay', {
          fields: { creditCard: '6222021234567890' },
          amount: '100.00',
        })
      )?.reason?.code,
    ).toBe('BILLER_NOT_SIGNED_IN');
    expect((await result('credit-card-repayment', 'sign-in', { terminalNo: '12345678' }))?.outcome).toBe(
      'ok',
    );
    expect(
      (
        await result('credit-card-repayment', 'pay', {
          fields: { creditCard: '6222021234567890' },
          amount: '100.00',
        })
      )?.outcome,
    ).toBe('ok');
    const before = (await rig.accounts.get(S)).balanceFen;
    expect(
      (
        await result('prepaid-card-topup', 'pay', {
          fields: { debitCard: '6221881234567890' },
          amount: '200.00',
        })
      )?.outcome,
    ).toBe('ok');
    expect((await rig.accounts.get(S)).balanceFen).toBe(before + 20_000);
    expect(rig.pushed).toEqual([expect.objectContaining({ station: S, fen: 20_000 })]);
  });

  it('fault injection: failing, silent, unknown, duplicate, slow', async () => {
    rig.faults.set('water-bill', 'failing');
    expect(
      (await result('water-bill', 'pay', { fields: { account: '12345678' }, amount: '1.00' }))?.reason?.code,
    ).toBe('BILLER_UNAVAILABLE');
    expect((await result('water-bill', 'status', { ref: null }))?.outcome).toBe('unknown');
    rig.faults.set('water-bill', 'silent');
    expect(
      (await call('water-bill', 'pay', { fields: { account: '12345678' }, amount: '1.00' }, 'S1')).result,
    ).toBeNull();
    rig.faults.set('water-bill', 'normal');
    expect((await result('water-bill', 'status', { ref: null }, 'S1'))?.outcome).toBe('ok');
    rig.faults.set('*', 'unknown');
    expect(
      (await result('gas-bill', 'pay', { fields: { account: '12345678' }, amount: '1.00' }, 'U1'))?.outcome,
    ).toBe('unknown');
    rig.faults.set('*', 'duplicate');
    expect((await call('gas-bill', 'status', { ref: null }, 'U1')).copies).toBe(2);
    rig.faults.clear();
    expect((await result('gas-bill', 'status', { ref: null }, 'U1'))?.outcome).toBe('ok');
  });

  it('payment-QR ids and refund references never read as a card or phone number on a slip', async () => {
    for (let i = 0; i < 40; i++) {
      const r = await result('payment-qr', 'order', { amount: '10.00', orderId: `O${i}`, ttlSec: 60 });
      const id = String(r?.data?.paymentId);
      expect(id).toMatch(/^P\d{8}Q[0-9A-F]{10}$/);
      expect(findUnmaskedNumber(id)).toBeUndefined();
      expect(findUnmaskedNumber(`R${id.slice(1)}`)).toBeUndefined();
    }
  });
});
