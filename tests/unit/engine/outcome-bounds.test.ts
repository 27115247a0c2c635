import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const GAMES = {
  outcome: 'ok' as const,
  data: { games: [{ id: 'wzry', name: '王者荣耀', packages: ['6', '30', '68'] }] },
};
const NO_SUCH = {
  outcome: 'declined' as const,
  reason: { code: 'BILLER_NO_SUCH_PAYMENT', zh: '无此充值记录', en: 'no such top-up' },
};
const NOT_REVERSIBLE = {
  outcome: 'declined' as const,
  reason: { code: 'BILLER_NO_REVERSAL', zh: '游戏充值不能撤销', en: 'game top-ups cannot be reversed' },
};
const GAME_INPUT = { game: 'wzry', account: 'player001', package: '68', confirm: 'yes' };

/**
 * Every open transaction is bounded and watched: alerts for an outcome that stays unknown (whatever
 * the service, measured from when it started waiting, not reset by moves between states), an alert
 * at once where the source asks for one, and a bound on every automatic loop.
 */
describe('open transactions: alerts and bounds', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: FakeHq;
  let alerts: string[];

  async function open(engine: Record<string, unknown> = {}, at = '2026-11-26T10:00:00'): Promise<void> {
    useFakeClock(Date.parse(`${at}+08:00`));
    dir = await tempDir();
    hq = new FakeHq().script('games', GAMES);
    const config = await testConfig({
      services: { enabled: ['game-topup', 'water-bill', 'mobile-topup'], fees: {}, mobileRegions: ['安庆'] },
      engine: { statusQueryIntervalMs: 30_000, ...engine },
    });
    k = await openKiosk(dir.path, hq, { config, services: SERVICE_CATALOGUE });
    await k.balance.applyHqEvent({ kind: 'topup', fen: 300_00, ref: 'slip-1' });
    alerts = [];
    k.engine.on('alert', (_t, name) => alerts.push(name));
  }
  async function eventsOf(serial: string): Promise<number> {
    let n = 0;
    for await (const ev of k.journal.events()) if (ev.serial === serial) n++;
    return n;
  }
  afterEach(async () => {
    await k.close();
    vi.useRealTimers();
    await dir.cleanup();
  });

  it('game top-up: "no such top-up" after a declined status is final, the hold is released', async () => {
    await open();
    // The payment never reached HQ: the status query says declined, the correction finds nothing.
    hq.script('pay', 'timeout').script('reverse', NO_SUCH);
    const t = await k.engine.create('game-topup', GAME_INPUT, TELLER);
    hq.settle(t.idempotencyKey, 'declined');
    await advance(k.engine, 5 * 60_000, 1000);
    const done = await k.engine.get(t.serial);
    expect(done).toMatchObject({ terminal: true, state: 'refunded', result: 'failed' });
    expect(done.reason?.code).toBe('BILLER_NO_SUCH_PAYMENT');
    expect(k.balance.summary()).toMatchObject({ balance: '300.00', held: '0.00' });
    expect(hq.count('reverse')).toBe(1);
    expect(await eventsOf(t.serial)).toBeLessThan(12);
  });

  it('a flow that bounces between states stops after engine.maxAttempts entries, alerted, hold kept', async () => {
    await open({ maxAttempts: 4 });
    hq.script('pay', 'timeout').script('reverse', NOT_REVERSIBLE);
    const t = await k.engine.create('game-topup', GAME_INPUT, TELLER);
    hq.settle(t.idempotencyKey, 'declined');
    await advance(k.engine, 20 * 60_000, 5000);
    const parked = await k.engine.get(t.serial);
    expect(parked.terminal).toBe(false);
    expect(parked.alerts).toContain('retries-exhausted');
    expect(alerts).toContain('retries-exhausted');
    expect(hq.count('reverse')).toBeLessThanOrEqual(5);
    const events = await eventsOf(t.serial);
    await advance(k.engine, 60 * 60_000, 60_000);
    expect(await eventsOf(t.serial)).toBe(events);
    expect(k.balance.summary().held).toBe('68.00');
  });

  it('the unknown alert is measured from the payment, not reset when the flow moves between states', async () => {
    await open({ maxAttempts: 100 });
    hq.script('pay', 'timeout').script('reverse', NOT_REVERSIBLE);
    const t = await k.engine.create('game-topup', GAME_INPUT, TELLER);
    hq.settle(t.idempotencyKey, 'declined');
    await advance(k.engine, 29 * 60_000, 5000);
    expect(alerts).toEqual([]);
    expect(hq.count('reverse')).toBeGreaterThan(10);
    await advance(k.engine, 2 * 60_000, 5000);
    expect(alerts).toEqual(['status-unknown']);
  });

  it('a bill payment whose biller never answers raises the unknown alert, then the day-cut alert', async () => {
    await open({}, '2026-11-26T19:50:00');
    hq.script('query', { outcome: 'ok', data: { arrears: '0.00' } }).script('pay', 'timeout');
    const t = await k.engine.create('water-bill', { account: 'W1234567', amount: '30' }, TELLER);
    await advance(k.engine, 29 * 60_000, 30_000);
    expect((await k.engine.get(t.serial)).state).toBe('querying');
    expect(alerts).toEqual([]);
    await advance(k.engine, 2 * 60_000, 30_000);
    expect(alerts).toEqual(['status-unknown']);
    await advance(k.engine, 40 * 60_000, 60_000);
    expect(alerts).toEqual(['status-unknown', 'unresolved-after-day-cut']);
  });

  it('the unknown alert time is configuration (engine.unknownAlertMs)', async () => {
    await open({ unknownAlertMs: 5 * 60_000 });
    hq.script('query', { outcome: 'ok', data: { arrears: '0.00' } }).script('pay', 'pending');
    await k.engine.create('water-bill', { account: 'W1234567', amount: '30' }, TELLER);
    await advance(k.engine, 4 * 60_000, 30_000);
    expect(alerts).toEqual([]);
    await advance(k.engine, 90_000, 30_000);
    expect(alerts).toEqual(['status-unknown']);
  });

  it('mobile top-up: an error answer to the submit alerts the administrator at once', async () => {
    await open();
    hq.script('query', { outcome: 'ok', data: { city: '安庆', arrears: '0.00' } }).script('pay', {
      outcome: 'declined',
      reason: { code: 'BILLER_DOWN', zh: '移动系统故障', en: 'mobile system failure' },
    });
    const t = await k.engine.create('mobile-topup', { phone: '13800138000', amount: '50' }, TELLER);
    await advance(k.engine, 10);
    const done: TxnRecord = await k.engine.get(t.serial);
    expect(done.state).toBe('failed');
    expect(done.alerts).toEqual(['submit-error']);
    expect(alerts).toEqual(['submit-error']);
  });

  it('mobile top-up: a submit that only times out is queried, not alerted at once', async () => {
    await open();
    hq.script('query', { outcome: 'ok', data: { city: '安庆', arrears: '0.00' } }).script('pay', 'hang');
    const t = await k.engine.create('mobile-topup', { phone: '13800138000', amount: '50' }, TELLER);
    await advance(k.engine, 5000);
    expect((await k.engine.get(t.serial)).state).toBe('querying');
    expect(alerts).toEqual([]);
  });

  it('engine.maxAttempts bounds a step retried with back-off; the transaction stays open, alerted', async () => {
    await open({ maxAttempts: 3 });
    hq.script('query', { outcome: 'ok', data: { city: '安庆', arrears: '0.00' } });
    const t = await k.engine.create('mobile-topup', { phone: '13800138000', amount: '50' }, TELLER);
    await advance(k.engine, 10);
    expect((await k.engine.get(t.serial)).state).toBe('succeeded');
    // The arrears question before the reversal never gets an answer: retried with back-off.
    hq.script('query', 'timeout');
    await k.engine.act(t.serial, 'reverse', TELLER, { phone: '13800138000', amount: '50' });
    await advance(k.engine, 10 * 60_000, 1000);
    const parked = await k.engine.get(t.serial);
    expect(parked).toMatchObject({ state: 'reverse-checking', terminal: false });
    expect(parked.alerts).toContain('retries-exhausted');
    expect(hq.count('query')).toBe(1 + 3);
    expect(hq.count('reverse')).toBe(0);
  });
});
