import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import { mobileReversalSendGate } from '../../../src/core/services/rules.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const sh = (iso: string): number => Date.parse(`${iso}+08:00`);
const final = (t: TxnRecord) => t.terminal;
const NUMBER = '13800138000';
const QUERY_OK = { outcome: 'ok' as const, data: { city: '安庆', arrears: '0.00' } };

describe('mobile direct top-up (移动直充)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: FakeHq;

  async function open(at: string, dayCut = '21:00', engine: Record<string, unknown> = {}): Promise<void> {
    useFakeClock(sh(at));
    dir = await tempDir();
    hq = new FakeHq().script('query', QUERY_OK);
    const config = await testConfig({
      services: { enabled: ['mobile-topup'], fees: {}, mobileRegions: ['安庆'] },
      business: { dayCut },
      engine,
    });
    k = await openKiosk(dir.path, hq, { config, services: SERVICE_CATALOGUE });
    await k.balance.applyHqEvent({ kind: 'topup', fen: 500_00, ref: 'slip-1' });
  }
  async function paid(): Promise<TxnRecord> {
    const t = await k.engine.create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER);
    await advance(k.engine, 10);
    return k.engine.waitFor(t.serial, final);
  }
  beforeEach(() => undefined);
  afterEach(async () => {
    await k.close();
    vi.useRealTimers();
    await dir.cleanup();
  });

  it('tops up a number of an enabled region and captures the amount', async () => {
    await open('2026-11-26T10:00:00');
    const t = await paid();
    expect(t).toMatchObject({ state: 'succeeded', amountFen: 5000, data: { inquiry: { city: '安庆' } } });
    expect(k.balance.summary().balance).toBe('450.00');
  });

  it('refuses a number of a city HQ did not open for this station, before any hold or payment', async () => {
    await open('2026-11-26T10:00:00');
    hq.script('query', { outcome: 'ok', data: { city: '杭州', arrears: '0.00' } });
    const err = await k.engine
      .create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KIOSK_E_INVALID_INPUT', issues: [{ field: 'phone' }] });
    expect((err as Error).message).toContain('已开通地区（安庆）');
    // An answer that names no city at all is HQ's protocol error, not the customer's number.
    hq.script('query', { outcome: 'ok', data: { arrears: '0.00' } });
    await expect(
      k.engine.create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER),
    ).rejects.toMatchObject({ code: 'KIOSK_E_HQ_PROTOCOL', field: 'answer.city' });
    expect(hq.count('pay')).toBe(0);
    expect(k.balance.summary().available).toBe('500.00');
    expect(k.journal.lastCounters.serial).toBe(0);
  });

  it('tops up nothing where HQ opened no region for the station', async () => {
    useFakeClock(sh('2026-11-26T10:00:00'));
    dir = await tempDir();
    hq = new FakeHq().script('query', QUERY_OK);
    const config = await testConfig({ services: { enabled: ['mobile-topup'], fees: {} } });
    expect(config.services.mobileRegions).toEqual([]);
    k = await openKiosk(dir.path, hq, { config, services: SERVICE_CATALOGUE });
    await k.balance.applyHqEvent({ kind: 'topup', fen: 500_00, ref: 'slip-1' });
    const err = await k.engine
      .create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ issues: [{ field: 'phone' }] });
    expect(hq.count('pay')).toBe(0);
  });

  it.each([
    [{ phone: '1380013800', amount: '50' }, 'phone'],
    [{ phone: '138001380001', amount: '50' }, 'phone'],
    [{ phone: '1380013800a', amount: '50' }, 'phone'],
    [{ phone: NUMBER, amount: '5' }, 'amount'],
    [{ phone: NUMBER, amount: '15' }, 'amount'],
    [{ phone: NUMBER, amount: '10.50' }, 'amount'],
    [{ phone: NUMBER, amount: '0' }, 'amount'],
  ])('refuses %o naming %s before anything is sent', async (input, field) => {
    await open('2026-11-26T10:00:00');
    const err = await k.engine.create('mobile-topup', input, TELLER).catch((e) => e);
    expect(err.code).toMatch(/KIOSK_E_INVALID/);
    expect((err.issues ?? [err]).map((i: { field: string }) => i.field)).toContain(field);
    expect(hq.requests).toEqual([]);
    expect(k.balance.summary().held).toBe('0.00');
  });

  it('accepts 10 and multiples of 10, full-width digits included', async () => {
    await open('2026-11-26T10:00:00');
    const t = await k.engine.create(
      'mobile-topup',
      { phone: '１３８００１３８０００', amount: '１００' },
      TELLER,
    );
    expect(t.fields).toEqual({ phone: NUMBER, amount: '100.00' });
  });

  it('checks the amount rules and the available balance before asking HQ about the number', async () => {
    await open('2026-11-26T10:00:00');
    await expect(
      k.engine.create('mobile-topup', { phone: NUMBER, amount: '15' }, TELLER),
    ).rejects.toMatchObject({ code: 'KIOSK_E_INVALID_INPUT' });
    await expect(
      k.engine.create('mobile-topup', { phone: NUMBER, amount: '510' }, TELLER),
    ).rejects.toMatchObject({ code: 'KIOSK_E_INSUFFICIENT_BALANCE', field: 'amount' });
    expect(() => k.engine.checkLocal('mobile-topup', { phone: NUMBER, amount: '510' }, TELLER)).toThrow(
      /可用余额/,
    );
    expect(hq.requests).toEqual([]);
  });

  it('refuses a number outside the enabled regions before holding anything', async () => {
    await open('2026-11-26T10:00:00');
    hq.script('query', {
      outcome: 'declined',
      reason: { code: 'BILLER_REGION', zh: '该号码不属于开通地区', en: 'number outside the enabled regions' },
    });
    const err = await k.engine
      .create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER)
      .catch((e) => e);
    expect(err).toMatchObject({ field: 'phone', zh: '该号码不属于开通地区' });
    expect(hq.count('pay')).toBe(0);
    expect(k.journal.lastCounters.serial).toBe(0);
  });

  it('waits for an asynchronous result, asking by itself, and alerts after 30 minutes unknown', async () => {
    await open('2026-11-26T10:00:00');
    hq.script('pay', 'pending');
    const alerts: string[] = [];
    k.engine.on('alert', (_t, name) => alerts.push(name));
    const t = await k.engine.create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER);
    await advance(k.engine, 29 * 60_000);
    expect((await k.engine.get(t.serial)).state).toBe('querying');
    expect(hq.count('status')).toBeGreaterThanOrEqual(10);
    expect(alerts).toEqual([]);
    await advance(k.engine, 2 * 60_000);
    expect(alerts).toEqual(['status-unknown']);
    hq.settle(t.idempotencyKey, 'ok');
    await advance(k.engine, 2 * 60_000);
    expect((await k.engine.get(t.serial)).state).toBe('succeeded');
  });

  it('raises a still-pending top-up as an error of the day when the day cut passes', async () => {
    await open('2026-11-26T20:40:00');
    hq.script('pay', 'pending');
    const alerts: string[] = [];
    k.engine.on('alert', (_t, name) => alerts.push(name));
    await k.engine.create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER);
    await advance(k.engine, 19 * 60_000, 30_000);
    expect(alerts).not.toContain('unresolved-after-day-cut');
    await advance(k.engine, 3 * 60_000, 30_000);
    expect(alerts).toContain('unresolved-after-day-cut');
  });

  it('cannot reverse a pending top-up until a query confirms it', async () => {
    await open('2026-11-26T10:00:00');
    hq.script('pay', 'pending');
    const t = await k.engine.create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER);
    await advance(k.engine, 10);
    await expect(
      k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' }),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_ACTION_NOT_ALLOWED',
    });
    expect(hq.count('reverse')).toBe(0);
  });

  it('reverses in two phases: request, then queries until success, then credits back', async () => {
    await open('2026-11-26T10:00:00');
    const t = await paid();
    await k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50.00' });
    await advance(k.engine, 10);
    expect((await k.engine.get(t.serial)).state).toBe('reverse-querying');
    expect(hq.count('reverse')).toBe(1);
    await advance(k.engine, 60 * 60_000, 60_000);
    expect(k.balance.summary().balance).toBe('450.00');
    hq.settleReversal(t.idempotencyKey, 'ok');
    // Past the first hour the kiosk asks every 10 minutes.
    await advance(k.engine, 11 * 60_000, 60_000);
    expect(await k.engine.get(t.serial)).toMatchObject({ state: 'reversed', result: 'reversed' });
    expect(k.balance.summary().balance).toBe('500.00');
  });

  it('asks for the number and amount again and refuses a mismatch', async () => {
    await open('2026-11-26T10:00:00');
    const t = await paid();
    const err = await k.engine
      .act(t.serial, 'reverse', TELLER, { phone: '13900139000', amount: '60' })
      .catch((e) => e);
    expect(err.issues.map((i: { field: string }) => i.field).sort()).toEqual(['amount', 'phone']);
    expect(hq.count('reverse')).toBe(0);
  });

  it('accepts no reversal request from 20:00 to 22:00', async () => {
    await open('2026-11-26T19:50:00', '23:00');
    const t = await paid();
    await advance(k.engine, 10 * 60_000, 60_000);
    await expect(k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' })).rejects.toThrow(
      /20:00–22:00/,
    );
    await advance(k.engine, 119 * 60_000, 60_000);
    await expect(k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' })).rejects.toThrow(
      /20:00–22:00/,
    );
    expect(hq.count('reverse')).toBe(0);
  });

  it('a reversal accepted at 19:59 whose request would be sent after 20:00 waits, then the 22:00 rule applies', async () => {
    await open('2026-11-26T19:50:00', '23:00', { maxAttempts: 100, retryMaxDelayMs: 60_000 });
    const t = await paid();
    await advance(k.engine, 9 * 60_000, 60_000);
    // 19:59: accepted, but HQ does not answer the question before the request until 20:01.
    hq.script('query', 'throw');
    await k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' });
    await advance(k.engine, 2 * 60_000, 1000);
    hq.script('query', QUERY_OK);
    await advance(k.engine, 2 * 60_000, 1000);
    expect((await k.engine.get(t.serial)).state).toBe('reversing');
    await advance(k.engine, 115 * 60_000, 60_000);
    expect(hq.count('reverse')).toBe(0);
    // 22:00: the request is decided again; a transaction from before the day cut is refused unsent.
    await advance(k.engine, 5 * 60_000, 60_000);
    const done = await k.engine.get(t.serial);
    expect(done).toMatchObject({ state: 'reverse-refused', result: 'succeeded' });
    expect(done.reason?.zh).toContain('22:00');
    expect(hq.count('reverse')).toBe(0);
    expect(k.balance.summary().balance).toBe('450.00');
  });

  it('a reversal request that may have been sent before the window is not declared refused: it is queried', async () => {
    await open('2026-11-26T10:00:00');
    const ctx = { clock: { now: () => sh('2026-11-26T22:05:00') }, config: k.config };
    const base = { createdAt: sh('2026-11-26T19:50:00'), businessDate: '20261126' } as TxnRecord;
    expect(mobileReversalSendGate({ ...base, attempts: 0 }, ctx)).toMatchObject({
      outcome: { outcome: 'declined' },
    });
    expect(mobileReversalSendGate({ ...base, attempts: 1 }, ctx)).toMatchObject({
      outcome: { outcome: 'unknown' },
    });
    const inWindow = { clock: { now: () => sh('2026-11-26T20:30:00') }, config: k.config };
    expect(mobileReversalSendGate({ ...base, attempts: 1 }, inWindow)).toEqual({
      waitUntil: sh('2026-11-26T22:00:00'),
    });
  });

  it('after 22:00 cannot reverse a transaction from before the day cut', async () => {
    // With the cut at 23:00 the same-day rule alone would allow it; the 22:00 rule does not.
    await open('2026-11-26T19:30:00', '23:00');
    const t = await paid();
    await advance(k.engine, 2 * 60 * 60_000 + 31 * 60_000, 60_000);
    await expect(k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' })).rejects.toThrow(
      /22:00/,
    );
  });

  it('reverses only transactions of the same-day journal', async () => {
    await open('2026-11-26T18:00:00');
    const t = await paid();
    expect(t.businessDate).toBe('20261126');
    // Next business day, outside the blackout: refused although nothing else forbids it.
    await advance(k.engine, 15 * 60 * 60_000, 10 * 60_000);
    await expect(k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' })).rejects.toThrow(
      /当日/,
    );
    expect(hq.count('reverse')).toBe(0);
  });

  it('refuses to reverse a number more than 20 yuan in arrears, without sending the reversal', async () => {
    await open('2026-11-26T10:00:00');
    const t = await paid();
    hq.script('query', { outcome: 'ok', data: { city: '安庆', arrears: '20.01' } });
    await k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' });
    await advance(k.engine, 10);
    const done = await k.engine.waitFor(t.serial, final);
    expect(done.state).toBe('reverse-refused');
    expect(done.reason?.zh).toContain('20.01');
    expect(hq.count('reverse')).toBe(0);
    expect(k.balance.summary().balance).toBe('450.00');
  });

  it('reverses a number exactly 20 yuan in arrears', async () => {
    await open('2026-11-26T10:00:00');
    const t = await paid();
    hq.script('query', { outcome: 'ok', data: { city: '安庆', arrears: '20.00' } });
    await k.engine.act(t.serial, 'reverse', TELLER, { phone: NUMBER, amount: '50' });
    await advance(k.engine, 10);
    expect(hq.count('reverse')).toBe(1);
  });

  it('resumes a pending top-up after a restart and keeps asking', async () => {
    await open('2026-11-26T10:00:00');
    hq.script('pay', 'pending');
    const t = await k.engine.create('mobile-topup', { phone: NUMBER, amount: '50' }, TELLER);
    await advance(k.engine, 10);
    await k.close();
    k = await openKiosk(dir.path, hq, { config: k.config, services: SERVICE_CATALOGUE });
    hq.settle(t.idempotencyKey, 'ok');
    await advance(k.engine, 60_000);
    expect((await k.engine.get(t.serial)).state).toBe('succeeded');
    expect(hq.charges.get(t.idempotencyKey)).toBe(1);
  });
});
