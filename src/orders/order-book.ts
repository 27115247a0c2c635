import { KioskError } from '../core/errors.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import type { Journal } from '../journal/journal.ts';
import type { WriteBatch } from '../journal/write-batch.ts';

/**
 * The orders in the journal: reads, and changes made one at a time per order (the customer's
 * screen, the operator and the kiosk's own follow-up never race on one order). Every change is
 * one atomic, synced batch with its `order` event.
 */
export class OrderBook {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(readonly journal: Journal) {}

  /** Runs `fn` with the order `id` locked against every other change to it. */
  async locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(id) === tail) this.locks.delete(id);
    }
  }

  async find(id: string): Promise<OrderRecord | undefined> {
    if (!/^\d{14}$/.test(id)) return undefined;
    return this.journal.getOrder(id);
  }

  async get(id: string): Promise<OrderRecord> {
    const order = await this.find(id);
    if (!order)
      throw new KioskError('KIOSK_E_ORDER_NOT_FOUND', {
        field: 'id',
        zh: `找不到订单 ${id}`,
        en: `no order ${id}`,
      });
    return order;
  }

  /** Stores `order` changed by `patch` (stamped with the batch time); `extra` adds to the batch. */
  async update(
    order: OrderRecord,
    patch: Partial<OrderRecord>,
    info?: Record<string, unknown>,
    extra?: (b: WriteBatch) => void,
  ): Promise<OrderRecord> {
    return this.journal.commit((b) => {
      const next: OrderRecord = { ...order, ...patch, updatedAt: b.at };
      b.putOrder(next, info);
      extra?.(b);
      return next;
    });
  }
}
