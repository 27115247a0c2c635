import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// A crash right after the write that holds both steps (real process, SIGKILL): crash-recovery.test.ts.
import type { EffectState, ServiceDefinition, TxnRecord } from '../../../src/core/transaction/types.ts';
import type { HqRequest } from '../../../src/engine/ports.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { onBatchWrite } from '../../support/batch-writes.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';
import { testBillService } from '../../support/test-service.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const INPUT = { phone: '13800138000', amount: '30' };
const terminal = (t: TxnRecord) => t.terminal;

/** The test bill with its first state (`paying`) changed by `change`. */
function withPaying(id: string, change: Partial<EffectState>): ServiceDefinition {
  const paying = testBillService.states.paying as EffectState;
  return { ...testBillService, id, states: { ...testBillService.states, paying: { ...paying, ...change } } };
}

/** What the journal held, durably, at the moment HQ received each request. */
class WatchingHq extends FakeHq {
  readonly seen: Array<{ op: string; stored: TxnRecord | null; syncedWrites: number }> = [];
  syncedWrites = 0;
  k?: Harness;
  override async request(req: HqRequest, signal: AbortSignal) {
    this.seen.push({
      op: req.op,
      stored: (await this.k?.journal.getTxn(req.serial)) ?? null,
      syncedWrites: this.syncedWrites,
    });
    return super.request(req, signal);
  }
}

async function eventTypes(k: Harness, serial: string): Promise<string[]> {
  const types: string[] = [];
  for await (const ev of k.journal.events()) if (ev.serial === serial) types.push(ev.type);
  return types;
}

describe('a new transaction whose first request is due at once', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: WatchingHq;

  beforeEach(async () => {
    dir = await tempDir();
    hq = new WatchingHq();
    const enabled = ['test-bill', 'later-bill', 'window-bill'];
    k = await openKiosk(dir.path, hq, {
      // HQ here reads the journal while it answers (real I/O): no fake-time step may time it out.
      config: await testConfig({ services: { enabled, fees: {} }, engine: { requestTimeoutMs: 600_000 } }),
      services: [
        testBillService,
        withPaying('later-bill', { delayMs: (attempt) => (attempt === 1 ? 5_000 : 0) }),
        withPaying('window-bill', { beforeSend: (_t, ctx) => ({ waitUntil: ctx.clock.now() + 60_000 }) }),
      ],
    });
    hq.k = k;
    await k.balance.applyHqEvent({ kind: 'topup', fen: 100_00, ref: 'slip-1' });
    onBatchWrite(k.journal.raw, (sync) => {
      if (sync) hq.syncedWrites++;
    });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await k.close();
    await dir.cleanup();
  });

  it('writes the transaction, its hold and the first intent in one durable write, before the request', async () => {
    const t = await k.engine.create('test-bill', INPUT, TELLER);
    // `create` answers with the transaction already in flight: its intent is durable.
    expect(t).toMatchObject({ state: 'paying', attempts: 1, inFlight: { state: 'paying', attempt: 1 } });
    const done = await k.engine.waitFor(t.serial, terminal);
    expect(done.state).toBe('succeeded');
    expect(hq.seen).toHaveLength(1);
    expect(hq.seen[0]?.syncedWrites).toBe(1);
    expect(hq.seen[0]?.stored).toMatchObject({ attempts: 1, inFlight: { state: 'paying', attempt: 1 } });
    expect(hq.syncedWrites).toBe(2);
    // Still three steps, each its own event in the hash chain.
    expect(await eventTypes(k, t.serial)).toEqual(['txn.created', 'txn.intent', 'txn.transition']);
    expect(hq.requests[0]?.idempotencyKey).toBe(`${t.idempotencyKey}:pay:0`);
    expect(k.balance.summary()).toMatchObject({ balance: '70.00', held: '0.00' });
    expect((await verifyJournal(k.journal)).problems).toEqual([]);
  });

  it('tells listeners of the created step and then of the intent, in order', async () => {
    const heard: string[] = [];
    k.engine.on('txn', (txn, ev) => heard.push(`${ev.type} ${txn.state}${txn.inFlight ? ' in flight' : ''}`));
    const t = await k.engine.create('test-bill', INPUT, TELLER);
    await k.engine.waitFor(t.serial, terminal);
    expect(heard).toEqual(['txn.created paying', 'txn.intent paying in flight', 'txn.transition succeeded']);
  });

  /** Creates a `service` transaction at a fixed fake time and checks it waits `ms` unsent, with no intent. */
  async function createdUnsent(service: string, ms: number): Promise<TxnRecord> {
    useFakeClock(Date.UTC(2026, 5, 1, 2, 0, 0));
    const t = await k.engine.create(service, INPUT, TELLER);
    expect(t.inFlight).toBeUndefined();
    await advance(k.engine, ms);
    expect(hq.seen).toHaveLength(0);
    expect(await eventTypes(k, t.serial)).toEqual(['txn.created']);
    expect((await k.journal.getTxn(t.serial))?.inFlight).toBeUndefined();
    return t;
  }

  it('writes no intent with a first attempt that is due later; it is written when due', async () => {
    const t = await createdUnsent('later-bill', 1_000);
    await advance(k.engine, 4_000);
    const done = await k.engine.waitFor(t.serial, terminal);
    expect(done.state).toBe('succeeded');
    expect(hq.seen[0]?.syncedWrites).toBe(2);
    expect(await eventTypes(k, t.serial)).toEqual(['txn.created', 'txn.intent', 'txn.transition']);
  });

  it('writes no intent while a window holds the first request back', async () => {
    await createdUnsent('window-bill', 30_000);
  });
});
