import { z } from 'zod';
import { addDays, localInstant, toLocal } from '../business-day.ts';
import { KioskError } from '../errors.ts';
import { Money } from '../money.ts';
import { money, pattern } from '../transaction/fields.ts';
import { payBase, payingState, queryAlerts } from '../transaction/flows.ts';
import type { ChoiceItem, EffectState, RuleContext, TxnRecord } from '../transaction/types.ts';
import { answerList, answerText, yuanText } from './answer-fields.ts';
import { defineList, defineService, storedAnswer } from './define-service.ts';
import { ENTRY, mobileNumber } from './fields.ts';
import { statusPolling } from './rules.ts';

export const COACH_OPS = {
  stations: 'stations',
  trips: 'trips',
  ticketStatus: 'ticket-status',
  refund: 'refund',
  void: 'void',
} as const;

/** How a passenger collects and boards when the coach company gave no instructions of its own. */
export const COACH_CHECK_IN = '请于发车前30分钟凭取票号到车站售票窗口或自助机取票，凭票检票上车';

/** Most seats in one sale. */
export const COACH_MAX_SEATS = 5;

/** One departure of the timetable as HQ lists it. */
const coachTripSchema = z.strictObject({
  tripId: answerText(40),
  /** Local departure time HH:MM on the trip's date. */
  departs: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  /** Fare per seat, yuan. */
  price: yuanText,
  seatsLeft: z.int().min(0).max(999),
});
export type CoachTrip = z.output<typeof coachTripSchema>;

/** HQ's answer to the timetable inquiry: the day's trips of the route it was asked. */
const timetableAnswer = z.strictObject({
  from: answerText(12).optional(),
  to: answerText(12).optional(),
  date: z
    .string()
    .regex(/^\d{8}$/)
    .optional(),
  trips: answerList(coachTripSchema),
});

const invalid = (field: string, zh: string, en: string) =>
  new KioskError('KIOSK_E_INVALID_INPUT', { field, zh, en });

const place = (zh: string, en: string) =>
  pattern(/^[\u4e00-\u9fa5A-Za-z]{1,12}$/, {
    zh: `${zh}为1至12个汉字或字母`,
    en: `${en} must be 1 to 12 Chinese characters or letters`,
  });

/** Departure instant (epoch ms) of a trip on `date`. */
export function departureOf(date: string, departs: string): number {
  return localInstant(date, departs);
}

/** The trip a sale was for, as the timetable inquiry answered it (kept in the transaction). */
export function tripOf(txn: TxnRecord): CoachTrip | undefined {
  const trips = storedAnswer(timetableAnswer, txn)?.trips ?? [];
  return trips.find((t) => t.tripId === txn.fields.tripId);
}

/** Date rules of a sale or timetable query: a real date, from today to the end of the presale. */
export function travelDateProblems(date: string, ctx: RuleContext): KioskError[] {
  const today = toLocal(ctx.clock.now()).date;
  const last = addDays(today, ctx.config.coach.presaleDays);
  if (addDays(date, 0) !== date) return [invalid('date', '乘车日期不是有效日期', 'date: not a real date')];
  if (date < today)
    return [invalid('date', `乘车日期不能早于今天（${today}）`, `date: must not be before today (${today})`)];
  if (date > last)
    return [
      invalid(
        'date',
        `只能预售 ${ctx.config.coach.presaleDays} 天内的车票（至 ${last}）`,
        `date: tickets are sold up to ${ctx.config.coach.presaleDays} days ahead (${last})`,
      ),
    ];
  return [];
}

