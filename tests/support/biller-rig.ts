import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.ts';
import type { HqRequestMessage } from '../../src/protocol/schemas/index.ts';
import { Accounts } from '../../src/reference-hq/accounts.ts';
import { BillerHub, type HubAnswer } from '../../src/reference-hq/biller-hub.ts';
import type { BillerEnv, StationInfo } from '../../src/reference-hq/billers/biller.ts';
import { billerCatalogue, MOBILE_REGIONS } from '../../src/reference-hq/billers/catalogue.ts';
import { FaultController } from '../../src/reference-hq/faults.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import { LevelHqStore } from '../../src/reference-hq/store-level.ts';

/** The station every request comes from. */
export const RIG_STATION = '33010001';
/** 2026-11-26 10:00 in Asia/Shanghai. */
export const RIG_MORNING = Date.UTC(2026, 10, 26, 2, 0);

export interface BillerRig {
  store: HqStore;
  clock: ManualClock;
  accounts: Accounts;
  hub: BillerHub;
  faults: FaultController;
  /** Balance events HQ pushed to stations. */
  pushed: Array<{ station: string; ref: string; fen: number }>;
  /** What HQ knows of the station (its region); a test may replace it. */
  station: StationInfo;
  env(): BillerEnv;
  /** Sends `op` of `service` as the station would, with the idempotency key `<key>:<op>:<gen>`. */
  call(
    service: string,
    op: string,
    payload: Record<string, unknown>,
    key?: string,
    gen?: number,
  ): Promise<HubAnswer>;
  close(): Promise<void>;
}

/**
 * The reference HQ's billers (the whole catalogue, settling after 1 s) on a real LevelDB store, a
 * manual clock at 10:00, and the station's account opened with `openingFen` (1000.00 by default),
 * in a city of the simulated electricity area.
 */
export async function openBillerRig(opts: { openingFen?: number } = {}): Promise<BillerRig> {
  const dir = await mkdtemp(join(tmpdir(), 'billers-'));
  const store = new LevelHqStore(dir);
  await store.open();
  const clock = new ManualClock(RIG_MORNING);
  const faults = new FaultController();
  const accounts = new Accounts(store, () => clock.now(), 0);
  const hub = new BillerHub(
    billerCatalogue({ settleMs: 1000 }),
    store,
    faults,
    () => 0,
    async () => undefined,
  );
  let n = 0;
  const rig: BillerRig = {
    store,
    clock,
    accounts,
    hub,
    faults,
    pushed: [],
    station: { region: { province: '安徽', city: '安庆', areaType: 'city', areaCode: '0556' } },
    env: () => ({
      store,
      clock,
      dayCut: '21:00',
      accounts,
      station: rig.station,
      mobileRegions: MOBILE_REGIONS,
      pushBalance: async (s, ev) => {
        rig.pushed.push({ station: s, ref: ev.ref, fen: ev.fen });
      },
    }),
    call(service, op, payload, key = `k${++n}`, gen = 0) {
      const msg: HqRequestMessage = {
        v: 1,
        id: `id-${String(++n).padStart(8, '0')}`,
        replyTo: 'x',
        station: RIG_STATION,
        at: clock.now(),
        op,
        service,
        serial: '0000000001',
        idempotencyKey: `${key}:${op}:${gen}`,
        payload,
      };
      return hub.handle(msg, rig.env());
    },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await accounts.change(RIG_STATION, opts.openingFen ?? 100_000, 'seed', 'test');
  return rig;
}
