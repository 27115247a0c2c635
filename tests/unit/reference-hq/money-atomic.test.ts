import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { HqRequestMessage } from '../../../src/protocol/schemas/index.ts';
import { Accounts } from '../../../src/reference-hq/accounts.ts';
import { BillerHub } from '../../../src/reference-hq/biller-hub.ts';
import type { BillerEnv } from '../../../src/reference-hq/billers/biller.ts';
import { billerCatalogue } from '../../../src/reference-hq/billers/catalogue.ts';
import { arrearsFen, baseArrearsFen } from '../../../src/reference-hq/billers/customers.ts';
import type { PaymentRecord } from '../../../src/reference-hq/billers/payment-biller.ts';
import { FaultController } from '../../../src/reference-hq/faults.ts';
import type { HqStore, StoreOp } from '../../../src/reference-hq/store.ts';
import { LevelHqStore } from '../../../src/reference-hq/store-level.ts';

const S = '33010001';
const SEED = 100_000;
// 2026-11-26 10:00 in Asia/Shanghai.
const MORNING = Date.UTC(2026, 10, 26, 2, 0);

class CrashedError extends Error {}

/**
 * A store that dies after `allowed` durable writes: the next write and every one after it throw,
 * as if the process had been killed there. Whatever was written before is on disk.
 */
class DyingStore extends LevelHqStore {
  private writes = 0;
  constructor(
    path: string,
    private readonly allowed: number,
  ) {
    super(path);
  }
  get died(): boolean {
    return this.writes > this.allowed;
  }
  private step(): void {
    if (++this.writes > this.allowed) throw new CrashedError(`killed before write ${this.writes}`);
  }
  override async put(key: string, value: unknown): Promise<void> {
    this.step();
    await super.put(key, value);
  }
  override async del(key: string): Promise<void> {
    this.step();
    await super.del(key);
  }
  override async batch(ops: readonly StoreOp[]): Promise<void> {
    if (ops.length === 0) return;
    this.step();
    await super.batch(ops);
  }
}

/** Money still with the biller for a payment: everything but a refused or undone one. */
const CHARGED = new Set<string>(['pending', 'ok', 'reversal-pending', 'reversal-refused']);

