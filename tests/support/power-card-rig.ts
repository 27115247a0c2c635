import { vi } from 'vitest';
import { SimCardReader } from '../../devices/card-reader/sim-card-reader.ts';
import {
  DEMO_ISSUER_MASTER_KEY,
  demoElectricityCard,
  type VirtualElectricityCard,
} from '../../devices/card-reader/virtual-electricity-card.ts';
import { CardEffects } from '../../src/app/card-effects.ts';
import { BalanceService } from '../../src/balance/balance-service.ts';
import type { KioskConfig } from '../../src/config/schema.ts';
import { systemClock } from '../../src/core/clock.ts';
import { powerCard } from '../../src/core/services/power-card.ts';
import type { EffectResult } from '../../src/core/transaction/types.ts';
import { DeviceEffects } from '../../src/engine/device-effects.ts';
import { Engine } from '../../src/engine/engine.ts';
import type { HqPort, HqRequest } from '../../src/engine/ports.ts';
import { ServiceRegistry } from '../../src/engine/service-registry.ts';
import { Journal } from '../../src/journal/journal.ts';
import { createLogger, silentLogger } from '../../src/platform/logger.ts';
import { Accounts } from '../../src/reference-hq/accounts.ts';
import { BillerHub } from '../../src/reference-hq/biller-hub.ts';
import type { BillerEnv } from '../../src/reference-hq/billers/biller.ts';
import { MOBILE_REGIONS } from '../../src/reference-hq/billers/catalogue.ts';
import { powerCardBiller } from '../../src/reference-hq/billers/power-card.ts';
import { FaultController } from '../../src/reference-hq/faults.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import { LevelHqStore } from '../../src/reference-hq/store-level.ts';
import { tempDir, testConfig } from './kiosk-harness.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const realImmediate = globalThis.setImmediate;
const turn = (): Promise<void> => new Promise((r) => realImmediate(r));

export const STATION = '33010001';
export const CUSTOMER = '3301000123';

/**
 * What the link does with the next HQ request: `ok` delivers it and its answer; `lost` loses the
 * request (HQ never sees it); `no-answer` lets HQ process it and loses the answer; `twice` delivers
 * it twice (a duplicated message: the second gets the first answer).
 */
export type LinkFault = 'ok' | 'lost' | 'no-answer' | 'twice';

/**
 * The reference HQ's card biller behind an HqPort, with a link that can lose requests and answers.
 * Lost requests and answers never resolve: the engine's timeout turns them into `unknown`.
 */
export class LinkedHq implements HqPort {
  readonly faults: LinkFault[] = [];
  readonly hub: BillerHub;
  requests: HqRequest[] = [];
  /** Requests HQ is working on right now (real LevelDB I/O), for tests that move fake time. */
  busy = 0;
  constructor(private readonly env: BillerEnv) {
    this.hub = new BillerHub(
      new Map([['power-card', powerCardBiller({ masterKey: DEMO_ISSUER_MASTER_KEY })]]),
      env.store,
      new FaultController(),
      () => 0,
      async () => undefined,
    );
  }

