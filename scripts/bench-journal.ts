import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { z } from 'zod';
import { BalanceService } from '../src/balance/balance-service.ts';
import { loadConfig } from '../src/config/load.ts';
import { systemClock } from '../src/core/clock.ts';
import { Money } from '../src/core/money.ts';
import { digits, money } from '../src/core/transaction/fields.ts';
import { paymentFlow } from '../src/core/transaction/flows.ts';
import type { EffectResult, ServiceDefinition, TxnRecord } from '../src/core/transaction/types.ts';
import { newTxnRecord } from '../src/engine/create-transaction.ts';
import { Engine } from '../src/engine/engine.ts';
import { ServiceRegistry } from '../src/engine/service-registry.ts';
import { ChainHeadFile, GENESIS } from '../src/journal/chain.ts';
import { Journal } from '../src/journal/journal.ts';
import { verifyJournal } from '../src/journal/verify.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { writeWithoutSync } from '../tests/support/batch-writes.ts';

/** A payment service for measuring; the same flow the real bill payments use. */
const benchService: ServiceDefinition = {
  id: 'bench-bill',
  title: { zh: '基准', en: 'Bench' },
  fields: z.strictObject({
    phone: digits({ min: 11, max: 11 }, { zh: '11位', en: '11 digits' }),
    amount: money(),
  }),
  fieldMeta: {
    phone: { zh: '手机号码', en: 'Phone', sensitive: 'phone' },
    amount: { zh: '金额', en: 'Amount' },
  },
  amount: (f) => Money.of((f as { amount: string }).amount),
  ...paymentFlow({ queryDelayMs: () => 30_000 }),
};

const PREPARED = {
  fields: { phone: '13800138000', amount: '10.00' },
  amount: Money.of('10'),
  fee: Money.ZERO,
};
const ACTOR = { channel: 'operator', code: 'B001', role: 'teller' } as const;

const instantHq = {
  request: async (): Promise<EffectResult> => ({ outcome: 'ok', data: { billerRef: 'B' } }),
};
const silentHq = { request: (): Promise<EffectResult> => new Promise(() => undefined) };

async function config() {
  return (
    await loadConfig({ file: undefined, overrides: { services: { enabled: ['bench-bill'], fees: {} } } })
  ).config;
}

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-bench-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bare `level` put with sync:true, the floor for any durable step. Microseconds per op. */
export async function benchBarePut(n: number): Promise<number> {
  return withDir(async (dir) => {
    const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    const value = 'x'.repeat(600);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await db.put(`k${String(i).padStart(10, '0')}`, value, { sync: true });
    const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
    await db.close();
    return us;
  });
}

/**
 * The journal alone: one atomic commit of a transaction step (event with the snapshot, snapshot,
 * counters) with sync:true, without the engine around it. Microseconds per commit.
 */
export async function benchJournalCommit(n: number): Promise<number> {
  return withDir(async (dir) => {
    const cfg = await config();
    const journal = new Journal({ path: dir, stationId: cfg.stationId, clock: systemClock });
    await journal.open();
    const base = newTxnRecord(
      benchService,
      PREPARED,
      ACTOR,
      '0000000001',
      cfg.stationId,
      Date.now(),
      cfg.business.dayCut,
    );
    await journal.commit((b) => b.putTxn(base));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      await journal.commit((b) => {
        const t = { ...base, attempts: i + 1, updatedAt: b.at };
        b.event({ type: 'txn.intent', serial: t.serial, txn: t });
        b.putTxn(t, base);
      });
    }
    const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
    await journal.close();
    return us;
  });
}

/**
 * The chain head write that follows every commit (fdatasync of a 128-byte slot beside the store),
 * microseconds per write: the price of detecting a lost log tail.
 */
export async function benchChainHead(n: number): Promise<number> {
  return withDir(async (dir) => {
    const file = new ChainHeadFile(dir);
    await file.reset({ event: 0, chain: GENESIS });
    const t0 = process.hrtime.bigint();
    for (let i = 1; i <= n; i++) await file.write({ event: i, chain: GENESIS });
    const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
    await file.close();
    return us;
  });
}

/** The real engine on a journal in `dir`, topped up, for timing transactions through it. */
export async function openEngineRig(dir: string): Promise<{
  /** Runs `n` transactions, `concurrency` at a time; resolves with the nanoseconds taken. */
  run: (n: number, concurrency?: number) => Promise<bigint>;
  close: () => Promise<void>;
}> {
  const cfg = await config();
  const journal = new Journal({ path: dir, stationId: cfg.stationId, clock: systemClock });
  await journal.open();
  const engine = new Engine({
    journal,
    clock: systemClock,
    config: () => cfg,
    logger: silentLogger(),
    services: new ServiceRegistry([benchService]),
    runners: { hq: instantHq },
  });
  await engine.start();
  await new BalanceService(journal, () => cfg, silentLogger()).applyHqEvent({
    kind: 'topup',
    fen: 1e9,
    ref: 'bench',
  });
  return {
    run: async (n, concurrency = 1) => {
      let next = 0;
      const lane = async () => {
        while (next < n) {
          next++;
          const t = await engine.create('bench-bill', { phone: '13800138000', amount: '10' }, ACTOR);
          await engine.waitFor(t.serial, (x) => x.terminal);
        }
      };
      const t0 = process.hrtime.bigint();
      await Promise.all(Array.from({ length: concurrency }, lane));
      return process.hrtime.bigint() - t0;
    },
    close: async () => {
      await engine.stop();
      await journal.close();
    },
  };
}

