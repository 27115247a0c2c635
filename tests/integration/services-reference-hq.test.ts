import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import type { TxnRecord } from '../../src/core/transaction/types.ts';
import type { EmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { clockStartingAt } from '../support/chosen-time.ts';
import { type ReferenceHqRig, startReferenceHqRig } from '../support/embedded-kiosk.ts';
import { until } from '../support/wait.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const final = (t: TxnRecord) => t.terminal;

/**
 * Every service of the catalogue against the reference HQ's simulated billers over MQTT (not the
 * in-memory double): happy paths, the billers' refusals, a failure, an unknown outcome settled by
 * the status query, reversals processed upstream, and a restart in the middle of a pending
 * top-up. Polling intervals are shortened through the configuration.
 */
describe('services against the reference HQ billers', () => {
  let rig: ReferenceHqRig;
  let hq: EmbeddedHq;
  let app: KioskApp;
  // Kiosk and HQ share one clock starting at 10:00: the mobile reversals below are outside the
  // 20:00–22:00 blackout and no day cut passes, whatever the machine's clock says.
  const clock = clockStartingAt();

  async function startKiosk(): Promise<void> {
    app = await rig.startKiosk();
  }
  const pay = async (service: string, input: Record<string, unknown>): Promise<TxnRecord> => {
    const t = await app.engine.create(service, input, TELLER);
    return app.engine.waitFor(t.serial, final);
  };

  beforeAll(async () => {
    rig = await startReferenceHqRig({
      prefix: 'kiosk-ref-hq-',
      clock,
      hq: {
        openingBalance: '2000.00',
        // HQ enables the services at this new station (its operator is trained on all of them).
        trainedServices: SERVICE_CATALOGUE.map((d) => d.id),
      },
      kiosk: { engine: { reversalQueryIntervalMs: 200 } },
    });
    hq = rig.hq;
    await startKiosk();
    await until(() => app.balance.summary().balance === '2000.00', 10_000, 'the opening balance');
  });
  afterAll(async () => {
    await app?.stop();
    await rig?.stop();
  });

  it.each([
    ['unicom-cash', { phone: '13012345678', amount: '20' }],
    ['water-bill', { account: 'W1234567', amount: '20' }],
    ['gas-bill', { account: 'G1234567', amount: '20' }],
    ['cable-tv', { account: 'C1234567', amount: '20' }],
    ['bus-card-topup', { cardNo: '31040012345678', amount: '20' }],
  ])('%s: pays through the biller', async (service, input) => {
    const before = app.balance.summary().balance;
    const done = await pay(service, input);
    expect(done.state).toBe('succeeded');
    expect(Number(app.balance.summary().balance)).toBeCloseTo(Number(before) - 20, 2);
  });

  it('telecom: pays a contract number the inquiry listed, at least its arrears', async () => {
    const answer = (await app.engine.inquire('telecom-bill', { number: '0571-87654321' }, TELLER)) as {
      contracts: Array<{ contractNo: string; arrears: string }>;
    };
    const c = answer.contracts[0]!;
    const low = await app.engine
      .create(
        'telecom-bill',
        { number: '057187654321', contractNo: c.contractNo, amount: (Number(c.arrears) - 0.01).toFixed(2) },
        TELLER,
      )
      .catch((e) => e);
    expect(low.issues?.[0]?.field).toBe('amount');
    const done = await pay('telecom-bill', {
      number: '057187654321',
      contractNo: c.contractNo,
      amount: c.arrears,
    });
    expect(done.state).toBe('succeeded');
  });

  it('electricity: own area only, at least the arrears', async () => {
    const county = await app.engine
      .create('electricity-bill', { account: '9300112233', amount: '500' }, TELLER)
      .catch((e) => e);
    expect(county.message).toContain('本地区');
    const { arrears } = (await app.engine.inquire('electricity-bill', { account: '3300112233' }, TELLER)) as {
      arrears: string;
    };
    const done = await pay('electricity-bill', { account: '3300112233', amount: arrears });
    expect(done.state).toBe('succeeded');
  });

  it('refuses an unknown account at the inquiry, holding nothing', async () => {
    const err = await app.engine
      .create('water-bill', { account: 'W1230000', amount: '20' }, TELLER)
      .catch((e) => e);
    expect(err).toMatchObject({ field: 'account', zh: '无此用户' });
    expect(app.balance.summary().held).toBe('0.00');
  });

  it('a payment the biller refuses fails and releases its hold', async () => {
    const done = await pay('gas-bill', { account: 'G1234444', amount: '20' });
    expect(done.state).toBe('failed');
    expect(app.balance.summary().held).toBe('0.00');
  });

  it('an unanswered payment stays unknown and the status query settles it, charged once', async () => {
    hq.server.faults.set('bus-card-topup', 'silent');
    const t = await app.engine.create('bus-card-topup', { cardNo: '31040087654321', amount: '15' }, TELLER);
    await app.engine.waitFor(t.serial, (x) => x.state === 'querying');
    hq.server.faults.set('bus-card-topup', 'normal');
    const done = await app.engine.waitFor(t.serial, final);
    expect(done.state).toBe('succeeded');
    expect(app.balance.summary().held).toBe('0.00');
  });

  it('same-day reversal of a bill, confirming number and amount, credits the balance back', async () => {
    const t = await pay('water-bill', { account: 'W2345678', amount: '33' });
    const before = app.balance.summary().balance;
    await app.engine.act(t.serial, 'reverse', TELLER, { account: 'W2345678', amount: '33' });
    const done = await app.engine.waitFor(t.serial, (x) => x.terminal && x.state !== 'succeeded');
    expect(done.state).toBe('reversed');
    expect(Number(app.balance.summary().balance)).toBeCloseTo(Number(before) + 33, 2);
  });

  it('mobile top-up: asynchronous result, then a reversal processed upstream by hand', async () => {
    const t = await app.engine.create('mobile-topup', { phone: '13812345678', amount: '30' }, TELLER);
    const done = await app.engine.waitFor(t.serial, final);
    expect(done.state).toBe('succeeded');
    await app.engine.act(t.serial, 'reverse', TELLER, { phone: '13812345678', amount: '30' });
    const reversed = await app.engine.waitFor(t.serial, (x) => x.terminal && x.state !== 'succeeded');
    expect(reversed.state).toBe('reversed');
  });

  it('mobile top-up: a number more than 20 yuan in arrears is not reversed', async () => {
    const t = await app.engine.create('mobile-topup', { phone: '13812349999', amount: '10' }, TELLER);
    await app.engine.waitFor(t.serial, final);
    await app.engine.act(t.serial, 'reverse', TELLER, { phone: '13812349999', amount: '10' });
    const done = await app.engine.waitFor(t.serial, (x) => x.terminal && x.generation === 1);
    expect(done.state).toBe('reverse-refused');
    expect(done.reason?.zh).toContain('25.00');
  });

  it('mobile top-up: refuses a number outside the enabled regions', async () => {
    const err = await app.engine
      .create('mobile-topup', { phone: '19912345678', amount: '10' }, TELLER)
      .catch((e) => e);
    expect(err.field).toBe('phone');
  });

  it('game top-up: a failed one is corrected and refunded automatically', async () => {
    const ok = await pay('game-topup', { game: 'wzry', account: 'player01', package: '30', confirm: true });
    expect(ok.state).toBe('succeeded');
    const held = app.balance.summary().balance;
    const failed = await pay('game-topup', {
      game: 'wzry',
      account: 'player4444',
      package: '30',
      confirm: true,
    });
    expect(failed.state).toBe('refunded');
    expect(app.balance.summary().balance).toBe(held);
  });

  it('balance top-up from the bound debit card raises the balance through HQ’s signed event', async () => {
    const before = Number(app.balance.summary().balance);
    const done = await pay('prepaid-card-topup', { debitCard: '6221881234567890123', amount: '500' });
    expect(done.state).toBe('succeeded');
    await expect
      .poll(() => Number(app.balance.summary().balance), { timeout: 5000 })
      .toBeCloseTo(before + 500, 2);
  });

  it('resumes a pending top-up after a restart and finishes it without charging twice', async () => {
    const before = Number(app.balance.summary().balance);
    const t = await app.engine.create('mobile-topup', { phone: '13887654321', amount: '40' }, TELLER);
    await app.engine.waitFor(t.serial, (x) => x.state === 'querying');
    await app.stop();
    await startKiosk();
    const done = await app.engine.waitFor(t.serial, final);
    expect(done.state).toBe('succeeded');
    expect(Number(app.balance.summary().balance)).toBeCloseTo(before - 40, 2);
    expect(app.balance.summary().held).toBe('0.00');
  });
});
