import { localInstant } from '../../core/business-day.ts';
import type { EffectResult } from '../../core/transaction/types.ts';
import {
  type Biller,
  type BillerEnv,
  type BillerRequest,
  declined,
  field,
  hashUnit,
  type OpHandler,
  ok,
  shanghaiDay,
  yuanOf,
} from './biller.ts';
import { failsPayment } from './customers.ts';
import { findPayment, type PaymentRecord, paymentBiller, paymentOp, savePayment } from './payment-biller.ts';

/** Seats of one coach. */
export const COACH_CAPACITY = 40;

/**
 * Simulated passengers whose sale goes one-sided (单边票), by the last digits of their mobile:
 * …5555 HQ accepts and charges, the coach company issues nothing (kiosk-side);
 * …6666 HQ answers that the sale failed, the company issued the ticket anyway (company-side).
 * …4444 the company refuses the sale (an ordinary failure).
 */
export const oneSidedKind = (phone: string): 'kiosk' | 'company' | null =>
  phone.endsWith('5555') ? 'kiosk' : phone.endsWith('6666') ? 'company' : null;

/** The places the simulated coach company serves, with the pinyin initial screens filter by. */
export const COACH_PLACES: ReadonlyArray<{ name: string; initial: string }> = [
  { name: '安庆', initial: 'A' },
  { name: '合肥', initial: 'H' },
  { name: '桐城', initial: 'T' },
  { name: '潜山', initial: 'Q' },
  { name: '池州', initial: 'C' },
  { name: '铜陵', initial: 'T' },
  { name: '芜湖', initial: 'W' },
  { name: '九江', initial: 'J' },
  { name: '杭州', initial: 'H' },
  { name: '上海', initial: 'S' },
  { name: '宁波', initial: 'N' },
  { name: '温州', initial: 'W' },
  { name: '绍兴', initial: 'S' },
  { name: '嘉兴', initial: 'J' },
  { name: '湖州', initial: 'H' },
  { name: '金华', initial: 'J' },
  { name: '义乌', initial: 'Y' },
  { name: '衢州', initial: 'Q' },
  { name: '台州', initial: 'T' },
  { name: '丽水', initial: 'L' },
  { name: '舟山', initial: 'Z' },
  { name: '千岛湖', initial: 'Q' },
  { name: '南京', initial: 'N' },
  { name: '苏州', initial: 'S' },
];

interface Trip {
  tripId: string;
  departs: string;
  price: string;
}

/** The day's departures between two places, deterministic per route and date. */
function timetable(from: string, to: string, date: string): Trip[] {
  const n = 2 + Math.floor(hashUnit(`${from}-${to}`) * 4);
  return Array.from({ length: n }, (_, i) => ({
    tripId: `${date}-${i + 1}-${Math.floor(hashUnit(`${from}${to}${i}`) * 900 + 100)}`,
    departs: `${String(7 + i * 2).padStart(2, '0')}:30`,
    price: `${40 + Math.floor(hashUnit(`${to}${i}`) * 80)}.00`,
  }));
}

/** Where HQ keeps the seat numbers sold on a trip. */
export const coachSeatsKey = (tripId: string) => `b:coach-ticket:seats:${tripId}`;

/**
 * The seat numbers (1…COACH_CAPACITY) sold on a trip. A count kept by an earlier version stands for
 * the first that many seats.
 */
async function seatsTaken(env: Pick<BillerEnv, 'store'>, tripId: string): Promise<number[]> {
  const kept = await env.store.get<number | number[]>(coachSeatsKey(tripId));
  if (Array.isArray(kept)) return kept;
  return Array.from({ length: Math.min(COACH_CAPACITY, kept ?? 0) }, (_, i) => i + 1);
}

async function seatsSold(env: Pick<BillerEnv, 'store'>, tripId: string): Promise<number> {
  return (await seatsTaken(env, tripId)).length;
}

/** Gives the lowest free seat numbers to a sale; fewer than asked when the coach is full. */
async function takeSeats(env: Pick<BillerEnv, 'store'>, tripId: string, count: number): Promise<number[]> {
  return env.store.withLock(coachSeatsKey(tripId), async () => {
    const taken = new Set(await seatsTaken(env, tripId));
    const given: number[] = [];
    for (let n = 1; n <= COACH_CAPACITY && given.length < count; n++) if (!taken.has(n)) given.push(n);
    await env.store.put(
      coachSeatsKey(tripId),
      [...taken, ...given].sort((a, b) => a - b),
    );
    return given;
  });
}

