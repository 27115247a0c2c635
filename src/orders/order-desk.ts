import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { KioskConfig } from '../config/schema.ts';
import { tenderKind } from '../config/types.ts';
import type { Availability } from '../core/availability.ts';
import { suspended } from '../core/availability.ts';
import { businessDate } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError } from '../core/errors.ts';
import { availableFen } from '../core/ledger.ts';
import { type OrderRecord, orderNumberOf, tendersOf } from '../core/orders/order.ts';
import type { Actor } from '../core/transaction/machine.ts';
import type { ServiceDefinition } from '../core/transaction/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { ServiceRegistry } from '../engine/service-registry.ts';
import { orderKey } from '../journal/keys.ts';
import type { Logger } from '../platform/logger.ts';
import type { ClientKeys } from './client-keys.ts';
import type { OrderBook } from './order-book.ts';
import type { OrderRunner } from './order-runner.ts';

const SELF = { channel: 'self' } as const;

/** The body of `POST /api/orders`. */
export const orderInputSchema = z.strictObject({
  service: z.string().min(1).max(41),
  fields: z.record(z.string(), z.unknown()),
  tender: tenderKind.optional(),
  idempotencyKey: z
    .string()
    .regex(/^[\w-]{8,64}$/)
    .optional(),
});

export interface OrderDeskDeps {
  book: OrderBook;
  runner: OrderRunner;
  engine: Engine;
  services: ServiceRegistry;
  keys: ClientKeys;
  clock: Clock;
  config: () => KioskConfig;
  logger: Logger;
  /** Whether a customer may use the service now, and why not. */
  availability: (def: ServiceDefinition, self: boolean) => Availability;
  /** Prints the slip of a new counter order (through the print queue); never decides anything. */
  printSlip?: (order: OrderRecord) => void;
}

/**
 * Self-service orders: the customer builds one (checked like the transaction it becomes, nothing
 * paid), pays at the counter or by QR, and only then is the transaction created. The operator
 * confirms cash received; the kiosk follows QR payments itself (OrderRunner).
 */
export class OrderDesk {
  constructor(private readonly d: OrderDeskDeps) {}

  /**
   * Places an order. A repeat with the same idempotency key answers the first order. Refusals
   * (service unavailable, a field, the cap) change nothing.
   */
  async create(body: unknown, headerKey?: string): Promise<{ order: OrderRecord; repeated: boolean }> {
    const input = parseOrderInput(body);
    const key = input.idempotencyKey ?? headerKey;
    const r = await this.d.keys.once(
      key,
      'order',
      async (remember) => {
        const def = this.d.services.get(input.service);
        const config = this.d.config();
        const tenders = tendersOf(config.selfService.tender);
        const tender = input.tender ?? tenders[0]!;
        if (!tenders.includes(tender))
          throw new KioskError('KIOSK_E_INVALID_INPUT', {
            field: 'tender',
            zh: `本亭不支持该付款方式，可用：${tenders.join('、')}`,
            en: `this kiosk takes ${tenders.join(', ')}`,
          });
        refuseUnavailable(this.d.availability(def, true));
        const { prepared } = await this.d.engine.check(def.id, input.fields, SELF);
        if (def.funding !== 'none' && prepared.amount.toFen() > availableFen(this.d.book.journal.balance))
          refuseUnavailable(suspended(def));
        const now = this.d.clock.now();
        const date = businessDate(now, config.business.dayCut);
        const number = await this.freeNumber(date);
        const order: OrderRecord = {
          v: 1,
          id: `${date}${number}`,
          number,
          businessDate: date,
          service: def.id,
          fields: prepared.fields,
          amountFen: prepared.amount.toFen(),
          feeFen: prepared.fee.toFen(),
          tender,
          status: 'awaiting-payment',
          createdAt: now,
          updatedAt: now,
          expiresAt: now + config.selfService.orderTtlSec * 1000,
          key: randomUUID(),
          cashier: null,
          serial: null,
          qr: null,
          attempts: 0,
          reason: null,
          refund: null,
        };
        const stored = await this.d.book.journal.commit((b) => {
          const o = { ...order, createdAt: b.at, updatedAt: b.at };
          b.putOrder(o);
          remember(b, { order: o.id });
          return o;
        });
        this.d.logger.info({ order: stored.id, service: stored.service, tender }, 'order placed');
        if (tender === 'counter') {
          this.d.runner.track(stored);
          this.d.printSlip?.(stored);
          return stored;
        }
        const issued = await this.d.runner.issueQr(stored.id);
        if (issued.status === 'cancelled') refuseUnavailable({ ...unavailableQr(def) });
        return issued;
      },
      async (found) => this.d.book.get('order' in found ? found.order : ''),
    );
    return { order: r.value, repeated: r.repeated };
  }