  async request(req: HqRequest, signal: AbortSignal): Promise<EffectResult> {
    this.requests.push(req);
    const fault = this.faults.shift() ?? 'ok';
    const hang = () =>
      new Promise<EffectResult>((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    if (fault === 'lost') return hang();
    const msg = {
      v: 1 as const,
      id: `m${this.requests.length}`,
      replyTo: 'x',
      station: STATION,
      at: this.env.clock.now(),
      op: req.op,
      service: req.service,
      serial: req.serial,
      idempotencyKey: req.idempotencyKey,
      payload: req.payload,
    };
    this.busy++;
    let answer: Awaited<ReturnType<BillerHub['handle']>>;
    try {
      answer = await this.hub.handle(msg, this.env);
      if (fault === 'twice') await this.hub.handle({ ...msg, id: `${msg.id}b` }, this.env);
    } finally {
      this.busy--;
    }
    if (fault === 'no-answer') return hang();
    return answer.result ?? { outcome: 'unknown' };
  }
}

export interface Rig {
  config: KioskConfig;
  reader: SimCardReader;
  card: VirtualElectricityCard;
  hq: LinkedHq;
  hqStore: HqStore;
  accounts: Accounts;
  journal: Journal;
  engine: Engine;
  balance: BalanceService;
  /** Moves fake time forward in steps, letting the journal and HQ finish their real I/O after each. */
  advance(ms: number, step?: number): Promise<void>;
  /**
   * Awaits a call that may itself wait on a timer (an inquiry whose answer was lost ends with the
   * engine's request timeout), moving fake time meanwhile. A call still pending after `limitMs` of
   * fake time is an error, never a hang.
   */
  until<T>(work: Promise<T>, limitMs?: number): Promise<T>;
  /**
   * The process dies now: nothing more reaches the journal. An effect already on its way either
   * completes unseen (`effects: 'done'`, a crash after the side effect) or never happens (`lost`).
   */
  crash(effects: 'done' | 'lost'): void;
  /** The kiosk starts again on the same journal and resumes its open transactions. */
  restart(): Promise<void>;
  crashAndRestart(effects?: 'done' | 'lost'): Promise<void>;
  close(): Promise<void>;
}

/**
 * A kiosk engine running the power-card service on a real LevelDB journal, the simulated reader
 * with a demo card, and the reference HQ's biller on its own LevelDB store. Uses the system clock
 * (fake it with useFakeClock).
 */
export async function openPowerCardRig(opts: { balanceFen?: number } = {}): Promise<Rig> {
  const dir = await tempDir('power-card-rig-');
  const config = await testConfig({
    services: { enabled: ['power-card'], fees: {} },
    selfService: { services: ['power-card'], maxAmount: '500.00' },
    engine: { requestTimeoutMs: 2000, retryBaseDelayMs: 500, retryMaxDelayMs: 10_000 },
  });
  const reader = new SimCardReader({ transmitTimeoutMs: 1000 }, { clock: systemClock });
  await reader.start();
  const card = demoElectricityCard(CUSTOMER);
  reader.insertCard(card);
  const hqStore = new LevelHqStore(`${dir.path}/hq`);
  await hqStore.open();
  const accounts = new Accounts(hqStore, () => systemClock.now(), 0);
  await accounts.change(STATION, 1_000_000, 'seed', 'opening');
  const env: BillerEnv = {
    store: hqStore,
    clock: systemClock,
    accounts,
    station: { region: { province: '安徽', city: '安庆', areaType: 'city', areaCode: '0556' } },
    mobileRegions: MOBILE_REGIONS,
    dayCut: '21:00',
    pushBalance: async () => {},
  };
  const hq = new LinkedHq(env);
  // KIOSK_LOG_LEVEL=debug shows the engine's log (stderr) while a failing run is replayed.
  const logger = process.env.KIOSK_LOG_LEVEL
    ? createLogger({ destination: process.stderr, format: 'json' })
    : silentLogger();
  let generation = 0;
  let dead = false;
  let died = deferred();
  let dropEffects = false;
  /** Effects of a dead process either never happen (`dropEffects`) or complete unseen. */
  const gate =
    <A extends unknown[], R>(gen: number, fn: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> =>
      gen !== generation && dropEffects ? new Promise<R>(() => {}) : fn(...a);
  const build = async () => {
    const gen = ++generation;
    const devices = new DeviceEffects({ cardReader: new CardEffects(() => reader) });
    const journal = new Journal({
      path: `${dir.path}/kiosk`,
      stationId: config.stationId,
      clock: systemClock,
    });
    await journal.open();
    const engine = new Engine({
      journal,
      clock: systemClock,
      config: () => config,
      logger,
      services: new ServiceRegistry([powerCard]),
      runners: {
        hq: { request: gate(gen, (r: HqRequest, sig: AbortSignal) => hq.request(r, sig)) },
        device: { run: gate(gen, (...a: Parameters<DeviceEffects['run']>) => devices.run(...a)) },
      },
      devices: () => ({ cardReader: reader.health() }),
    });
    return { journal, engine, balance: new BalanceService(journal, () => config, logger) };
  };
  const first = await build();
  await first.balance.applyHqEvent({ kind: 'topup', fen: opts.balanceFen ?? 1_000_000, ref: 'opening' });
  const wake = () => rig.engine.hurry(() => true);
  reader.on('card-inserted', wake);
  await first.engine.start();
  const rig: Rig = {
    config,
    reader,
    card,
    hq,
    hqStore,
    accounts,
    ...first,
    async advance(ms, step = 500) {
      const settle = async () => {
        for (let i = 0; i < 3; i++) {
          // A dead process's drivers hang on their commits: only the living are waited for.
          // Commits are real disk writes: fake time moves on only once they are done, or a slow
          // disk would look like minutes of fake time passing with a commit still on its way.
          if (!dead)
            await Promise.race([
              Promise.all([rig.engine.whenIdle(turn), rig.journal.settled()]),
              died.promise,
            ]);
          else await turn();
          while (hq.busy > 0) await turn();
        }
      };
      await settle();
      for (let done = 0; done < ms; ) {
        const d = Math.min(step, ms - done);
        await vi.advanceTimersByTimeAsync(d);
        await settle();
        done += d;
      }
    },
    async until(work, limitMs = 10 * 60_000) {
      let settled = false;
      const watched = work.finally(() => {
        settled = true;
      });
      watched.catch(() => {});
      for (let waited = 0; !settled; waited += 500) {
        if (waited >= limitMs) throw new Error(`still pending after ${limitMs} ms of fake time`);
        await rig.advance(500);
      }
      return watched;
    },
    crash(effects) {
      dead = true;
      died.resolve();
      dropEffects = effects === 'lost';
      generation++;
      // Every later commit of the dead process hangs: it never reaches the disk.
      (rig.journal as { commit: unknown }).commit = () => new Promise(() => {});
    },
    async crashAndRestart(effects = 'done') {
      rig.crash(effects);
      await rig.restart();
    },
    async restart() {
      const old = rig.journal;
      // Its drivers hang on those commits, so stopping it is never awaited.
      void rig.engine.stop(0);
      await old.close();
      const next = await build();
      dead = false;
      died = deferred();
      rig.journal = next.journal;
      rig.engine = next.engine;
      rig.balance = next.balance;
      await next.engine.start();
    },
    async close() {
      reader.off('card-inserted', wake);
      await rig.engine.stop(100);
      await rig.journal.close();
      await hqStore.close();
      await reader.stop();
      await dir.cleanup();
    },
  };
  return rig;
}
