import { randomBytes } from 'node:crypto';
import type { QrAnswer } from '../../protocol/schemas/payment-qr.ts';
import type { HqStore } from '../store.ts';
import {
  amountFen,
  type Biller,
  declined,
  field,
  type OpHandler,
  ok,
  shanghaiDay,
  yuanOf,
} from './biller.ts';

/** The service id under which kiosks reach the acquirer through HQ. */
export const PAYMENT_QR_SERVICE = 'payment-qr';

/** Longest life of a payment order, seconds. */
const MAX_TTL_SEC = 24 * 60 * 60;

export type QrStatus = 'awaiting' | 'paid' | 'expired' | 'refunded';

/**
 * A payment order at the acquirer (HQ stands in for it), stored under `qr:<paymentId>`. The
 * customer's money is in once `paid`. A payment made after the order expired or was closed is
 * not kept: the acquirer refunds it at once (`late`). Money in integer fen.
 */
export interface QrOrder {
  paymentId: string;
  station: string;
  /** The kiosk's order id. */
  orderId: string;
  amountFen: number;
  payload: string;
  createdAt: number;
  expiresAt: number;
  status: QrStatus;
  paidAt: number | null;
  /** When the order stopped taking payments (expiry seen, closed by the kiosk or by a tool). */
  closedAt: number | null;
  refundedAt: number | null;
  refundRef: string | null;
  /** Paid after it had expired: refunded by the acquirer itself. */
  late: boolean;
}

const qrKey = (paymentId: string): string => `qr:${paymentId}`;

/** What the kiosk (and the `kiosk-hq qr` tool) learns about a payment order. */
export function answerOf(o: QrOrder): QrAnswer {
  return {
    paymentId: o.paymentId,
    station: o.station,
    orderId: o.orderId,
    amount: yuanOf(o.amountFen),
    payload: o.payload,
    expiresAt: o.expiresAt,
    status: o.status,
    paidAt: o.paidAt,
    refundedAt: o.refundedAt,
    refundRef: o.refundRef,
    late: o.late,
  };
}

/** The order as it stands at `now`: an unpaid order past its expiry no longer takes payments. */
function current(o: QrOrder, now: number): QrOrder {
  if (o.status === 'awaiting' && now >= o.expiresAt)
    return { ...o, status: 'expired', closedAt: o.expiresAt };
  return o;
}

async function load(store: HqStore, station: string, paymentId: string | null): Promise<QrOrder | null> {
  if (!paymentId) return null;
  const o = await store.get<QrOrder>(qrKey(paymentId));
  return o && o.station === station ? o : null;
}

/**
 * The payment-QR acquirer: `order` issues a payment order (id, amount, expiry, QR payload),
 * `order-status` reads it, `close` stops it taking payments (answering whether it was paid first),
 * `refund` returns a payment to the customer. `order`, `close` and `refund` change state and are
 * idempotent by key (BillerHub). The customer's side is `payQrOrder` (the `kiosk-hq qr pay` tool).
 */