describe('HQ moves money in one atomic write', () => {
  let dir: string;
  let clock: ManualClock;
  let n = 0;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-atomic-'));
    clock = new ManualClock(MORNING);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const parts = (store: HqStore) => {
    const accounts = new Accounts(store, () => clock.now(), 0);
    const hub = new BillerHub(
      billerCatalogue({ settleMs: 1000 }),
      store,
      new FaultController(),
      () => 0,
      async () => undefined,
    );
    const env: BillerEnv = {
      store,
      clock,
      accounts,
      station: {
        region: { province: '安徽', city: '安庆', areaType: 'city', areaCode: '0556' },
        terminal: { terminalNo: '12345678', status: 'enabled' },
      },
      mobileRegions: { 安徽: ['安庆'] },
      dayCut: '21:00',
      pushBalance: async () => undefined,
    };
    const call = (service: string, op: string, payload: Record<string, unknown>, key: string) => {
      const msg: HqRequestMessage = {
        v: 1,
        id: `id-${String(++n).padStart(8, '0')}`,
        replyTo: 'x',
        station: S,
        at: clock.now(),
        op,
        service,
        serial: '0000000001',
        idempotencyKey: `${key}:${op}:0`,
        payload,
      };
      return hub.handle(msg, env);
    };
    return { accounts, hub, env, call };
  };

  /** The station's HQ balance equals the seed minus what the biller records hold, fen. */
  async function ledgersAgree(): Promise<void> {
    const store = new LevelHqStore(dir);
    await store.open();
    try {
      const balance = (await new Accounts(store, () => clock.now(), 0).get(S)).balanceFen;
      let held = 0;
      for (const [key, rec] of await store.list<PaymentRecord>('b:')) {
        if (!key.includes(':r:')) continue;
        if (key.startsWith('b:power-card:')) {
          const status: string = rec.status;
          if (status !== 'acct-reversed' && status !== 'reversed') held += rec.amountFen;
        } else if (rec.service === 'prepaid-card-topup') held -= rec.amountFen;
        else if (CHARGED.has(rec.status)) held += rec.amountFen;
      }
      expect({ balance, at: 'after a kill' }).toEqual({ balance: SEED - held, at: 'after a kill' });
    } finally {
      await store.close();
    }
  }

  /**
   * Runs `setup` on a healthy store, then `step` on a store killed after 0, 1, 2 … writes until
   * `step` completes; after every kill the two ledgers agree, and `step` run again on a healthy
   * store (the kiosk repeating its request) completes with them still in agreement.
   */
  async function everyKillPoint(
    setup: (p: ReturnType<typeof parts>) => Promise<void>,
    step: (p: ReturnType<typeof parts>) => Promise<void>,
  ): Promise<number> {
    for (let allowed = 0; allowed < 20; allowed++) {
      await rm(dir, { recursive: true, force: true });
      clock.set(MORNING);
      const healthy = new LevelHqStore(dir);
      await healthy.open();
      const p = parts(healthy);
      await p.accounts.change(S, SEED, 'seed', 'test');
      await setup(p);
      await healthy.close();
      const dying = new DyingStore(dir, allowed);
      await dying.open();
      let completed = true;
      try {
        await step(parts(dying));
      } catch (e) {
        if (!(e instanceof CrashedError)) throw e;
        completed = false;
      } finally {
        await dying.close();
      }
      await ledgersAgree();
      if (completed && !dying.died) return allowed;
      const again = new LevelHqStore(dir);
      await again.open();
      await step(parts(again));
      await again.close();
      await ledgersAgree();
    }
    throw new Error('the step never completed');
  }

  const water = { fields: { account: '12345678' }, amount: '50.00' };

  it('a payment: the debit and the payment record are written together', async () => {
    const writes = await everyKillPoint(
      async () => undefined,
      async ({ call }) => {
        expect((await call('water-bill', 'pay', water, 'W1')).result?.outcome).toBe('ok');
      },
    );
    expect(writes).toBeGreaterThan(0);
  });

  it('an arrears payment and its reversal keep the arrears with the money', async () => {
    await everyKillPoint(
      async ({ call }) => {
        await call('water-bill', 'pay', water, 'W1');
      },
      async ({ call, env }) => {
        const res = await call('water-bill', 'reverse', { ...water, ref: null }, 'W1');
        expect(res.result?.outcome).toBe('ok');
        expect(await arrearsFen(env.store, 'water-bill', '12345678')).toBe(
          baseArrearsFen('water-bill', '12345678'),
        );
      },
    );
  });

  it('an asynchronous payment refused at settlement: the refund and the record together', async () => {
    await everyKillPoint(
      async ({ call }) => {
        await call('mobile-topup', 'pay', { fields: { phone: '13812344444' }, amount: '30.00' }, 'M1');
        clock.advance(1000);
      },
      async ({ hub, env }) => {
        clock.set(MORNING + 1000);
        await hub.tick(env, 'settle');
      },
    );
  });

  it('a manual reversal processed by the biller: the credit and the record together', async () => {
    await everyKillPoint(
      async ({ call, hub, env }) => {
        await call('mobile-topup', 'pay', { fields: { phone: '13812345678' }, amount: '50.00' }, 'M1');
        clock.advance(1000);
        await hub.tick(env, 'settle');
        await call('mobile-topup', 'reverse', { fields: { phone: '13812345678' }, amount: '50.00' }, 'M1');
      },
      async ({ hub, env }) => {
        await hub.tick(env, 'reversals');
      },
    );
  });

  it('power card: accounting reversal and confirmed purchase reversal', async () => {
    const buy = (amount: string) => ({
      fields: { customerNo: '3301000123' },
      amount,
      card: { cardSerial: 'D000003301000123', purchaseCounter: 0 },
    });
    await everyKillPoint(
      async () => undefined,
      async ({ call }) => {
        expect((await call('power-card', 'pay', buy('100.00'), 'C1')).result?.outcome).toBe('ok');
      },
    );
    await everyKillPoint(
      async ({ call }) => {
        await call('power-card', 'pay', buy('100.00'), 'C1');
      },
      async ({ call }) => {
        const res = await call('power-card', 'accounting-reverse', { ref: null }, 'C1');
        expect(res.result?.outcome).toBe('ok');
      },
    );
    await everyKillPoint(
      async ({ call }) => {
        await call('power-card', 'pay', buy('50.00'), 'C2');
        await call('power-card', 'write-confirm', { ref: null }, 'C2');
        await call(
          'power-card',
          'reverse',
          { amount: '50.00', card: { cardSerial: 'D000003301000123', purchaseCounter: 1 } },
          'C2',
        );
      },
      async ({ call }) => {
        const res = await call('power-card', 'reverse-write-confirm', { ref: null }, 'C2');
        expect(res.result?.outcome).toBe('ok');
      },
    );
  });

  it('a card top-up of the prepaid balance', async () => {
    await everyKillPoint(
      async () => undefined,
      async ({ call }) => {
        const res = await call(
          'prepaid-card-topup',
          'pay',
          { fields: { debitCard: '6221881234567890' }, amount: '200.00' },
          'P1',
        );
        expect(res.result?.outcome).toBe('ok');
      },
    );
  });
});
