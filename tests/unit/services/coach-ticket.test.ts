import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import { coachTicket } from '../../../src/core/services/coach-ticket.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const NOW = Date.parse('2026-11-26T10:00:00+08:00');
const TRIPS = {
  outcome: 'ok' as const,
  data: {
    trips: [
      { tripId: '20261127-1-123', departs: '09:30', price: '45.00', seatsLeft: 3 },
      { tripId: '20261127-2-456', departs: '11:30', price: '60.00', seatsLeft: 0 },
    ],
  },
};
const TODAY_TRIPS = {
  outcome: 'ok' as const,
  data: { trips: [{ tripId: '20261126-1-111', departs: '07:30', price: '45.00', seatsLeft: 9 }] },
};
const TICKET = { outcome: 'ok' as const, data: { ticketNo: 'T20261126K12345678' } };
const NO_TICKET = {
  outcome: 'declined' as const,
  reason: { code: 'BILLER_NO_TICKET', zh: '客运公司无此票', en: 'no ticket' },
};
const SALE = {
  from: '杭州',
  to: '宁波',
  date: '20261127',
  tripId: '20261127-1-123',
  seats: '2',
  price: '45',
  phone: '13812345678',
};

describe('coach e-tickets (长运电子客票)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: FakeHq;

  async function open(): Promise<void> {
    useFakeClock(NOW);
    dir = await tempDir();
    hq = new FakeHq().script('trips', TRIPS);
    const config = await testConfig({
      services: { enabled: ['coach-ticket'], fees: {} },
      coach: { voidBeforeDepartureMin: 30, presaleDays: 10 },
    });
    k = await openKiosk(dir.path, hq, { config, services: SERVICE_CATALOGUE });
    await k.balance.applyHqEvent({ kind: 'topup', fen: 300_00, ref: 'slip-1' });
  }
  afterEach(async () => {
    await k.close();
    vi.useRealTimers();
    await dir.cleanup();
  });
  const sell = (input: Record<string, unknown> = {}) =>
    k.engine.create('coach-ticket', { ...SALE, ...input }, TELLER);
  const settled = async (serial: string) => {
    await advance(k.engine, 120_000, 5000);
    return k.engine.get(serial);
  };

  it('timetable by from, to and date, with free seats; sale prints the ticket number', async () => {
    await open();
    const answer = await k.engine.inquire(
      'coach-ticket',
      { from: '杭州', to: '宁波', date: '20261127' },
      TELLER,
    );
    expect(answer.trips).toHaveLength(2);
    expect(hq.requests[0]?.payload).toEqual({ fields: { from: '杭州', to: '宁波', date: '20261127' } });
    hq.script('ticket-status', TICKET);
    const t = await sell();
    expect(t.amountFen).toBe(9000);
    const done = await settled(t.serial);
    expect(done).toMatchObject({ state: 'sold', data: { ticketNo: 'T20261126K12345678' } });
    expect(k.balance.summary()).toMatchObject({ balance: '210.00', held: '0.00' });
    const lines = coachTicket.receipt!(done);
    expect(lines).toContainEqual(expect.objectContaining({ zh: '取票号', value: 'T20261126K12345678' }));
    expect(lines).toContainEqual(expect.objectContaining({ zh: '发车', value: '2026-11-27 09:30 杭州站' }));
  });

  it.each([
    ['from', { from: '杭州1' }, '汉字'],
    ['to', { to: '杭州' }, '不能与出发地相同'],
    ['date', { date: '20261131' }, '有效日期'],
    ['date', { date: '20261125' }, '不能早于今天'],
    ['date', { date: '20261207' }, '10 天'],
    ['seats', { seats: '0' }, '1 至 5'],
    ['seats', { seats: '6' }, '1 至 5'],
    ['price', { price: '-1' }, ''],
    ['phone', { phone: '1381234567' }, '11位'],
  ])('refuses a bad %s, naming it, before asking HQ', async (field, input, text) => {
    await open();
    const err = await sell(input).catch((e) => e);
    expect(err.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(err.message).toContain(text);
    expect(hq.requests).toEqual([]);
  });

  it.each([
    ['tripId', { tripId: '20261127-9-999' }, '无此班次'],
    ['price', { price: '40' }, '45.00'],
    ['seats', { seats: '4' }, '余票仅 3 张'],
    ['tripId', { tripId: '20261127-2-456', price: '60' }, '已无余票'],
  ])('refuses from HQ’s timetable: %s, holding nothing', async (field, input, text) => {
    await open();
    const err = await sell(input).catch((e) => e);
    expect(err.issues[0]).toMatchObject({ field });
    expect(err.message).toContain(text);
    expect(k.balance.summary().held).toBe('0.00');
    expect(hq.count('pay')).toBe(0);
  });

  it('refuses a trip that has already left', async () => {
    await open();
    hq.script('trips', TODAY_TRIPS);
    const err = await sell({ date: '20261126', tripId: '20261126-1-111' }).catch((e) => e);
    expect(err.issues[0]).toMatchObject({ field: 'tripId' });
    expect(err.message).toContain('已发车');
  });

  it('a sale the company refuses fails and releases the hold', async () => {
    await open();
    hq.script('pay', 'declined').script('ticket-status', NO_TICKET);
    const done = await settled((await sell()).serial);
    expect(done.state).toBe('failed');
    expect(k.balance.summary()).toMatchObject({ balance: '300.00', held: '0.00' });
  });

  it('an unanswered sale is settled by the ticket status query, sold once', async () => {
    await open();
    hq.script('pay', 'hang').script('ticket-status', TICKET);
    const done = await settled((await sell()).serial);
    expect(done.state).toBe('sold');
    expect(hq.count('pay')).toBe(1);
    expect(k.balance.summary().balance).toBe('210.00');
  });

  it('one-sided, kiosk side: HQ accepted the sale, the company has no ticket → refunded', async () => {
    await open();
    hq.script('ticket-status', NO_TICKET).script('refund', { outcome: 'ok', data: { refunded: '90.00' } });
    const done = await settled((await sell()).serial);
    expect(done.state).toBe('refunded');
    expect(hq.count('refund')).toBe(1);
    expect(k.balance.summary()).toMatchObject({ balance: '300.00', held: '0.00' });
  });

  it('one-sided, company side: the sale failed but the company issued a ticket → voided upstream', async () => {
    await open();
    hq.script('pay', 'declined').script('ticket-status', TICKET).script('void', 'ok');
    const done = await settled((await sell()).serial);
    expect(done.state).toBe('failed');
    const voids = hq.requests.filter((r) => r.op === 'void');
    expect(voids).toHaveLength(1);
    expect(voids[0]?.payload.oneSided).toBe(true);
    expect(k.balance.summary()).toMatchObject({ balance: '300.00', held: '0.00' });
  });

  it('void (废票) credits the fare back until 30 minutes before departure, by configuration', async () => {
    await open();
    hq.script('ticket-status', TICKET).script('void', 'ok');
    const t = await settled((await sell()).serial);
    await expect(k.engine.act(t.serial, 'void', { channel: 'self' })).rejects.toMatchObject({
      code: 'KIOSK_E_FORBIDDEN',
    });
    vi.setSystemTime(Date.parse('2026-11-27T09:00:01+08:00'));
    const late = await k.engine.act(t.serial, 'void', TELLER).catch((e) => e);
    expect(late.zh).toContain('30 分钟');
    vi.setSystemTime(Date.parse('2026-11-27T09:00:00+08:00'));
    await k.engine.act(t.serial, 'void', TELLER);
    const done = await settled(t.serial);
    expect(done.state).toBe('voided');
    expect(k.balance.summary().balance).toBe('300.00');
  });

  it('a void the company refuses leaves the ticket valid', async () => {
    await open();
    hq.script('ticket-status', TICKET).script('void', 'declined');
    const t = await settled((await sell()).serial);
    await k.engine.act(t.serial, 'void', TELLER);
    const done = await settled(t.serial);
    expect(done).toMatchObject({ state: 'void-refused', result: 'succeeded' });
    expect(k.balance.summary().balance).toBe('210.00');
  });
});