export function paymentQrBiller(): Biller {
  const order: OpHandler = async (req, env) => {
    const fen = amountFen(req);
    const orderId = field(req, 'orderId');
    const ttl = Number(req.payload.ttlSec);
    if (fen === null || fen <= 0) return declined('QR_E_AMOUNT', '金额有误', 'invalid amount');
    if (!orderId) return declined('QR_E_ORDER', '缺少订单号', 'orderId is required');
    if (!Number.isInteger(ttl) || ttl < 10 || ttl > MAX_TTL_SEC)
      return declined('QR_E_TTL', '有效期有误', `ttlSec must be 10–${MAX_TTL_SEC}`);
    const now = env.clock.now();
    // A letter between the date and the random part: neither the id nor the refund reference made
    // from it (printed on the refund slip) can ever read as a card or phone number.
    const paymentId = `P${shanghaiDay(now, env.dayCut)}Q${randomBytes(5).toString('hex').toUpperCase()}`;
    const rec: QrOrder = {
      paymentId,
      station: req.station,
      orderId,
      amountFen: fen,
      payload: `https://pay.hq.example/qr/${paymentId}`,
      createdAt: now,
      expiresAt: now + ttl * 1000,
      status: 'awaiting',
      paidAt: null,
      closedAt: null,
      refundedAt: null,
      refundRef: null,
      late: false,
    };
    await env.store.put(qrKey(paymentId), rec);
    return ok(answerOf(rec));
  };
  const status: OpHandler = async (req, env) => {
    const o = await load(env.store, req.station, field(req, 'paymentId'));
    if (!o) return declined('QR_E_NO_ORDER', '无此支付订单', 'no such payment order');
    return ok(answerOf(current(o, env.clock.now())));
  };
  const close: OpHandler = async (req, env) =>
    env.store.withLock(`qr-lock:${field(req, 'paymentId')}`, async () => {
      const o = await load(env.store, req.station, field(req, 'paymentId'));
      if (!o) return declined('QR_E_NO_ORDER', '无此支付订单', 'no such payment order');
      const now = env.clock.now();
      const c = current(o, now);
      const next = c.status === 'awaiting' ? { ...c, status: 'expired' as const, closedAt: now } : c;
      await env.store.put(qrKey(o.paymentId), next);
      return ok(answerOf(next));
    });
  const refund: OpHandler = async (req, env) =>
    env.store.withLock(`qr-lock:${field(req, 'paymentId')}`, async () => {
      const o = await load(env.store, req.station, field(req, 'paymentId'));
      if (!o) return declined('QR_E_NO_ORDER', '无此支付订单', 'no such payment order');
      if (o.status === 'refunded') return ok(answerOf(o));
      if (o.status !== 'paid')
        return declined('QR_E_NOT_PAID', '该订单未付款，无需退款', 'not paid; nothing to refund');
      const now = env.clock.now();
      const next: QrOrder = {
        ...o,
        status: 'refunded',
        refundedAt: now,
        refundRef: `R${o.paymentId.slice(1)}`,
      };
      await env.store.put(qrKey(o.paymentId), next);
      return ok(answerOf(next));
    });
  return {
    service: PAYMENT_QR_SERVICE,
    title: '扫码支付',
    ops: { order, 'order-status': status, close, refund },
    mutating: new Set(['order', 'close', 'refund']),
  };
}

/** Every payment order HQ holds, newest first (the `kiosk-hq qr list` tool). */
export async function listQrOrders(store: HqStore, now: number, station?: string): Promise<QrOrder[]> {
  const all = (await store.list<QrOrder>('qr:')).map(([, o]) => current(o, now));
  return all.filter((o) => !station || o.station === station).sort((a, b) => b.createdAt - a.createdAt);
}

async function findQr(store: HqStore, ref: string): Promise<QrOrder> {
  const direct = await store.get<QrOrder>(qrKey(ref));
  if (direct) return direct;
  const byOrder = (await store.list<QrOrder>('qr:')).map(([, o]) => o).filter((o) => o.orderId === ref);
  if (byOrder.length === 1) return byOrder[0]!;
  throw new Error(`no payment order ${ref}`);
}

/**
 * The customer pays (the `kiosk-hq qr pay` tool stands in for their wallet). Within the expiry the
 * order becomes `paid`; after it (or once closed) the acquirer keeps nothing and refunds at once.
 */
export async function payQrOrder(store: HqStore, ref: string, now: number): Promise<QrOrder> {
  const found = await findQr(store, ref);
  return store.withLock(`qr-lock:${found.paymentId}`, async () => {
    const o = current((await store.get<QrOrder>(qrKey(found.paymentId)))!, now);
    if (o.status === 'paid' || o.status === 'refunded')
      throw new Error(`payment order ${o.paymentId} is ${o.status}`);
    const next: QrOrder =
      o.status === 'awaiting'
        ? { ...o, status: 'paid', paidAt: now }
        : {
            ...o,
            status: 'refunded',
            paidAt: now,
            refundedAt: now,
            refundRef: `R${o.paymentId.slice(1)}`,
            late: true,
          };
    await store.put(qrKey(o.paymentId), next);
    return next;
  });
}

/** Ends a payment order's time now (the `kiosk-hq qr expire` tool): it takes no payment after this. */
export async function expireQrOrder(store: HqStore, ref: string, now: number): Promise<QrOrder> {
  const found = await findQr(store, ref);
  return store.withLock(`qr-lock:${found.paymentId}`, async () => {
    const o = (await store.get<QrOrder>(qrKey(found.paymentId)))!;
    if (o.status !== 'awaiting') return current(o, now);
    const next: QrOrder = { ...o, status: 'expired', expiresAt: Math.min(o.expiresAt, now), closedAt: now };
    await store.put(qrKey(o.paymentId), next);
    return next;
  });
}
