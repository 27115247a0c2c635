import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { OrderRecord, OrderStatus } from '../../core/orders/order.ts';
import { FINAL_ORDER_STATUSES } from '../../core/orders/order.ts';
import type { TxnRecord } from '../../core/transaction/types.ts';
import { type OrderView, orderView } from '../../reports/order-view.ts';
import { requireOperator } from './auth.ts';
import { fillFromCard } from './card-fields.ts';
import type { ServerContext } from './context.ts';
import { noteSecrets } from './masking.ts';
import { optDate, queryOf } from './query-params.ts';

type ById = { Params: { id: string } };

const STATUSES: readonly OrderStatus[] = [
  'awaiting-payment',
  'paid',
  'processing',
  'succeeded',
  'failed',
  'expired',
  'cancelled',
  'refunding',
  'refunded',
];

/** The client's idempotency key from the `Idempotency-Key` header, if sent. */
export function headerKey(req: FastifyRequest): string | undefined {
  const v = req.headers['idempotency-key'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Self-service orders (tender before any payment): a customer places one and follows it; the
 * operator lists them and confirms cash received. The customer's answers never carry the
 * station's balance.
 */
export function registerOrderRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { kiosk } = ctx;
  const viewOf = async (order: OrderRecord): Promise<OrderView> => {
    const txn: TxnRecord | null = order.serial ? await kiosk.engine.get(order.serial) : null;
    return orderView(order, txn, ctx.lookup);
  };

  app.post('/api/orders', async (req, reply) => {
    let body = (req.body ?? {}) as { service?: unknown; fields?: unknown };
    if (typeof body.service === 'string' && kiosk.services.has(body.service)) {
      const def = kiosk.services.get(body.service);
      const fields = await fillFromCard(ctx, req, def, body.fields);
      if (fields !== body.fields) body = { ...body, fields };
      noteSecrets(req, def, body.fields);
    }
    const { order, repeated } = await kiosk.orders.create(body, headerKey(req));
    reply.status(repeated ? 200 : 201).header('location', `/api/orders/${order.id}`);
    // The customer who placed it may follow this one order's events (and its transaction's).
    return { ...(await viewOf(order)), follow: ctx.follow.issue({ kind: 'order', id: order.id }) };
  });

  app.get<ById>('/api/orders/:id', async (req) => viewOf(await kiosk.orderBook.get(req.params.id)));

  app.get('/api/orders', async (req) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const status = q.status ? q.status.split(',') : undefined;
    for (const s of status ?? []) {
      if (!STATUSES.includes(s as OrderStatus))
        throw new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'status',
          zh: `未知订单状态：${s}`,
          en: `unknown order status: ${s} (one of ${STATUSES.join(', ')})`,
        });
    }
    const date = optDate(q);
    const orders = await kiosk.orders.list({ ...(date ? { date } : {}), ...(status ? { status } : {}) });
    return { items: await Promise.all(orders.map(viewOf)) };
  });

  app.post<ById>('/api/orders/:id/cash-received', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    const order = await kiosk.orders.cashReceived(req.params.id, {
      channel: 'operator',
      code: s.code,
      role: s.role,
    });
    return viewOf(order);
  });

  app.post<ById>('/api/orders/:id/cancel', async (req) => viewOf(await kiosk.orders.cancel(req.params.id)));

  /**
   * "Look up my payment": by the serial number on the receipt or the order number shown, a
   * customer sees what happened (masked) — no operator, no balance.
   */
  app.get<{ Params: { ref: string } }>('/api/lookup/:ref', async (req) => {
    const ref = req.params.ref.trim();
    if (/^\d{14}$/.test(ref)) {
      const order = await kiosk.orderBook.find(ref);
      if (order)
        return {
          order: { ...(await viewOf(order)), follow: ctx.follow.issue({ kind: 'order', id: order.id }) },
          transaction: order.serial ? lookupTxn(ctx, await kiosk.engine.get(order.serial)) : null,
        };
    } else if (/^\d{10}$/.test(ref)) {
      const txn = await kiosk.records.getTxn(ref);
      if (txn) {
        const id = typeof txn.data.order === 'string' ? txn.data.order : null;
        const order = id ? await kiosk.orderBook.find(id) : undefined;
        return {
          order: order
            ? { ...(await viewOf(order)), follow: ctx.follow.issue({ kind: 'order', id: order.id }) }
            : null,
          transaction: { ...lookupTxn(ctx, txn), follow: ctx.follow.issue({ kind: 'txn', id: txn.serial }) },
        };
      }
    }
    throw new KioskError('KIOSK_E_NOT_FOUND', {
      field: 'ref',
      zh: '查无此流水号或订单号，请核对后重试',
      en: 'no payment with this serial or order number; check it and try again',
    });
  });
}

/** What a customer may see of a transaction: no operator code, no internal data. */
function lookupTxn(ctx: ServerContext, txn: TxnRecord) {
  const v = ctx.view(txn);
  return {
    serial: v.serial,
    service: v.service,
    serviceName: v.serviceName,
    businessDate: v.businessDate,
    time: v.time,
    state: v.state,
    stateLabel: v.stateLabel,
    terminal: v.terminal,
    result: v.result,
    amount: v.amount,
    fee: v.fee,
    total: v.total,
    fields: v.fields,
    status: { phase: v.status.phase, zh: v.status.zh, en: v.status.en },
    details: v.details,
    final: FINAL_ORDER_STATUSES.size > 0 && v.terminal,
  };
}
