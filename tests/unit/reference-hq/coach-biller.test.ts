import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { HqRequestMessage } from '../../../src/protocol/schemas/index.ts';
import { Accounts } from '../../../src/reference-hq/accounts.ts';
import { BillerHub } from '../../../src/reference-hq/biller-hub.ts';
import type { BillerEnv } from '../../../src/reference-hq/billers/biller.ts';
import { billerCatalogue, MOBILE_REGIONS } from '../../../src/reference-hq/billers/catalogue.ts';
import { FaultController } from '../../../src/reference-hq/faults.ts';
import type { HqStore } from '../../../src/reference-hq/store.ts';
import { LevelHqStore } from '../../../src/reference-hq/store-level.ts';

const S = '33010001';
// 2026-11-26 10:00 in Asia/Shanghai.
const MORNING = Date.UTC(2026, 10, 26, 2, 0);

/** The reference HQ's coach-ticket biller: timetable with seats, sale, status, refund, void. */
describe('coach-ticket biller (reference HQ)', () => {
  let dir: string;
  let store: HqStore;
  let clock: ManualClock;
  let hub: BillerHub;
  let accounts: Accounts;
  let n = 0;

  const call = async (
    op: string,
    payload: Record<string, unknown>,
    key = `k${++n}`,
    station: BillerEnv['station'] = {},
  ) => {
    const msg: HqRequestMessage = {
      v: 1,
      id: `id-${String(++n).padStart(8, '0')}`,
      replyTo: 'x',
      station: S,
      at: clock.now(),
      op,
      service: 'coach-ticket',
      serial: '0000000001',
      idempotencyKey: `${key}:${op}:0`,
      payload,
    };
    const env = {
      store,
      clock,
      dayCut: '21:00',
      accounts,
      station,
      mobileRegions: MOBILE_REGIONS,
      pushBalance: async () => undefined,
    };
    return (await hub.handle(msg, env)).result;
  };
  const balance = async () => (await accounts.get(S)).balanceFen;

  async function firstTrip() {
    const r = await call('trips', { fields: { from: '杭州', to: '宁波', date: '20261127' } });
    const trips = (r?.data?.trips ?? []) as Array<{
      tripId: string;
      price: string;
      seatsLeft: number;
      departs: string;
    }>;
    return trips[0]!;
  }
  const sale = (tripId: string, price: string, phone: string, seats = 1) => ({
    fields: { from: '杭州', to: '宁波', date: '20261127', tripId, seats: String(seats), price, phone },
    amount: (Number(price) * seats).toFixed(2),
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coach-'));
    store = new LevelHqStore(dir);
    await store.open();
    clock = new ManualClock(MORNING);
    accounts = new Accounts(store, () => clock.now(), 0);
    hub = new BillerHub(
      billerCatalogue({ settleMs: 1000 }),
      store,
      new FaultController(),
      () => 0,
      async () => undefined,
    );
    await accounts.change(S, 100_000, 'seed', 'test');
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the places coaches serve, each with its pinyin initial (stations, read-only)', async () => {
    const r = await call('stations', {});
    expect(r?.outcome).toBe('ok');
    const places = (r?.data?.stations ?? []) as Array<{ name: string; initial: string }>;
    expect(places.map((p) => p.name)).toEqual(expect.arrayContaining(['杭州', '宁波', '上海']));
    for (const p of places) expect(p.initial).toMatch(/^[A-Z]$/);
    // Every listed pair has a timetable.
    const t = await call('trips', {
      fields: { from: places[0]!.name, to: places[1]!.name, date: '20261127' },
    });
    expect(((t?.data?.trips ?? []) as unknown[]).length).toBeGreaterThan(0);
  });

  it('a timetable asked without a departure starts from the asking station’s city, none without one', async () => {
    const anqing = {
      region: { province: '安徽', city: '安庆', areaType: 'city' as const, areaCode: '0556' },
    };
    const r = await call('trips', { fields: { to: '合肥', date: '20261127' } }, undefined, anqing);
    expect(r?.outcome).toBe('ok');
    expect(r?.data).toMatchObject({ from: '安庆', to: '合肥' });
    const pinned = await call(
      'trips',
      { fields: { from: '合肥', to: '安庆', date: '20261127' } },
      undefined,
      anqing,
    );
    expect(pinned?.data).toMatchObject({ from: '合肥' });
    const unknown = await call('trips', { fields: { to: '合肥', date: '20261127' } });
    expect(unknown).toMatchObject({ outcome: 'declined', reason: { code: 'BILLER_NO_ROUTE' } });
  });

  it('sells seats of a trip with a ticket number; the seats left go down; void gives them back', async () => {
    const trip = await firstTrip();
    expect(trip.seatsLeft).toBe(40);
    const sold = await call('pay', sale(trip.tripId, trip.price, '13812345678', 2), 'A');
    expect(sold).toMatchObject({
      outcome: 'ok',
      data: { ticketNo: expect.stringMatching(/^T\d{8}K\d{8}$/) },
    });
    expect((await firstTrip()).seatsLeft).toBe(38);
    expect(await call('ticket-status', { ref: null }, 'A')).toMatchObject({ outcome: 'ok' });
    const before = await balance();
    expect(await call('void', { ref: null }, 'A')).toMatchObject({ outcome: 'ok' });
    expect(await balance()).toBe(before + Number(trip.price) * 200);
    expect((await firstTrip()).seatsLeft).toBe(40);
    expect(await call('ticket-status', { ref: null }, 'A')).toMatchObject({ outcome: 'declined' });
  });

  it('numbers the seats of each sale (the lowest free ones) with where to collect and board; a void frees them', async () => {
    const trip = await firstTrip();
    const first = await call('pay', sale(trip.tripId, trip.price, '13812345678', 2), 'A');
    expect(first).toMatchObject({
      outcome: 'ok',
      data: { seatNos: [1, 2], checkIn: expect.stringContaining('检票') },
    });
    const second = await call('pay', sale(trip.tripId, trip.price, '13812345679', 1), 'B');
    expect(second).toMatchObject({ outcome: 'ok', data: { seatNos: [3] } });
    // The company's ticket status repeats what the passenger needs.
    expect(await call('ticket-status', { ref: null }, 'A')).toMatchObject({
      outcome: 'ok',
      data: { seatNos: [1, 2], checkIn: expect.any(String), departsAt: expect.any(Number) },
    });
    expect(await call('void', { ref: null }, 'A')).toMatchObject({ outcome: 'ok' });
    expect((await firstTrip()).seatsLeft).toBe(39);
    const third = await call('pay', sale(trip.tripId, trip.price, '13812345670', 3), 'C');
    expect(third).toMatchObject({ outcome: 'ok', data: { seatNos: [1, 2, 4] } });
  });

  it('refuses a wrong fare, too many seats and a void after departure', async () => {
    const trip = await firstTrip();
    expect((await call('pay', sale(trip.tripId, '1.00', '13812345678')))?.reason?.code).toBe(
      'BILLER_BAD_AMOUNT',
    );
    expect((await call('pay', sale(trip.tripId, trip.price, '13812345678', 41)))?.reason?.code).toBe(
      'BILLER_NO_SEATS',
    );
    await call('pay', sale(trip.tripId, trip.price, '13812345678'), 'B');
    clock.set(Date.parse(`2026-11-27T${trip.departs}:00+08:00`));
    expect((await call('void', { ref: null }, 'B'))?.reason?.code).toBe('BILLER_DEPARTED');
  });

  it('kiosk-side one-sided sale (…5555): accepted, no ticket at the company, refund returns the money', async () => {
    const trip = await firstTrip();
    const before = await balance();
    expect(await call('pay', sale(trip.tripId, trip.price, '13812345555'), 'C')).toMatchObject({
      outcome: 'ok',
    });
    expect(await call('ticket-status', { ref: null }, 'C')).toMatchObject({
      outcome: 'declined',
      data: { oneSided: 'kiosk' },
    });
    expect(await call('refund', { ref: null }, 'C')).toMatchObject({ outcome: 'ok' });
    expect(await balance()).toBe(before);
  });

  it('company-side one-sided sale (…6666): answered failed, ticket issued, void returns the money', async () => {
    const trip = await firstTrip();
    const before = await balance();
    expect(await call('pay', sale(trip.tripId, trip.price, '13812346666'), 'D')).toMatchObject({
      outcome: 'declined',
    });
    expect(await call('ticket-status', { ref: null }, 'D')).toMatchObject({ outcome: 'ok' });
    expect((await call('refund', { ref: null }, 'D'))?.reason?.code).toBe('BILLER_TICKET_EXISTS');
    expect(await call('void', { ref: null, oneSided: true }, 'D')).toMatchObject({ outcome: 'ok' });
    expect(await balance()).toBe(before);
  });

  it('a sale HQ never received: the status query bars it, and the refund has nothing to return', async () => {
    const trip = await firstTrip();
    expect(await call('ticket-status', { ref: null }, 'E')).toMatchObject({ outcome: 'declined' });
    expect((await call('pay', sale(trip.tripId, trip.price, '13812345678'), 'E'))?.reason?.code).toBe(
      'BILLER_SUPERSEDED',
    );
    expect(await call('refund', { ref: null }, 'E')).toMatchObject({
      outcome: 'ok',
      data: { refunded: '0.00' },
    });
  });
});
