import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { Accounts } from '../../../src/reference-hq/accounts.ts';
import type { BillerEnv, BillerRequest } from '../../../src/reference-hq/billers/biller.ts';
import { MOBILE_REGIONS } from '../../../src/reference-hq/billers/catalogue.ts';
import { paymentBiller } from '../../../src/reference-hq/billers/payment-biller.ts';
import { LevelHqStore } from '../../../src/reference-hq/store-level.ts';

const S = '33010001';

/** A request about transaction T1 (12.34 yuan to account 55501234). */
const req = (op: string): BillerRequest => ({
  station: S,
  service: 'water-bill',
  op,
  serial: '0000000001',
  txnKey: 'T1',
  idempotencyKey: `T1:${op}:0`,
  payload: { fields: { account: '55501234' }, amount: '12.34' },
});

/**
 * A biller step that is slow to go on (another HQ instance, a busy biller): `held` signals
 * `inCheck` when reached, then waits until `release()`; `checking()` signals it by hand.
 */
function slowStep() {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let checking!: () => void;
  const inCheck = new Promise<void>((r) => {
    checking = r;
  });
  const held = async () => {
    checking();
    await gate;
    return null;
  };
  return { release, checking, inCheck, held };
}

describe('requests about one transaction at HQ (pay, status, reversal, reversal status)', () => {
  let dir: string;
  let store: LevelHqStore;
  let accounts: Accounts;
  let env: BillerEnv;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pay-status-'));
    store = new LevelHqStore(dir);
    await store.open();
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 2, 0));
    accounts = new Accounts(store, () => clock.now(), 10_000);
    await accounts.openIfNew(S);
    env = {
      store,
      clock,
      dayCut: '21:00',
      accounts,
      station: {},
      mobileRegions: MOBILE_REGIONS,
      pushBalance: async () => undefined,
    };
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('never both finds no payment and charges one: a query waits for the payment in progress', async () => {
    const { release, checking, inCheck, held } = slowStep();
    const biller = paymentBiller({
      service: 'water-bill',
      title: 'water',
      accountFields: ['account'],
      reversal: 'none',
      // The payment is past its tombstone check and slow to go on (another HQ instance, a busy biller).
      check: held,
    });
    const pay = biller.ops.pay!(req('pay'), env);
    // A pay refused before its check would leave the query waiting forever: fail at once instead.
    void pay.then((r) => r.outcome !== 'ok' && checking());
    await inCheck;
    const status = biller.ops.status!(req('status'), env);
    release();
    const [paid, queried] = await Promise.all([pay, status]);
    expect(paid.outcome).toBe('ok');
    expect(queried.outcome).toBe('ok');
    expect((await accounts.get(S)).balanceFen).toBe(10_000 - 1234);
  });

  it('never answers "no reversal requested" while a reversal of it is crediting the station', async () => {
    const { release, checking, inCheck, held } = slowStep();
    const biller = paymentBiller({
      service: 'water-bill',
      title: 'water',
      accountFields: ['account'],
      reversal: 'immediate',
      // The reversal is past its checks and slow to go on (another HQ instance, a busy biller).
      reversalCheck: held,
    });
    expect((await biller.ops.pay!(req('pay'), env)).outcome).toBe('ok');
    const reverse = biller.ops.reverse!(req('reverse'), env);
    void reverse.then((r) => r.outcome !== 'ok' && checking());
    await inCheck;
    const status = biller.ops['reverse-status']!(req('reverse-status'), env);
    release();
    const [reversed, queried] = await Promise.all([reverse, status]);
    expect(reversed.outcome).toBe('ok');
    expect(queried.outcome).toBe('ok');
    expect((await accounts.get(S)).balanceFen).toBe(10_000);
  });
});
