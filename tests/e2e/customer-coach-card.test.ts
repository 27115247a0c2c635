import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { addDays, toLocal } from '../../src/core/business-day.ts';
import { COACH_CAPACITY, COACH_PLACES, coachSeatsKey } from '../../src/reference-hq/billers/coach-ticket.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { callJson } from '../support/json-api.ts';
import { until } from '../support/wait.ts';
import { launch, SIZES, type Touch, touchPage } from './touch-kit.ts';

const DEBIT = '6228480012345671';
/** The same card with its last digit wrong: the Luhn check digit fails. */
const DEBIT_TYPO = '6228480012345672';
const CREDIT = '4380881234567894';

/**
 * Coach e-tickets and credit-card repayment on the customer's screen, against the kiosk as
 * `npm start` runs it (embedded broker, reference HQ and its coach and card billers), by taps:
 * places from HQ's place list, a travel date, a trip from the timetable (which brings its fare),
 * seats, then the tender; card numbers on the keypad with the check digit enforced, and a terminal
 * that is not bound or not signed in told to the customer as the kiosk's reason.
 */
describe('customer touchscreen: coach tickets and credit-card repayment', () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;
  let browser: Browser;
  let token: string;

  const api = (method: string, path: string, body?: unknown, auth?: string) =>
    callJson(app.url!, method, path, body, auth);

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({
      prefix: 'kiosk-ui-coach-card-',
      config: {
        selfService: {
          services: ['mobile-topup', 'water-bill', 'coach-ticket', 'credit-card-repayment'],
        },
        engine: { firstStatusQueryMs: 200, statusQueryIntervalMs: 500 },
        hq: { embedded: { billerLatencyMs: 5 } },
      },
    });
    app = kiosk.app;
    await until(() => app.config.services.enabled.includes('coach-ticket'), 15_000, 'HQ enabling services');
    await until(() => app.balance.summary().balance === '1000.00', 15_000, 'the opening balance');
    await app.operators.add({ code: 'A001', name: '收款员', role: 'teller', password: '123456' });
    const s = await api('POST', '/api/session', { code: 'A001', password: '123456' });
    token = s.body.token;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  const open = (prefix: string) => touchPage(browser, new URL('ui/', app.url).href, SIZES[0], prefix);
  const finish = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  it('sells a coach ticket: places from HQ, a date, a trip from the timetable with its fare, seats, paid at the counter', async () => {
    const t = await open('coach');
    await t.tap('.tile[data-service="coach-ticket"]');
    // From: HQ's place list, filtered by initial letter.
    await t.page.locator('.option[data-value="杭州"]').waitFor({ timeout: 15_000 });
    expect(await t.page.locator('#act-primary').isDisabled()).toBe(true);
    await t.tap('.filter[data-filter="group:H"]');
    expect(await t.page.locator('.options .option').count()).toBe(
      COACH_PLACES.filter((p) => p.initial === 'H').length,
    );
    await t.tap('.option[data-value="杭州"]');
    await t.check('01-from');
    await t.tap('#act-primary');
    await t.page.locator('.option[data-value="上海"]').waitFor();
    await t.tap('.option[data-value="上海"]');
    await t.tap('#act-primary');
    // Travel date: today to the end of the presale, by the kiosk's own clock.
    const today = toLocal(app.clock.now()).date;
    const tomorrow = addDays(today, 1);
    await t.page.locator(`.option[data-value="${tomorrow}"]`).waitFor();
    expect(await t.page.locator('.options .option').count()).toBe(app.config.coach.presaleDays + 1);
    expect(await t.text(`.option[data-value="${today}"]`)).toContain('今天');
    await t.tap(`.option[data-value="${tomorrow}"]`);
    await t.check('02-date');
    await t.tap('#act-primary');
    // The timetable: a trip brings its fare; no screen asks for the fare.
    const trip = t.page.locator('.options .option:not([disabled])', { hasText: '发车' }).first();
    await trip.waitFor({ timeout: 15_000 });
    const tripId = (await trip.getAttribute('data-value'))!;
    expect(await trip.textContent()).toMatch(/\d{2}:\d{2} 发车.*￥\d+\.00 · 余座 \d+/);
    await t.check('03-trip');
    await t.tap(`.option[data-value="${tripId}"]`);
    await t.tap('#act-primary');
    await t.page.locator('#f-seats').waitFor();
    await t.type('2');
    await t.tap('#act-primary');
    await t.page.locator('#f-phone').waitFor();
    await t.type('13800138000');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor({ timeout: 15_000 });
    expect(await t.text('dd[data-k="from"]')).toBe('杭州');
    expect(await t.text('dd[data-k="to"]')).toBe('上海');
    expect(await t.text('dd[data-k="date"]')).toMatch(/月\d+日 周/);
    expect(await t.text('dd[data-k="tripId"]')).toContain('发车');
    expect(await t.text('dd[data-k="seats"]')).toBe('2');
    const fare = (await t.text('dd[data-k="price"]')).replace('￥', '');
    expect(await t.text('dd[data-k="amount"]')).toBe(`￥${(Number(fare) * 2).toFixed(2)}`);
    await t.check('04-confirm');
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    const number = await t.text('.order-no');
    const list = await api('GET', '/api/orders?status=awaiting-payment', undefined, token);
    const order = list.body.items.find((o: { number: string }) => o.number === number);
    const printer = app.devices!.printer as SimPrinter;
    const printed = printer.jobs().length;
    expect((await api('POST', `/api/orders/${order.id}/cash-received`, {}, token)).status).toBeLessThan(300);
    await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 20_000 });
    const serial = await t.text('.serial');
    const txn = await app.engine.get(serial);
    expect(txn).toMatchObject({
      service: 'coach-ticket',
      state: 'sold',
      fields: { from: '杭州', to: '上海', date: tomorrow, tripId, seats: '2', price: fare },
    });
    // The customer's result shows the ticket number HQ issued first, in the serial's place, with
    // the seat numbers, the departure and how to collect the ticket and board.
    const ticketNo = String(txn.data.ticketNo);
    expect(ticketNo).toMatch(/^T\d{8}K\d{8}$/);
    await t.page.locator('dd[data-k="lead"]').waitFor({ timeout: 10_000 });
    expect(await t.text('dd[data-k="lead"]')).toBe(ticketNo);
    const rows = await t.page
      .locator('.result-grid dd')
      .evaluateAll((dds) => dds.map((d) => d.getAttribute('data-k')));
    expect(rows.indexOf('lead')).toBeLessThan(rows.indexOf('serial'));
    const seatNos = txn.data.seatNos as number[];
    expect(seatNos).toHaveLength(2);
    const grid = await t.text('.result-grid');
    expect(grid).toContain(seatNos.map((n) => `${n}号`).join('、'));
    expect(grid).toContain(`${tomorrow.slice(0, 4)}-${tomorrow.slice(4, 6)}-${tomorrow.slice(6)}`);
    expect(grid).toContain('杭州汽车客运站');
    expect(grid).toContain('检票');
    // The same lines are on the receipt.
    await expect.poll(() => printer.jobs().length, { timeout: 10_000 }).toBeGreaterThan(printed);
    const receipt = printer
      .jobs()
      .slice(printed)
      .map((j) => printedText(decodeEscPos(j.bytes)))
      .join('\n');
    expect(receipt).toContain(ticketNo);
    expect(receipt).toContain(seatNos.map((n) => `${n}号`).join('、'));
    // (Long lines wrap on the 32-column paper.)
    expect(receipt.replace(/\s/g, '')).toContain('杭州汽车客运站');
    await t.check('05-sold');
    await t.tap('#act-done');
    await finish(t);
  });

  it('seats sold out while the customer chooses: the confirmation says so before anything is placed, and the order is checked again', async () => {
    const store = app.hq.embedded!.store;
    /** Another kiosk sells the trip's seats but `left`. */
    const sellAllBut = (tripId: string, left: number) =>
      store.put(
        coachSeatsKey(tripId),
        Array.from({ length: COACH_CAPACITY - left }, (_, i) => i + 1),
      );
    const t = await open('coach-seats');
    await t.tap('.tile[data-service="coach-ticket"]');
    await t.page.locator('.option[data-value="杭州"]').waitFor({ timeout: 15_000 });
    await t.tap('.option[data-value="杭州"]');
    await t.tap('#act-primary');
    await t.page.locator('.option[data-value="宁波"]').waitFor();
    await t.tap('.option[data-value="宁波"]');
    await t.tap('#act-primary');
    const tomorrow = addDays(toLocal(app.clock.now()).date, 1);
    await t.page.locator(`.option[data-value="${tomorrow}"]`).waitFor();
    await t.tap(`.option[data-value="${tomorrow}"]`);
    await t.tap('#act-primary');
    const trip = t.page.locator('.options .option:not([disabled])', { hasText: '发车' }).first();
    await trip.waitFor({ timeout: 15_000 });
    const tripId = (await trip.getAttribute('data-value'))!;
    await t.tap(`.option[data-value="${tripId}"]`);
    await t.tap('#act-primary');
    await t.page.locator('#f-seats').waitFor();
    await t.type('2');
    await t.tap('#act-primary');
    await t.page.locator('#f-phone').waitFor();
    await t.type('13800138000');
    // Meanwhile all but one seat go: the quote for the confirmation finds it and sends the
    // customer back to the seats, naming what is left.
    await sellAllBut(tripId, 1);
    await t.tap('#act-primary');
    await t.page.locator('#f-seats').waitFor({ timeout: 15_000 });
    expect(await t.text('[data-field="seats"]')).toContain('余票仅 1 张');
    expect(await t.page.locator('dd[data-k="total"]').count()).toBe(0);
    await t.check('01-seats-left');
    await t.tap('.key[data-key="del"]');
    await t.type('1');
    await t.tap('#act-primary');
    await t.page.locator('#f-phone').waitFor();
    // The last seat goes too: back to the trip, which says there are none.
    await sellAllBut(tripId, 0);
    await t.tap('#act-primary');
    await t.page.locator(`.option[data-value="${tripId}"]`).waitFor({ timeout: 15_000 });
    await t.page.locator('p.error', { hasText: '已无余票' }).waitFor({ timeout: 10_000 });
    expect(await t.page.locator(`.option[data-value="${tripId}"]`).isDisabled()).toBe(true);
    await t.check('02-sold-out');
    await finish(t);
    // Seats come back (a void) and the customer places the order; the last seat is sold before
    // they pay at the counter: taking the cash is refused with the reason, nothing is sold.
    await sellAllBut(tripId, 1);
    const fare = (
      await api('POST', '/api/services/coach-ticket/inquiry', {
        from: '杭州',
        to: '宁波',
        date: tomorrow,
      })
    ).body.answer.trips.find((x: { tripId: string }) => x.tripId === tripId).price;
    const fields = {
      from: '杭州',
      to: '宁波',
      date: tomorrow,
      tripId,
      seats: '1',
      price: fare,
      phone: '13800138000',
    };
    const quote = await api('POST', '/api/services/coach-ticket/quote', fields);
    expect(quote.status).toBe(200);
    const placed = await api('POST', '/api/orders', {
      service: 'coach-ticket',
      fields,
      tender: 'counter',
      idempotencyKey: 'seats-order-1',
    });
    expect(placed.status).toBe(201);
    await sellAllBut(tripId, 0);
    const cash = await api('POST', `/api/orders/${placed.body.id}/cash-received`, {}, token);
    expect(cash.status).toBe(400);
    expect(JSON.stringify(cash.body)).toContain('已无余票');
    expect((await api('GET', `/api/orders/${placed.body.id}`, undefined, token)).body.status).toBe(
      'awaiting-payment',
    );
  });

  it('repays a credit card by taps: the check digit refused on the card’s own screen, the terminal’s state told as the kiosk’s reason', async () => {
    const t = await open('card');
    const tile = t.page.locator('.tile[data-service="credit-card-repayment"]');
    // No terminal bound yet: the tile says so in the customer's words, and cannot be opened.
    await tile.waitFor();
    expect(await tile.getAttribute('aria-disabled')).toBe('true');
    expect(await tile.textContent()).toContain('暂未开通信用卡还款');
    expect(await tile.textContent()).not.toMatch(/终端|terminal/i);
    // HQ binds and enables the terminal by signed command: not signed in today yet.
    const hq = app.hq.embedded!.server;
    await hq.stations.setTerminal(app.config.stationId, { terminalNo: '12345678', status: 'enabled' });
    await hq.commands.send(app.config.stationId, 'terminal', { terminalNo: '12345678', status: 'enabled' });
    await until(() => app.cardTerminal.status().status === 'enabled', 10_000, 'the terminal enabled');
    await t.page.reload();
    await tile.waitFor();
    expect(await tile.textContent()).toContain('今日尚未开始办理');
    await t.check('01-not-signed-in');
    // The operator signs the terminal in for the day.
    expect((await api('POST', '/api/credit-card/sign-in', {}, token)).status).toBeLessThan(300);
    await t.page.reload();
    await tile.waitFor();
    expect(await tile.getAttribute('aria-disabled')).toBeNull();
    await t.tap('.tile[data-service="credit-card-repayment"]');
    // The service screens load on the first tap of a tile: wait for the pad to be drawn.
    await t.page.locator('.pad-digits').first().waitFor();
    expect(await t.page.locator('.pad-digits').count()).toBe(1);
    await t.type(DEBIT_TYPO);
    await t.check('02-debit');
    await t.tap('#act-primary');
    await t.page.locator('#f-creditCard').waitFor();
    await t.type(CREDIT);
    await t.tap('#act-primary');
    await t.page.locator('#f-amount').waitFor();
    await t.type('100');
    await t.tap('#act-primary');
    // The wrong check digit sends the customer back to that card's screen, naming the rule.
    await t.page.locator('#f-debitCard').waitFor({ timeout: 15_000 });
    expect(await t.text('[data-field="debitCard"]')).toContain('校验位不正确');
    await t.check('03-luhn');
    await t.tap('.key[data-key="del"]');
    await t.type('1');
    await t.tap('#act-primary');
    await t.tap('#act-primary');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor({ timeout: 15_000 });
    // The customer checks the full numbers they typed.
    expect((await t.text('dd[data-k="debitCard"]')).replace(/\s/g, '')).toBe(DEBIT);
    expect((await t.text('dd[data-k="creditCard"]')).replace(/\s/g, '')).toBe(CREDIT);
    expect(await t.text('dd[data-k="total"]')).toBe('￥100.00');
    await t.check('04-confirm');
    const before = app.balance.summary();
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 20_000 });
    const serial = await t.text('.serial');
    const txn = await app.engine.get(serial);
    expect(txn).toMatchObject({ service: 'credit-card-repayment', state: 'succeeded' });
    // Only first 6 / last 4 are kept; the station's prepaid balance pays nothing.
    expect(txn.fields.debitCard).toBe('622848******5671');
    expect(JSON.stringify(txn)).not.toContain(CREDIT);
    expect(app.balance.summary().balance).toBe(before.balance);
    await t.check('05-done');
    await t.tap('#act-done');
    await finish(t);
  });
});