  /**
   * The operator took the customer's cash: the transaction is created (with the operator as the
   * one who took it) in the same batch that moves the order on. A refusal changes nothing.
   */
  async cashReceived(id: string, operator: Actor & { channel: 'operator' }): Promise<OrderRecord> {
    return this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.tender !== 'counter')
        throw stateError(cur, '该订单为扫码支付，不收现金', 'this order is paid by QR');
      if (cur.status === 'awaiting-payment' && this.d.clock.now() >= cur.expiresAt) {
        await this.d.book.update(cur, { status: 'expired' });
        throw stateError(
          cur,
          '订单已过期，请让顾客重新下单',
          'the order has expired; the customer orders again',
        );
      }
      if (cur.status !== 'awaiting-payment')
        throw stateError(
          cur,
          `订单状态为${cur.status}，不能收款`,
          `the order is ${cur.status}; no cash taken`,
        );
      let linked!: OrderRecord;
      await this.d.engine.create(cur.service, cur.fields, operator, {
        paid: true,
        data: { order: cur.id },
        alongside: (b, txn) => {
          linked = {
            ...cur,
            status: 'processing',
            serial: txn.serial,
            cashier: operator.code,
            updatedAt: b.at,
          };
          b.putOrder(linked, { cashReceived: true, operator: operator.code });
        },
      });
      this.d.logger.info({ order: id, serial: linked.serial, operator: operator.code }, 'cash received');
      return linked;
    });
  }

  /** Cancels an unpaid order. A QR order is closed at the acquirer first; if it was paid, it goes on. */
  async cancel(id: string): Promise<OrderRecord> {
    const cur = await this.d.book.get(id);
    if (cur.status !== 'awaiting-payment')
      throw stateError(
        cur,
        `订单状态为${cur.status}，不能取消`,
        `the order is ${cur.status}; it cannot be cancelled`,
      );
    if (cur.tender === 'qr') {
      const after = await this.d.runner.closeQr(id, 'cancelled');
      if (after.status !== 'cancelled')
        throw stateError(after, '已付款，不能取消，正在办理', 'already paid; it is being processed');
      return after;
    }
    return this.d.book.locked(id, async () => {
      const now = await this.d.book.get(id);
      if (now.status !== 'awaiting-payment')
        throw stateError(
          now,
          `订单状态为${now.status}，不能取消`,
          `the order is ${now.status}; it cannot be cancelled`,
        );
      return this.d.book.update(now, { status: 'cancelled' });
    });
  }

  /** Orders of a business date (default today), newest first, optionally of some statuses. */
  async list(opts: { date?: string; status?: readonly string[] }): Promise<OrderRecord[]> {
    const date = opts.date ?? businessDate(this.d.clock.now(), this.d.config().business.dayCut);
    const out: OrderRecord[] = [];
    for await (const o of this.d.book.journal.ordersOn(date))
      if (!opts.status || opts.status.includes(o.status)) out.push(o);
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  private async freeNumber(date: string): Promise<string> {
    for (;;) {
      const n = orderNumberOf(randomInt(1_000_000));
      if (!(await this.d.book.journal.getJson(orderKey(`${date}${n}`)))) return n;
    }
  }
}

function parseOrderInput(body: unknown): z.infer<typeof orderInputSchema> {
  const r = orderInputSchema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field =
    issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys[0] : 'body');
  throw new KioskError('KIOSK_E_INVALID_INPUT', {
    field: field ?? 'body',
    zh: `订单内容有误（${field}）`,
    en: `invalid order: ${issue.message}`,
  });
}

function refuseUnavailable(a: Availability): void {
  if (a.available || !a.reason) return;
  throw new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', {
    field: 'service',
    zh: a.reason.zh,
    en: a.reason.en,
    details: { reason: a.code },
  });
}

function unavailableQr(def: ServiceDefinition): Availability {
  return {
    service: def.id,
    available: false,
    code: 'hq-offline',
    reason: {
      zh: '扫码支付暂不可用，请到窗口交费',
      en: 'QR payment is unavailable now; please pay at the counter',
    },
  };
}

function stateError(order: OrderRecord, zh: string, en: string): KioskError {
  return new KioskError('KIOSK_E_ORDER_STATE', { field: 'id', zh, en, details: { status: order.status } });
}