/**
 * `n` transactions through the real engine on a journal in `dir`, `concurrency` at a time (a
 * kiosk serving its counter and its screen at once). Each takes three steps (created+hold, intent,
 * outcome+capture), each its own event; the first two share one durable write, since the first
 * request is due at once. Resolves with the microseconds per step.
 */
export async function runEngineTransactions(dir: string, n: number, concurrency = 1): Promise<number> {
  const rig = await openEngineRig(dir);
  const ns = await rig.run(n, concurrency);
  await rig.close();
  return Number(ns) / 1000 / (3 * n);
}

/**
 * Transactions run before a step is timed (see benchStepAgainstBare). Measured on tmpfs (no flush
 * cost), successive rounds of 200 transactions took 1,400 µs each at first and about 300 µs from
 * the 2,500th on: V8 optimises the engine's code over its first few thousand transactions. A kiosk
 * runs for weeks, so the step is timed in that steady state.
 */
export const WARM_UP_TRANSACTIONS = 3000;

/**
 * An engine step against its baseline, a bare synced `level` put of 600 bytes, measured in
 * alternating rounds (`rounds` of 3×`perRound` puts and `perRound` transactions, which order
 * alternating too) so both see the same load on a shared machine. Microseconds per op each.
 */
export async function benchStepAgainstBare(
  n: number,
  concurrency = 1,
  rounds = 20,
): Promise<{ stepUs: number; bareUs: number }> {
  return withDir(async (dir) => {
    const rig = await openEngineRig(join(dir, 'journal'));
    const db = new Level<string, string>(join(dir, 'bare'), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    const value = 'x'.repeat(600);
    const perRound = Math.max(1, Math.ceil(n / rounds));
    let key = 0;
    const bareRound = async (): Promise<bigint> => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 3 * perRound; i++)
        await db.put(`k${String(key++).padStart(10, '0')}`, value, { sync: true });
      return process.hrtime.bigint() - t0;
    };
    let stepNs = 0n;
    let bareNs = 0n;
    // Warm-up: the JIT's start-up cost is not a step's (see WARM_UP_TRANSACTIONS).
    await rig.run(WARM_UP_TRANSACTIONS, concurrency);
    await bareRound();
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        bareNs += await bareRound();
        stepNs += await rig.run(perRound, concurrency);
      } else {
        stepNs += await rig.run(perRound, concurrency);
        bareNs += await bareRound();
      }
    }
    await rig.close();
    await db.close();
    const ops = 3 * perRound * rounds;
    return { stepUs: Number(stepNs) / 1000 / ops, bareUs: Number(bareNs) / 1000 / ops };
  });
}

/**
 * Builds a journal of `n` finished transactions (plus `open` unfinished ones) in the real on-disk
 * format, then measures opening it and resuming the open ones, and the full verification scan.
 */
export async function benchRecovery(
  n: number,
  open: number,
): Promise<{ openMs: number; verifyMs: number; problems: number; events: number }> {
  return withDir(async (dir) => {
    const cfg = await config();
    const fill = new Journal({ path: dir, stationId: cfg.stationId, clock: systemClock });
    await fill.open();
    await new BalanceService(fill, () => cfg, silentLogger()).applyHqEvent({
      kind: 'topup',
      fen: 1e10,
      ref: 'bench',
    });
    // Filling is not what is measured: write without fsync, in large batches.
    writeWithoutSync(fill.raw);
    const chunk = 500;
    for (let done = 0; done < n + open; done += chunk) {
      await fill.commit((b) => {
        for (let i = done; i < Math.min(done + chunk, n + open); i++) {
          const serial = b.nextSerial();
          let t: TxnRecord = newTxnRecord(
            benchService,
            PREPARED,
            ACTOR,
            serial,
            cfg.stationId,
            b.at,
            cfg.business.dayCut,
          );
          b.ledger({ kind: 'hold', serial, fen: t.amountFen });
          b.event({ type: 'txn.created', serial, txn: t });
          t = { ...t, attempts: 1, inFlight: { state: 'paying', attempt: 1, at: b.at } };
          b.event({ type: 'txn.intent', serial, txn: t });
          if (i < n) {
            t = {
              ...t,
              state: 'succeeded',
              terminal: true,
              result: 'succeeded',
              inFlight: undefined,
              data: { billerRef: 'B' },
            };
            b.ledger({ kind: 'capture', serial });
            b.event({ type: 'txn.transition', serial, from: 'paying', outcome: 'ok', txn: t });
          }
          b.putTxn(t);
        }
      });
    }
    await fill.close();

    const t0 = process.hrtime.bigint();
    const journal = new Journal({ path: dir, stationId: cfg.stationId, clock: systemClock });
    await journal.open();
    const engine = new Engine({
      journal,
      clock: systemClock,
      config: () => cfg,
      logger: silentLogger(),
      services: new ServiceRegistry([benchService]),
      runners: { hq: silentHq },
    });
    await engine.start();
    const openMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (journal.startupProblems.length > 0)
      throw new Error(`start-up check failed: ${journal.startupProblems[0]?.message}`);
    const t1 = process.hrtime.bigint();
    const report = await verifyJournal(journal);
    const verifyMs = Number(process.hrtime.bigint() - t1) / 1e6;
    await engine.stop(100);
    await journal.close();
    return { openMs, verifyMs, problems: report.problems.length, events: report.counts.events };
  });
}
