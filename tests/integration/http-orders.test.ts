import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { openHours } from '../support/open-hours.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/**
 * Counter tender over the local API: a customer's order pays nobody until the operator confirms
 * the cash; a double submit answers the same order; self-service without an order is refused;
 * nothing a customer can reach shows the station's balance.
 */
describe('self-service orders at the counter', () => {
  let k: TestKiosk;
  let teller: string;

  beforeAll(async () => {
    k = await startTestKiosk({ clock: openHours() });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    teller = await k.login('A001', '123456');
  });
  afterAll(async () => {
    await k.stop();
  });

  const order = (key: string, amount = '30') =>
    k.api('POST', '/api/orders', {
      body: { service: 'test-bill', fields: { phone: '13800138000', amount }, idempotencyKey: key },
    });

  it('refuses self-service that would pay a biller before the customer pays', async () => {
    const r = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: '13800138000', amount: '30' },
    });
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ code: 'KIOSK_E_PAYMENT_REQUIRED', field: 'tender' });
    expect(k.hq.requests.filter((q) => q.op === 'pay')).toHaveLength(0);
  });

  it('places an order that holds and pays nothing, and answers a double submit with the same order', async () => {
    const before = k.app.balance.summary();
    const [a, b] = await Promise.all([order('screen-key-0001'), order('screen-key-0001')]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(a.body).toMatchObject({
      status: 'awaiting-payment',
      tender: 'counter',
      amount: '30.00',
      fee: '2.00',
      total: '32.00',
      serial: null,
      fields: { phone: '138****8000' },
    });
    expect(a.body.number).toMatch(/^\d{6}$/);
    expect(a.text).not.toContain('13800138000');
    expect(k.app.balance.summary()).toEqual(before);
    expect(k.hq.requests.filter((q) => q.op === 'pay')).toHaveLength(0);
  });

  it('starts the transaction only when the operator confirms cash, with the operator on it', async () => {
    const placed = (await order('screen-key-0002')).body;
    const anon = await k.api('POST', `/api/orders/${placed.id}/cash-received`);
    expect(anon.status).toBe(401);
    const listed = await k.api('GET', '/api/orders?status=awaiting-payment', { token: teller });
    expect(listed.body.items.map((o: { id: string }) => o.id)).toContain(placed.id);
    const r = await k.api('POST', `/api/orders/${placed.id}/cash-received`, { token: teller });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ cashier: 'A001' });
    expect(r.body.serial).toMatch(/^\d{10}$/);
    const txn = await k.app.engine.waitFor(r.body.serial, (t) => t.terminal);
    expect(txn).toMatchObject({ operator: 'A001', state: 'succeeded', data: { order: placed.id } });
    await expect
      .poll(async () => (await k.api('GET', `/api/orders/${placed.id}`)).body.status)
      .toBe('succeeded');
    const again = await k.api('POST', `/api/orders/${placed.id}/cash-received`, { token: teller });
    expect(again.status).toBe(409);
    const lookup = await k.api('GET', `/api/lookup/${r.body.serial}`);
    expect(lookup.body.transaction).toMatchObject({ serial: r.body.serial, result: 'succeeded' });
    expect(lookup.body.order.id).toBe(placed.id);
  });

  it('cancels an unpaid order, which can then not be paid', async () => {
    const placed = (await order('screen-key-0003')).body;
    const c = await k.api('POST', `/api/orders/${placed.id}/cancel`);
    expect(c.body.status).toBe('cancelled');
    const r = await k.api('POST', `/api/orders/${placed.id}/cash-received`, { token: teller });
    expect(r.status).toBe(409);
  });

  it('refuses a bad field naming it, changing nothing', async () => {
    const r = await k.api('POST', '/api/orders', {
      body: { service: 'test-bill', fields: { phone: '123', amount: '30' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.field ?? r.body.issues?.[0]?.field).toBe('phone');
  });

  it('shows availability per service and no balance without a session', async () => {
    const s = await k.api('GET', '/api/services');
    const bill = s.body.services.find((x: { id: string }) => x.id === 'test-bill');
    expect(bill.availability).toEqual({ available: true, code: null, reason: null });
    const bus = s.body.services.find((x: { id: string }) => x.id === 'bus-card-topup');
    expect(bus.availability.code).toBe('not-self-service');
    const h = await k.api('GET', '/api/health');
    expect(h.body.balance).toBeUndefined();
    const page = await k.api('GET', '/');
    expect(page.text).not.toContain('Balance');
    const op = await k.api('GET', '/api/health', { token: teller });
    expect(op.body.balance).toBeDefined();
  });

  it('answers a repeated transaction create with the same Idempotency-Key once', async () => {
    const send = () =>
      k.api('POST', '/api/services/test-bill/transactions', {
        token: teller,
        headers: { 'idempotency-key': 'counter-key-0001' },
        body: { phone: '13800138000', amount: '10' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect(a.body.serial).toBe(b.body.serial);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
  });

  it('reprints a receipt through the print queue with the reprint mark, and journals it', async () => {
    const t = await k.api('POST', '/api/services/test-bill/transactions', {
      token: teller,
      body: { phone: '13800138000', amount: '12' },
    });
    await k.app.engine.waitFor(t.body.serial, (x) => x.terminal);
    expect((await k.api('POST', `/api/transactions/${t.body.serial}/reprint`)).status).toBe(401);
    const printer = k.app.devices!.printer as SimPrinter;
    const before = printer.jobs().length;
    const r = await k.api('POST', `/api/transactions/${t.body.serial}/reprint`, { token: teller, body: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ serial: t.body.serial });
    await expect.poll(() => printer.jobs().length).toBeGreaterThan(before);
    const text = printedText(decodeEscPos(printer.jobs().at(-1)!.bytes));
    expect(text).toContain('补打');
    expect(text).toContain('138****8000');
    expect(text).not.toContain('13800138000');
    const events = [];
    for await (const ev of k.app.journal.events()) if (ev.info?.kind === 'receipt-reprint') events.push(ev);
    expect(events.at(-1)?.info).toMatchObject({ serial: t.body.serial, operator: 'A001' });
  });
});
