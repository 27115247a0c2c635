import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const sh = (iso: string): number => Date.parse(`${iso}+08:00`);
const final = (t: TxnRecord) => t.terminal;

describe('account bills: Unicom, Telecom, electricity, cable TV, water, gas', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: FakeHq;

  async function open(
    service: string,
    query: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    useFakeClock(sh('2026-11-26T10:00:00'));
    dir = await tempDir();
    hq = new FakeHq().script('query', { outcome: 'ok', data: query });
    const config = await testConfig({
      services: { enabled: [service], fees: { [service]: '0.50' } },
      ...extra,
    });
    k = await openKiosk(dir.path, hq, { config, services: SERVICE_CATALOGUE });
    await k.balance.applyHqEvent({ kind: 'topup', fen: 1000_00, ref: 'slip-1' });
  }
  afterEach(async () => {
    await k.close();
    vi.useRealTimers();
    await dir.cleanup();
  });

  async function pay(service: string, input: Record<string, unknown>): Promise<TxnRecord> {
    const t = await k.engine.create(service, input, TELLER);
    await advance(k.engine, 10);
    return k.engine.waitFor(t.serial, final);
  }

  describe.each([
    ['unicom-cash', 'phone', '13012345678'],
    ['cable-tv', 'account', '88001234'],
    ['water-bill', 'account', 'W1234567'],
    ['gas-bill', 'account', 'G7654321'],
  ])('%s', (service, key, account) => {
    it('queries arrears, then pays any positive amount, and keeps the arrears on the receipt', async () => {
      await open(service, { account, arrears: '35.20' });
      const t = await pay(service, { [key]: account, amount: '20' });
      expect(t).toMatchObject({
        state: 'succeeded',
        feeFen: 50,
        amountFen: 2000,
        data: { inquiry: { arrears: '35.20' } },
      });
      expect(hq.requests.map((r) => r.op)).toEqual(['query', 'pay']);
      expect(hq.requests[0]?.payload).toEqual({ fields: { [key]: account } });
      const def = SERVICE_CATALOGUE.find((d) => d.id === service)!;
      expect(def.receipt?.(t)).toContainEqual({ zh: '缴费前欠费', en: 'Arrears before', value: '￥35.20' });
    });

    it('refuses a bad account naming the field, sending nothing', async () => {
      await open(service, {});
      const err = await k.engine.create(service, { [key]: '12', amount: '20' }, TELLER).catch((e) => e);
      expect(err.issues[0]).toMatchObject({ field: key });
      expect(err.message).toMatch(/[\u4e00-\u9fff]/);
      expect(hq.requests).toEqual([]);
    });

    it('reverses the same day when the account and amount are entered again, and credits back', async () => {
      await open(service, { account, arrears: '0.00' });
      const t = await pay(service, { [key]: account, amount: '20' });
      await expect(
        k.engine.act(t.serial, 'reverse', TELLER, { [key]: account, amount: '21' }),
      ).rejects.toMatchObject({
        issues: [expect.objectContaining({ field: 'amount' })],
      });
      await k.engine.act(t.serial, 'reverse', TELLER, { [key]: account, amount: '20.00' });
      hq.settleReversal(t.idempotencyKey, 'ok');
      await advance(k.engine, 60_000, 10_000);
      expect((await k.engine.get(t.serial)).state).toBe('reversed');
      expect(k.balance.summary().balance).toBe('1000.00');
    });

    it('refuses a reversal on a later business date', async () => {
      await open(service, { account, arrears: '0.00' });
      const t = await pay(service, { [key]: account, amount: '20' });
      await advance(k.engine, 11 * 60 * 60_000, 30 * 60_000);
      await expect(
        k.engine.act(t.serial, 'reverse', TELLER, { [key]: account, amount: '20' }),
      ).rejects.toThrow(/当日/);
    });
  });

  it('telecom: the amount must cover the chosen contract number’s arrears', async () => {
    const contracts = [
      { contractNo: 'HT0001', arrears: '58.00' },
      { contractNo: 'HT0002', arrears: '12.00' },
    ];
    await open('telecom-bill', { account: '057187654321', contracts });
    const low = await k.engine
      .create('telecom-bill', { number: '0571-87654321', contractNo: 'HT0001', amount: '57.99' }, TELLER)
      .catch((e) => e);
    expect(low.issues[0]).toMatchObject({ field: 'amount' });
    expect(low.message).toContain('58.00');
    const wrong = await k.engine
      .create('telecom-bill', { number: '057187654321', contractNo: 'HT9999', amount: '60' }, TELLER)
      .catch((e) => e);
    expect(wrong.issues[0]).toMatchObject({ field: 'contractNo' });
    expect(wrong.message).toContain('HT0001');
    expect(hq.count('pay')).toBe(0);
    const t = await pay('telecom-bill', { number: '0571-87654321', contractNo: 'HT0002', amount: '12' });
    expect(t).toMatchObject({ state: 'succeeded', fields: { number: '057187654321', contractNo: 'HT0002' } });
    const mobile = await k.engine.create(
      'telecom-bill',
      { number: '13312345678', contractNo: 'HT0002', amount: '12' },
      TELLER,
    );
    expect(mobile.fields.number).toBe('13312345678');
    const bad = await k.engine
      .create('telecom-bill', { number: '87654321', contractNo: 'HT0002', amount: '12' }, TELLER)
      .catch((e) => e);
    expect(bad.issues[0]).toMatchObject({ field: 'number' });
    expect(bad.message).toContain('区号');
  });

  it('electricity: only accounts of the kiosk’s own area, and at least the arrears', async () => {
    await open('electricity-bill', {
      account: '3300112233',
      arrears: '80.00',
      area: 'county',
      areaName: '怀宁',
    });
    const other = await k.engine
      .create('electricity-bill', { account: '3300112233', amount: '100' }, TELLER)
      .catch((e) => e);
    expect(other.issues[0]).toMatchObject({ field: 'account' });
    expect(other.message).toContain('本地区');
    hq.script('query', {
      outcome: 'ok',
      data: { account: '3300112233', arrears: '80.00', area: 'city', areaName: '安庆' },
    });
    const low = await k.engine
      .create('electricity-bill', { account: '3300112233', amount: '79.99' }, TELLER)
      .catch((e) => e);
    expect(low.issues[0]).toMatchObject({ field: 'amount' });
    expect(k.journal.lastCounters.serial).toBe(0);
    const t = await pay('electricity-bill', { account: '3300112233', amount: '80' });
    expect(t.state).toBe('succeeded');
  });

  it('electricity at a county kiosk refuses city accounts', async () => {
    await open(
      'electricity-bill',
      { account: '3300112233', arrears: '0.00', area: 'city', areaName: '安庆' },
      { region: { city: '怀宁', areaType: 'county', areaCode: '0556' } },
    );
    const err = await k.engine
      .create('electricity-bill', { account: '3300112233', amount: '10' }, TELLER)
      .catch((e) => e);
    expect(err.message).toContain('县区');
  });

  it('electricity: one county kiosk does not collect for another county, nor the city for any county', async () => {
    await open(
      'electricity-bill',
      { account: '9100112233', arrears: '0.00', area: 'county', areaName: '太湖' },
      { region: { city: '怀宁', areaType: 'county', areaCode: '0556' } },
    );
    const other = await k.engine
      .create('electricity-bill', { account: '9100112233', amount: '10' }, TELLER)
      .catch((e) => e);
    expect(other.issues[0]).toMatchObject({ field: 'account' });
    expect(other.message).toContain('太湖');
    expect(hq.count('pay')).toBe(0);
    hq.script('query', {
      outcome: 'ok',
      data: { account: '9000112233', arrears: '0.00', area: 'county', areaName: '怀宁' },
    });
    const own = await pay('electricity-bill', { account: '9000112233', amount: '10' });
    expect(own.state).toBe('succeeded');
    // An answer that does not name the area is HQ's protocol error: the kiosk cannot tell it is its own.
    hq.script('query', { outcome: 'ok', data: { account: '9000112233', arrears: '0.00', area: 'county' } });
    await expect(
      k.engine.create('electricity-bill', { account: '9000112233', amount: '10' }, TELLER),
    ).rejects.toMatchObject({ code: 'KIOSK_E_HQ_PROTOCOL', field: 'answer.areaName' });
  });

  it('an unanswered inquiry refuses the payment (try again) and charges nothing', async () => {
    await open('water-bill', {});
    hq.script('query', 'throw');
    const err = await k.engine
      .create('water-bill', { account: 'W1234567', amount: '10' }, TELLER)
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'KIOSK_E_TIMEOUT', field: 'account' });
    expect(k.balance.summary().held).toBe('0.00');
  });

  it('a failed payment releases the hold; an unknown one is settled by status query', async () => {
    await open('gas-bill', { account: 'G7654321', arrears: '0.00' });
    hq.script('pay', 'declined', 'hang');
    const failed = await pay('gas-bill', { account: 'G7654321', amount: '30' });
    expect(failed.state).toBe('failed');
    const t = await k.engine.create('gas-bill', { account: 'G7654321', amount: '30' }, TELLER);
    await advance(k.engine, 2000, 500);
    expect((await k.engine.get(t.serial)).state).toBe('querying');
    hq.settle(t.idempotencyKey, 'ok');
    await advance(k.engine, 30_000, 5000);
    expect((await k.engine.get(t.serial)).state).toBe('succeeded');
    expect(k.balance.summary()).toMatchObject({ balance: '970.00', held: '0.00' });
  });
});