/**
 * Frees the seats of a sale that was refunded or voided: its seat numbers, or (a sale recorded
 * before seats were numbered) the last `count` taken.
 */
async function freeSeats(env: Pick<BillerEnv, 'store'>, tripId: string, seatNos: number[], count: number) {
  await env.store.withLock(coachSeatsKey(tripId), async () => {
    const taken = await seatsTaken(env, tripId);
    const free = new Set(seatNos.length > 0 ? seatNos : taken.slice(-count));
    await env.store.put(
      coachSeatsKey(tripId),
      taken.filter((n) => !free.has(n)),
    );
  });
}

/** Where and when the passenger collects the ticket and boards: the company's instructions. */
export const checkInOf = (from: string) =>
  `请于发车前30分钟凭取票号到${from}汽车客运站售票窗口或自助机取票，检票口凭票检票上车`;

/** Where a journey starts: the place asked for, else the city of the station asking. */
const departureOf = (req: BillerRequest, env: Pick<BillerEnv, 'station'>): string | undefined =>
  field(req, 'from') ?? env.station.region?.city;

function tripOf(req: BillerRequest, env: Pick<BillerEnv, 'station'>): Trip | undefined {
  const from = departureOf(req, env);
  if (!from) return undefined;
  const to = field(req, 'to') ?? '';
  const date = field(req, 'date') ?? '';
  return timetable(from, to, date).find((t) => t.tripId === field(req, 'tripId'));
}

const seatsOf = (rec: PaymentRecord) => Number(rec.data.seats ?? 1);
const seatNosOf = (rec: PaymentRecord): number[] =>
  Array.isArray(rec.data.seatNos) ? (rec.data.seatNos as number[]) : [];
const hasTicket = (rec: PaymentRecord) => rec.data.companyTicket === 'issued';

/**
 * Coach e-tickets (长运电子客票): the timetable with free seats, sale with a ticket number, the
 * coach company's ticket status (which tells one-sided tickets apart), refund of a sale the
 * company has no ticket for, and void (废票, refused once the coach has left).
 */
