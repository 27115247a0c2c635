import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { onBatchWrite } from '../../support/batch-writes.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const terminal = (t: TxnRecord) => t.terminal;

/** The customer's order is paid (counter or QR): what lets self-service start a transaction. */
const PAID = { paid: true } as const;

describe('transaction engine', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: FakeHq;

  beforeEach(async () => {
    dir = await tempDir();
    hq = new FakeHq();
    k = await openKiosk(dir.path, hq);
    await k.balance.applyHqEvent({ kind: 'topup', fen: 100_00, ref: 'slip-1' });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await k.close();
    await dir.cleanup();
  });

  it('pays, captures the hold and records every step durably', async () => {
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER);
    expect(t.serial).toBe('0000000001');
    expect(k.balance.summary()).toMatchObject({ balance: '100.00', held: '30.00', available: '70.00' });
    const done = await k.engine.waitFor(t.serial, terminal);
    expect(done).toMatchObject({ state: 'succeeded', result: 'succeeded', feeFen: 100, amountFen: 3000 });
    expect(k.balance.summary()).toMatchObject({ balance: '70.00', held: '0.00', available: '70.00' });
    expect(hq.requests[0]).toMatchObject({ op: 'pay', serial: t.serial, payload: { amount: '30.00' } });
    expect(hq.requests[0]?.idempotencyKey).toBe(`${t.idempotencyKey}:pay:0`);
    const types: string[] = [];
    for await (const ev of k.journal.events()) if (ev.serial === t.serial) types.push(ev.type);
    expect(types).toEqual(['txn.created', 'txn.intent', 'txn.transition']);
    expect((await verifyJournal(k.journal)).problems).toEqual([]);
  });

  it('releases the hold when the biller declines', async () => {
    hq.script('pay', 'declined');
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER);
    const done = await k.engine.waitFor(t.serial, terminal);
    expect(done.state).toBe('failed');
    expect(k.balance.summary()).toMatchObject({ balance: '100.00', held: '0.00' });
  });

  it('refuses a transaction above the available balance before anything is sent', async () => {
    await expect(
      k.engine.create('test-bill', { phone: '13800138000', amount: '100.01' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_INSUFFICIENT_BALANCE',
    });
    expect(hq.requests).toHaveLength(0);
    expect(k.journal.lastCounters.serial).toBe(0);
    expect(await k.journal.openSerials()).toEqual([]);
  });

  it('refuses bad input naming every field in Chinese and English, writing nothing', async () => {
    const before = k.journal.lastCounters;
    const err = await k.engine
      .create('test-bill', { phone: '1380013800', amount: '1e3' }, TELLER)
      .catch((e) => e);
    expect(err.code).toBe('KIOSK_E_INVALID_INPUT');
    expect(err.issues.map((i: { field: string }) => i.field).sort()).toEqual(['amount', 'phone']);
    expect(err.message).toContain('手机号码');
    expect(err.message).toContain('Phone number');
    expect(k.journal.lastCounters).toEqual(before);
  });

  it('refuses a disabled service, unpaid self-service and self-service above its cap', async () => {
    await expect(k.engine.create('nope', {}, TELLER)).rejects.toMatchObject({
      code: 'KIOSK_E_UNKNOWN_SERVICE',
      field: 'service',
    });
    await expect(
      k.engine.create('test-bill', { phone: '13800138000', amount: '200' }, { channel: 'self' }, PAID),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_SELF_SERVICE_LIMIT',
    });
    // A customer on their own never spends the station's balance before paying (an order).
    await expect(
      k.engine.create('test-bill', { phone: '13800138000', amount: '50' }, { channel: 'self' }),
    ).rejects.toMatchObject({ code: 'KIOSK_E_PAYMENT_REQUIRED', field: 'tender' });
    const ok = await k.engine.create(
      'test-bill',
      { phone: '13800138000', amount: '50' },
      { channel: 'self' },
      PAID,
    );
    expect(ok.operator).toBeNull();
    expect(ok.channel).toBe('self');
  });

  it('turns a timeout into unknown (never failed) and resolves it by status query', async () => {
    useFakeClock(Date.parse('2026-11-26T10:00:00+08:00'));
    hq.script('pay', 'hang');
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER);
    const querying = k.engine.waitFor(t.serial, (x) => x.state === 'querying');
    await advance(k.engine, 1000);
    expect((await querying).reason?.code).toBe('KIOSK_E_TIMEOUT');
    hq.settle(t.idempotencyKey, 'ok');
    await advance(k.engine, 30_000);
    const done = await k.engine.waitFor(t.serial, terminal);
    expect(done.state).toBe('succeeded');
    expect(hq.charges.get(t.idempotencyKey)).toBe(1);
  });

  it('keeps asking while pending and raises the 30-minute alert once', async () => {
    useFakeClock(Date.parse('2026-11-26T10:00:00+08:00'));
    hq.script('pay', 'pending');
    const alerts: string[] = [];
    k.engine.on('alert', (_t, name) => alerts.push(name));
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER);
    await advance(k.engine, 29 * 60_000);
    expect(alerts).toEqual([]);
    await advance(k.engine, 61_000);
    expect(alerts).toEqual(['status-unknown']);
    await advance(k.engine, 10 * 60_000);
    expect(alerts).toEqual(['status-unknown']);
    expect(hq.count('status')).toBeGreaterThan(50);
    hq.settle(t.idempotencyKey, 'declined');
    await advance(k.engine, 30_000);
    expect((await k.engine.get(t.serial)).state).toBe('failed');
    expect(k.balance.summary().held).toBe('0.00');
  });

  it('reverses in two phases and credits only after the reversal query says success', async () => {
    useFakeClock(Date.parse('2026-11-26T10:00:00+08:00'));
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER);
    await k.engine.waitFor(t.serial, terminal);
    await expect(k.engine.act(t.serial, 'reverse', { channel: 'self' })).rejects.toMatchObject({
      code: 'KIOSK_E_FORBIDDEN',
    });
    await k.engine.act(t.serial, 'reverse', TELLER);
    await advance(k.engine, 1);
    expect((await k.engine.get(t.serial)).state).toBe('reverse-querying');
    expect(k.balance.summary().balance).toBe('70.00');
    await advance(k.engine, 5 * 60_000);
    expect(k.balance.summary().balance).toBe('70.00');
    hq.settleReversal(t.idempotencyKey, 'ok');
    await advance(k.engine, 60_000);
    const done = await k.engine.get(t.serial);
    expect(done).toMatchObject({ state: 'reversed', result: 'reversed', generation: 1 });
    expect(k.balance.summary().balance).toBe('100.00');
    expect(hq.requests.find((r) => r.op === 'reverse')?.idempotencyKey).toBe(`${t.idempotencyKey}:reverse:1`);
    await expect(k.engine.act(t.serial, 'reverse', TELLER)).rejects.toMatchObject({
      code: 'KIOSK_E_ACTION_NOT_ALLOWED',
    });
  });

  it('refuses everything in safe mode', async () => {
    k.engine.enterSafeMode({ zh: '流水损坏', en: 'journal corrupted' });
    await expect(
      k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_SAFE_MODE',
    });
    expect(hq.requests).toHaveLength(0);
  });

  it('refuses the transaction before any money moves when the journal cannot write', async () => {
    const undo = onBatchWrite(k.journal.raw, () => {
      throw Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' });
    });
    await expect(
      k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_JOURNAL_WRITE',
    });
    undo();
    // Refused until reopened: LevelDB's state after an I/O error is unknown.
    await expect(
      k.engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_JOURNAL_WRITE',
    });
    expect(hq.requests).toHaveLength(0);
    expect(k.balance.summary()).toMatchObject({ balance: '100.00', held: '0.00' });
  });
});