const WEEKDAYS = [
  ['日', 'Sun'],
  ['一', 'Mon'],
  ['二', 'Tue'],
  ['三', 'Wed'],
  ['四', 'Thu'],
  ['五', 'Fri'],
  ['六', 'Sat'],
] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The travel dates on sale: today (the kiosk's clock) to the end of `coach.presaleDays`. Pure. */
export function travelDates(ctx: RuleContext): ChoiceItem[] {
  const today = toLocal(ctx.clock.now()).date;
  return Array.from({ length: ctx.config.coach.presaleDays + 1 }, (_, i) => {
    const d = addDays(today, i);
    const [y, m, day] = [Number(d.slice(0, 4)), Number(d.slice(4, 6)), Number(d.slice(6, 8))];
    const [zhDay, enDay] = WEEKDAYS[new Date(Date.UTC(y, m - 1, day)).getUTCDay()]!;
    return {
      value: d,
      zh: `${m}月${day}日 周${zhDay}${i === 0 ? '（今天）' : ''}`,
      en: `${enDay} ${day} ${MONTHS[m - 1]}${i === 0 ? ' (today)' : ''}`,
    };
  });
}

/** HQ's answer to the places list: every place coaches serve, with its name's pinyin initial. */
export const stationsAnswer = z.strictObject({
  stations: answerList(
    z.strictObject({
      name: answerText(12),
      initial: z
        .string()
        .regex(/^[A-Za-z]$/)
        .optional(),
    }),
  ),
});
export type StationsAnswer = z.output<typeof stationsAnswer>;

/**
 * HQ's places served by coach (`stations`: name and the pinyin initial), as choices, the station's
 * own city (`region.city`, where a journey from this kiosk usually starts) first. Pure.
 */
export function coachPlaces(answer: StationsAnswer, ctx: Pick<RuleContext, 'config'>): ChoiceItem[] {
  const here = ctx.config.region.city;
  const places = answer.stations.map((p) => ({
    value: p.name,
    zh: p.name,
    ...(p.initial !== undefined ? { group: p.initial.toUpperCase() } : {}),
  }));
  return [...places.filter((p) => p.value === here), ...places.filter((p) => p.value !== here)];
}

/** Void (废票) is allowed until `coach.voidBeforeDepartureMin` minutes before the departure. Pure. */
export function voidWindow(txn: TxnRecord, ctx: RuleContext): KioskError | null {
  const trip = tripOf(txn);
  const refuse = (zh: string, en: string) =>
    new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', { field: 'serial', zh, en });
  if (!trip || !txn.fields.date)
    return refuse('找不到该票的班次信息，不能废票', 'the trip of this ticket is unknown; cannot void');
  const min = ctx.config.coach.voidBeforeDepartureMin;
  const deadline = departureOf(txn.fields.date, trip.departs) - min * 60_000;
  return ctx.clock.now() <= deadline
    ? null
    : refuse(
        `发车前 ${min} 分钟内及发车后不能废票（班次 ${trip.departs} 发车）`,
        `tickets cannot be voided within ${min} minutes of departure (departs ${trip.departs})`,
      );
}

const ticketQuery = (on: EffectState['on']): EffectState => ({
  type: 'effect',
  effect: (txn) => ({
    type: 'hq',
    op: COACH_OPS.ticketStatus,
    payload: { ref: txn.data.billerRef ?? null, tripId: txn.fields.tripId },
  }),
  retry: 'safe',
  on,
  delayMs: statusPolling,
  alerts: queryAlerts(30 * 60_000),
});

const hqOp = (op: string, on: EffectState['on'], oneSided = false): EffectState => ({
  type: 'effect',
  effect: (txn) => ({
    type: 'hq',
    op,
    payload: { ...payBase(txn), ref: txn.data.billerRef ?? null, ...(oneSided ? { oneSided: true } : {}) },
  }),
  retry: 'safe',
  on,
});

/**
 * Coach e-tickets (长运电子客票): the timetable is HQ's (the inquiry: from, to, date), the sale is
 * paid from the prepaid balance and the ticket number printed on the receipt; the passenger
 * collects the ticket at the coach station. Every sale is confirmed against the coach company's
 * ticket system (车票状态查询), which finds one-sided tickets (单边票) and settles them:
 *
 *   paying ─ok/pending/unknown─▶ confirming ─ticket exists─▶ sold (capture, receipt)
 *     │                              └ no ticket (kiosk-side one-sided) ─▶ refunding ─ok─▶ refunded (release)
 *     └ declined ─▶ checking ─no ticket─▶ failed (release)
 *                      └ ticket exists (company-side one-sided) ─▶ voiding-orphan ─ok─▶ failed (release)
 *   sold ─void (废票, until N minutes before departure)─▶ voiding ─ok─▶ voided (credit back, receipt)
 *                                                          └ declined ─▶ void-refused
 */
export const coachTicket = defineService({
  id: 'coach-ticket',
  title: { zh: '长运电子客票', en: 'Coach e-ticket' },
  example: {
    from: '安庆',
    to: '合肥',
    date: '20261205',
    tripId: 'AQ-HF-0800',
    seats: '1',
    price: '98.00',
    phone: '13800138000',
  },
  hints: [
    { zh: '班次、票价与余座以查询结果为准', en: 'trip, fare and seats as the timetable query gives them' },
  ],
  fields: z.strictObject({
    from: place('出发地', 'From'),
    to: place('目的地', 'To'),
    date: pattern(/^\d{8}$/, { zh: '乘车日期为 yyyymmdd', en: 'date must be yyyymmdd' }),
    tripId: pattern(/^[0-9A-Za-z-]{4,40}$/, { zh: '请选择班次', en: 'choose a trip' }),
    seats: pattern(new RegExp(`^[1-${COACH_MAX_SEATS}]$`), {
      zh: `座位数为 1 至 ${COACH_MAX_SEATS}`,
      en: `seats must be 1 to ${COACH_MAX_SEATS}`,
    }),
    price: money({ field: 'price' }),
    phone: mobileNumber(),
  }),
  fieldMeta: {
    from: { zh: '出发地', en: 'From', entry: { keypad: 'choice', list: 'places' } },
    to: { zh: '目的地', en: 'To', entry: { keypad: 'choice', list: 'places' } },
    date: { zh: '乘车日期', en: 'Travel date', entry: { keypad: 'choice', list: 'dates' } },
    // Trip and fare are chosen together from the timetable the inquiry answered.
    tripId: { zh: '班次', en: 'Trip', entry: { keypad: 'choice', answer: 'trips', fills: ['price'] } },
    seats: { zh: '座位数', en: 'Seats', entry: { keypad: 'digits', maxLength: 1 } },
    price: { zh: '票价（元/座）', en: 'Fare per seat (yuan)', entry: { keypad: 'choice', answer: 'trips' } },
    phone: { zh: '取票手机号', en: 'Passenger mobile', sensitive: 'phone', entry: ENTRY.mobile },
  },
  amount: (f) => {
    const { price, seats } = f;
    return Money.of(price).times(Number(seats));
  },
  check: (f, ctx) => {
    const { from, to, date } = f;
    const problems = travelDateProblems(date, ctx);
    if (from === to) problems.push(invalid('to', '目的地不能与出发地相同', 'to: must differ from the start'));
    return problems;
  },
  // The timetable: asked before the sale, so the trip, its fare, free seats and departure are HQ's.
  inquiry: {
    op: COACH_OPS.trips,
    fields: ['from', 'to', 'date'],
    answer: timetableAnswer,
    // Seats go while the customer chooses: the confirmation's quote asks for them again.
    atQuote: true,
    check: (fields, answer, ctx) => {
      const trip = answer.trips.find((t) => t.tripId === fields.tripId);
      if (!trip) return [invalid('tripId', '无此班次', 'no such trip on that day')];
      const problems: KioskError[] = [];
      if (trip.price !== fields.price)
        problems.push(invalid('price', `票价应为 ${trip.price} 元`, `the fare is ${trip.price} yuan`));
      if (trip.seatsLeft <= 0)
        problems.push(
          invalid(
            'tripId',
            `${trip.departs} 班次已无余票，请选择其他班次`,
            `no seats left on the ${trip.departs} trip; choose another`,
          ),
        );
      else if (Number(fields.seats) > trip.seatsLeft)
        problems.push(
          invalid(
            'seats',
            `${trip.departs} 班次余票仅 ${trip.seatsLeft} 张`,
            `only ${trip.seatsLeft} seat(s) left on the ${trip.departs} trip`,
          ),
        );
      if (departureOf(fields.date ?? '', trip.departs) <= ctx.clock.now())
        problems.push(invalid('tripId', '该班次已发车', 'the trip has left'));
      return problems;
    },
  },
  lists: {
    places: defineList({ op: COACH_OPS.stations, answer: stationsAnswer, items: coachPlaces }),
    dates: { items: (_answer, ctx) => travelDates(ctx) },
  },
  initial: 'paying',
  states: {
    paying: {
      ...payingState(),
      on: { ok: 'confirming', pending: 'confirming', unknown: 'confirming', declined: 'checking' },
    },
    confirming: ticketQuery({ ok: 'sold', declined: 'refunding' }),
    refunding: hqOp(COACH_OPS.refund, { ok: 'refunded', declined: 'confirming' }),
    checking: ticketQuery({ ok: 'voiding-orphan', declined: 'failed' }),
    'voiding-orphan': hqOp(COACH_OPS.void, { ok: 'failed', declined: 'checking' }, true),
    voiding: hqOp(COACH_OPS.void, { ok: 'voided', declined: 'void-refused' }),
    sold: { type: 'terminal', result: 'succeeded', ledger: 'capture', receipt: true },
    refunded: { type: 'terminal', result: 'failed', ledger: 'release' },
    failed: { type: 'terminal', result: 'failed', ledger: 'release' },
    voided: { type: 'terminal', result: 'reversed', ledger: 'reversal-credit', receipt: true },
    // The ticket stands (the company refused the void): no ledger change.
    'void-refused': { type: 'terminal', result: 'succeeded' },
  },
  stateLabels: {
    confirming: { zh: '出票确认中（车票状态查询）', en: 'confirming the ticket with the coach company' },
    checking: { zh: '核对是否出票（单边票检查）', en: 'checking for a one-sided ticket' },
    refunding: { zh: '单边票退款中（客运公司无票）', en: 'refunding a one-sided sale (no ticket issued)' },
    'voiding-orphan': {
      zh: '单边票废票中（客运公司有票）',
      en: 'voiding a one-sided ticket the company issued',
    },
    voiding: { zh: '废票处理中', en: 'voiding the ticket (废票)' },
    sold: { zh: '已出票', en: 'ticket sold' },
    refunded: { zh: '已退款（客运公司未出票）', en: 'refunded (the company issued no ticket)' },
    voided: { zh: '已废票', en: 'ticket voided' },
    'void-refused': { zh: '废票被拒，车票有效', en: 'void refused; the ticket stands' },
  },
  actions: {
    void: { from: ['sold', 'void-refused'], to: 'voiding', guard: voidWindow },
  },
  receipt: (txn) => {
    const trip = tripOf(txn);
    const date = txn.fields.date ?? '';
    const day = date ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` : '';
    const seatNos = Array.isArray(txn.data.seatNos) ? txn.data.seatNos.map(String) : [];
    return [
      { zh: '取票号', en: 'Ticket number', value: String(txn.data.ticketNo ?? ''), lead: true },
      { zh: '线路', en: 'Route', value: `${txn.fields.from ?? ''} → ${txn.fields.to ?? ''}` },
      { zh: '发车', en: 'Departs', value: `${day} ${trip?.departs ?? ''} ${txn.fields.from ?? ''}站`.trim() },
      // The seat count is one of the sale's fields; the numbers are the company's.
      ...(seatNos.length > 0
        ? [{ zh: '座位号', en: 'Seat numbers', value: seatNos.map((n) => `${n}号`).join('、') }]
        : []),
      {
        zh: '取票检票',
        en: 'Collect and board',
        value: typeof txn.data.checkIn === 'string' ? txn.data.checkIn : COACH_CHECK_IN,
      },
    ];
  },
});