export function coachTicketBiller(): Biller {
  // 站点查询: the places coaches run between (read-only).
  const stations: OpHandler = async () => ok({ stations: COACH_PLACES.map((p) => ({ ...p })) });

  const trips: OpHandler = async (req, env) => {
    const from = departureOf(req, env);
    const to = field(req, 'to');
    if (!from) return declined('BILLER_NO_ROUTE', '缺少出发地', 'missing departure');
    if (!to) return declined('BILLER_NO_ROUTE', '缺少到站', 'missing destination');
    const date = field(req, 'date') ?? shanghaiDay(env.clock.now(), env.dayCut);
    const list = await Promise.all(
      timetable(from, to, date).map(async (t) => ({
        ...t,
        seatsLeft: COACH_CAPACITY - (await seatsSold(env, t.tripId)),
      })),
    );
    return ok({ from, to, date, trips: list });
  };

  const base = paymentBiller({
    service: 'coach-ticket',
    title: '长运电子客票',
    accountFields: ['phone', 'tripId'],
    reversal: 'none',
    async check(req, env, phone, fen) {
      const trip = tripOf(req, env);
      if (!trip) return declined('BILLER_NO_TRIP', '无此班次', 'no such trip');
      if (req.op === 'query') return null;
      const seats = Number(field(req, 'seats') ?? '1');
      if (fen !== Math.round(Number(trip.price) * 100) * seats)
        return declined('BILLER_BAD_AMOUNT', '票款与票价不符', 'amount does not match the fare');
      if (seats > COACH_CAPACITY - (await seatsSold(env, trip.tripId)))
        return declined(
          'BILLER_NO_SEATS',
          '该班次余票不足，未出票',
          'not enough seats left on this trip; no ticket sold',
        );
      if (localInstant(field(req, 'date') ?? '', trip.departs) <= env.clock.now())
        return declined('BILLER_DEPARTED', '该班次已发车', 'the trip has left');
      if (failsPayment(phone)) return declined('BILLER_REFUSED', '客运公司拒绝售票', 'the company refused');
      return null;
    },
    async acceptData(req, env, rec) {
      const trip = tripOf(req, env)!;
      const seats = Number(field(req, 'seats') ?? '1');
      const seatNos = await takeSeats(env, trip.tripId, seats);
      return {
        // A letter between the date and the number keeps it from reading as a bank card number.
        ticketNo: `T${rec.day}K${String(Math.floor(hashUnit(rec.ref) * 1e8)).padStart(8, '0')}`,
        tripId: trip.tripId,
        departsAt: localInstant(field(req, 'date') ?? '', trip.departs),
        seats,
        seatNos,
        checkIn: checkInOf(departureOf(req, env) ?? ''),
        companyTicket: oneSidedKind(rec.account) === 'kiosk' ? 'none' : 'issued',
      };
    },
  });

  // A company-side one-sided sale: HQ tells the kiosk it failed, but the company issued the ticket
  // and the station was charged for it.
  const pay: OpHandler = async (req, env) => {
    const result = await base.ops.pay!(req, env);
    const phone = field(req, 'phone') ?? '';
    if (result.outcome !== 'ok' || oneSidedKind(phone) !== 'company') return result;
    const rec = await findPayment('coach-ticket', req, env);
    if (!rec) return result;
    const reason = {
      code: 'BILLER_COMPANY_TIMEOUT',
      zh: '客运公司未应答，售票失败',
      en: 'the coach company did not answer',
    };
    await savePayment(env, { ...rec, status: 'declined', reason });
    return { outcome: 'declined', reason, data: { billerRef: rec.ref } };
  };

  // 车票状态查询: whether the company holds a valid ticket for this sale, whatever HQ answered.
  const ticketStatus: OpHandler = async (req, env) => {
    const rec = await findPayment('coach-ticket', req, env);
    if (!rec) return base.ops.status!(req, env);
    if (rec.status === 'pending') return { outcome: 'pending', data: { billerRef: rec.ref } };
    if (hasTicket(rec)) {
      const { ticketNo, departsAt, seatNos, checkIn } = rec.data;
      return ok({ billerRef: rec.ref, ticketNo, seats: seatsOf(rec), seatNos, departsAt, checkIn });
    }
    return declined('BILLER_NO_TICKET', '客运公司无此票', 'the coach company has no such ticket', {
      billerRef: rec.ref,
      ...(rec.status === 'ok' ? { oneSided: 'kiosk' } : {}),
    });
  };

  // Refund of a sale the company has no ticket for (kiosk-side one-sided): the money goes back.
  const refund: OpHandler = async (req, env) => {
    const rec = await findPayment('coach-ticket', req, env);
    if (!rec) return ok({ refunded: '0.00' });
    if (hasTicket(rec))
      return declined('BILLER_TICKET_EXISTS', '客运公司已出票，不能退款', 'the company issued the ticket');
    if (rec.status !== 'ok') return ok({ billerRef: rec.ref, refunded: '0.00' });
    await env.accounts.change(rec.station, rec.amountFen, `one-sided:${rec.ref}`, 'coach one-sided refund', [
      paymentOp({ ...rec, status: 'reversed', reversalAt: env.clock.now() }),
    ]);
    await freeSeats(env, String(rec.data.tripId), seatNosOf(rec), seatsOf(rec));
    return ok({ billerRef: rec.ref, refunded: yuanOf(rec.amountFen) });
  };

  // 废票: the ticket is cancelled at the company and the fare credited back, until departure.
  const voidTicket: OpHandler = async (req, env): Promise<EffectResult> => {
    const rec = await findPayment('coach-ticket', req, env);
    if (!rec || !hasTicket(rec)) return declined('BILLER_NO_TICKET', '无此有效车票', 'no such valid ticket');
    if (Number(rec.data.departsAt ?? 0) <= env.clock.now())
      return declined('BILLER_DEPARTED', '已发车，不能废票', 'the coach has left; no void');
    await env.accounts.change(rec.station, rec.amountFen, `void:${rec.ref}`, 'ticket void', [
      paymentOp({
        ...rec,
        status: 'reversed',
        reversalAt: env.clock.now(),
        data: { ...rec.data, companyTicket: 'voided' },
      }),
    ]);
    await freeSeats(env, String(rec.data.tripId), seatNosOf(rec), seatsOf(rec));
    return ok({ billerRef: rec.ref, ticketNo: rec.data.ticketNo });
  };

  return {
    ...base,
    ops: { ...base.ops, stations, trips, pay, 'ticket-status': ticketStatus, refund, void: voidTicket },
    mutating: new Set(['pay', 'void', 'refund']),
  };
}
