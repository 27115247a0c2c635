import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import type { OrderRecord } from '../../src/core/orders/order.ts';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import { expireQrOrder, payQrOrder, type QrOrder } from '../../src/reference-hq/billers/payment-qr.ts';
import type { EmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { clockStartingAt } from '../support/chosen-time.ts';
import { type ReferenceHqRig, startReferenceHqRig } from '../support/embedded-kiosk.ts';
import { until } from '../support/wait.ts';

/**
 * Payment-QR orders against the reference HQ over MQTT: HQ's acquirer issues the payment order,
 * the kiosk journals the payment before the biller is paid, a biller failure after payment is
 * refunded through HQ, an order whose time ends takes no payment and a payment after that is
 * refunded, and a double submit is one order.
 */
describe('QR tender through the reference HQ', () => {
  let rig: ReferenceHqRig;
  let hq: EmbeddedHq;
  let app: KioskApp;
  const clock = clockStartingAt();

  const place = async (fields: Record<string, string>, key?: string): Promise<OrderRecord> => {
    const r = await app.orders.create({
      service: 'water-bill',
      fields,
      tender: 'qr',
      ...(key ? { idempotencyKey: key } : {}),
    });
    return r.order;
  };
  const orderOf = async (id: string) => (await app.orderBook.get(id)).status;
  const store = () => hq.server.opts.store;
  const atHq = async (paymentId: string) => store().get<QrOrder>(`qr:${paymentId}`);

  beforeAll(async () => {
    rig = await startReferenceHqRig({
      prefix: 'kiosk-qr-',
      clock,
      hq: {
        openingBalance: '2000.00',
        // HQ enables the services at this new station (its operator is trained on all of them).
        trainedServices: SERVICE_CATALOGUE.map((d) => d.id),
      },
      kiosk: {
        selfService: { tender: ['counter', 'qr'], qrPollMs: 100 },
        engine: { firstStatusQueryMs: 100 },
      },
    });
    hq = rig.hq;
    app = await rig.startKiosk();
    await until(() => app.balance.summary().balance === '2000.00', 10_000, 'the opening balance');
  });
  afterAll(async () => {
    await app?.stop();
    await rig?.stop();
  });

  it('pays the biller only after HQ confirms the QR payment, and journals the payment first', async () => {
    const order = await place({ account: 'W1234567', amount: '20' });
    expect(order).toMatchObject({ status: 'awaiting-payment', tender: 'qr', serial: null });
    expect(order.qr?.payload).toContain(order.qr?.paymentId);
    expect(await atHq(order.qr!.paymentId)).toMatchObject({ status: 'awaiting', amountFen: 2000 });
    expect(app.balance.summary().balance).toBe('2000.00');
    await payQrOrder(store(), order.qr!.paymentId, clock.now());
    await expect.poll(() => orderOf(order.id), { timeout: 10_000 }).toBe('succeeded');
    expect(app.balance.summary().balance).toBe('1980.00');
    const events: string[] = [];
    for await (const ev of app.journal.events()) {
      if (ev.type === 'order' && ev.order.id === order.id) events.push(`order:${ev.order.status}`);
      if (ev.type === 'txn.created' && ev.txn?.data.order === order.id) events.push('txn.created');
    }
    // The payment is journaled (paid) before the transaction exists.
    expect(events.indexOf('order:paid')).toBeLessThan(events.indexOf('txn.created'));
  });

  it('refunds the customer through HQ when the biller fails after the payment', async () => {
    const order = await place({ account: 'W1234444', amount: '30' });
    await payQrOrder(store(), order.qr!.paymentId, clock.now());
    await expect.poll(() => orderOf(order.id), { timeout: 10_000 }).toBe('refunded');
    const done = await app.orderBook.get(order.id);
    expect(done.reason).not.toBeNull();
    expect(done.refund?.ref).toBeTruthy();
    expect((await atHq(order.qr!.paymentId))?.status).toBe('refunded');
    const txn = await app.engine.get(done.serial!);
    expect(txn.result).toBe('failed');
    expect(app.balance.summary().held).toBe('0.00');
  });

  it('expires an order whose time ended, and a payment after that is refunded, paying nobody', async () => {
    const before = app.balance.summary();
    const order = await place({ account: 'W7654321', amount: '15' });
    await expireQrOrder(store(), order.qr!.paymentId, clock.now());
    await expect.poll(() => orderOf(order.id), { timeout: 10_000 }).toBe('expired');
    const late = await payQrOrder(store(), order.qr!.paymentId, clock.now());
    expect(late).toMatchObject({ status: 'refunded', late: true });
    expect((await app.orderBook.get(order.id)).serial).toBeNull();
    expect(app.balance.summary()).toEqual(before);
  });

  it('answers a double submit with one order and one payment order', async () => {
    const [a, b] = await Promise.all([
      place({ account: 'W2345678', amount: '10' }, 'qr-double-0001'),
      place({ account: 'W2345678', amount: '10' }, 'qr-double-0001'),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.qr?.paymentId).toBe(b.qr?.paymentId);
    const mine = (await store().list<QrOrder>('qr:')).filter(([, o]) => o.orderId === a.id);
    expect(mine).toHaveLength(1);
    await app.orders.cancel(a.id);
    expect(await orderOf(a.id)).toBe('cancelled');
    expect((await atHq(a.qr!.paymentId))?.status).toBe('expired');
  });
});
