import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimCardReader } from '../../devices/card-reader/sim-card-reader.ts';
import {
  demoElectricityCard,
  type VirtualElectricityCard,
  VirtualForeignCard,
} from '../../devices/card-reader/virtual-electricity-card.ts';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { payQrOrder, type QrOrder } from '../../src/reference-hq/billers/payment-qr.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';
import { callJson } from '../support/json-api.ts';
import { until } from '../support/wait.ts';
import { consoleLogin, openScreen } from './console-login.ts';
import { launch, SIZES, type Size, type Touch, touchPage } from './touch-kit.ts';

const CUSTOMER = '3301000123';

/**
 * The electricity card purchase on the customer's screen, by taps only, against the kiosk as
 * `npm start` runs it (embedded broker, reference HQ, the simulated card reader holding a demo
 * card): the card step reads the card and shows it masked, the customer pays at the counter, the
 * kiosk buys and writes the units onto the card and the screen follows each card state with what
 * the customer must do. A wrong card, a card pulled before the order, a write the card refuses
 * and a card pulled in the middle of the write are each shown with what to do next.
 */
describe('customer touchscreen: electricity card purchase', { timeout: 180_000 }, () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;
  let browser: Browser;
  let token: string;
  /** The customer's card: back in the reader after every case, whatever the case did with it. */
  const theCard = demoElectricityCard(CUSTOMER);

  const api = (method: string, path: string, body?: unknown) => callJson(app.url!, method, path, body, token);
  const reader = () => app.devices!.cardReader as SimCardReader;
  const card = () => reader().insertedCard() as VirtualElectricityCard;

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({
      prefix: 'kiosk-ui-power-card-',
      config: {
        selfService: { tender: ['counter', 'qr'], qrPollMs: 100, services: ['power-card', 'mobile-topup'] },
        engine: { requestTimeoutMs: 3000 },
      },
    });
    app = kiosk.app;
    await until(() => app.config.services.enabled.includes('power-card'), 30_000, 'HQ enabling the service');
    await until(() => app.balance.summary().balance === '1000.00', 30_000, 'the opening balance');
    await app.operators.add({ code: 'A001', name: '收款员', role: 'teller', password: '123456' });
    token = (await api('POST', '/api/session', { code: 'A001', password: '123456' })).body.token;
    reader().removeCard();
    reader().insertCard(theCard);
    browser = await launch();
  });
  afterEach(() => {
    if (reader().insertedCard() !== theCard) {
      reader().removeCard();
      reader().insertCard(theCard);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  const open = (size: Size, name: string) =>
    touchPage(browser, new URL('ui/', app.url).href, size, `power-card-${name}`);

  /** From home through the card step and the amount to the confirmation. */
  const toConfirmation = async (t: Touch, amount: string) => {
    await t.tap('.tile[data-service="power-card"]');
    await t.page.locator('[data-k="card-state"] dl.card-read').waitFor({ timeout: 15_000 });
    await t.check('card-read');
    await t.tap('#act-primary');
    await t.page.locator('main input.display').waitFor({ timeout: 15_000 });
    await t.tap('.key[data-key="clear"]');
    await t.type(amount);
    await t.check('amount');
    await t.tap('#act-primary');
    await t.page.locator('main dd[data-k="total"]').waitFor({ timeout: 15_000 });
  };

  /** The counter takes the cash for the order on the screen. */
  const payAtCounter = async (t: Touch) => {
    await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    const number = await t.text('.order-no');
    const list = await api('GET', '/api/orders?status=awaiting-payment');
    const order = list.body.items.find((o: { number: string }) => o.number === number);
    expect((await api('POST', `/api/orders/${order.id}/cash-received`, {})).status).toBeLessThan(300);
  };

  /** The page never holds the card's full numbers. */
  const noFullNumbers = async (t: Touch) => {
    const html = await t.page.content();
    expect(html).not.toContain(CUSTOMER);
    expect(html).not.toContain(card().id.cardSerial);
  };

  for (const size of [SIZES[0], SIZES[1]]) {
    it(`buys units onto the card by taps at ${size.width}×${size.height}: card read masked, paid at the counter, written, confirmed`, async () => {
      const before = { ...card().purchase };
      const balance = app.balance.summary().balance;
      const t = await open(size, `buy-${size.width}`);
      await toConfirmation(t, '50');
      expect(await t.text('main dd[data-k="customerNo"]')).toMatch(/\*+0123$/);
      await noFullNumbers(t);
      await t.check('confirm');
      await t.tap('#act-primary');
      await t.page.locator('[data-k="card-stay"]').waitFor({ timeout: 15_000 });
      await t.check('order');
      await payAtCounter(t);
      await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 30_000 });
      await t.check('done');
      await noFullNumbers(t);
      const txn = await app.engine.get(await t.text('.serial'));
      expect(txn).toMatchObject({ service: 'power-card', state: 'succeeded' });
      expect(txn.data.order).toBeTruthy();
      const after = card().purchase;
      expect(after.purchaseCounter).toBe(before.purchaseCounter + 1);
      expect(after.pendingUnits).toBeGreaterThan(before.pendingUnits);
      expect(Number(app.balance.summary().balance)).toBe(Number(balance) - 50);
      await t.tap('#act-done');
      await t.page.locator('.tile[data-service]').first().waitFor();
      expect(t.errors).toEqual([]);
      await t.close();
    });
  }

  it('the operator buys units onto the card at the console (assisted, cash at the counter) by taps at 800×480', async () => {
    const before = { ...card().purchase };
    const balance = app.balance.summary().balance;
    const t = await openScreen(browser, new URL('ui/', app.url).href, SIZES[0], 'power-card-console');
    await consoleLogin(t, 'A001', '123456');
    await t.tap('[data-menu="assist"]');
    await toConfirmation(t, '30');
    await noFullNumbers(t);
    await t.check('console-confirm');
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 30_000 });
    await t.check('console-done');
    const txn = await app.engine.get(await t.text('.serial'));
    expect(txn).toMatchObject({
      service: 'power-card',
      state: 'succeeded',
      channel: 'operator',
      operator: 'A001',
    });
    expect(card().purchase.purchaseCounter).toBe(before.purchaseCounter + 1);
    expect(Number(app.balance.summary().balance)).toBe(Number(balance) - 30);
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('a card that is not an electricity card is named as such; the right card goes on', async () => {
    const mine = theCard;
    reader().removeCard();
    reader().insertCard(new VirtualForeignCard());
    const t = await open(SIZES[0], 'wrong');
    await t.tap('.tile[data-service="power-card"]');
    await t.page.locator('[data-k="card-wrong"]').waitFor({ timeout: 15_000 });
    expect(await t.page.locator('#act-primary').isDisabled()).toBe(true);
    await t.check('wrong-card');
    reader().removeCard();
    await t.page.locator('[data-k="card-absent"]').waitFor({ timeout: 15_000 });
    reader().insertCard(mine);
    await t.page.locator('[data-k="card-state"] dl.card-read').waitFor({ timeout: 15_000 });
    expect(await t.page.locator('#act-primary').isDisabled()).toBe(false);
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('a card pulled before the order is placed: nothing charged, back to the card step, then it goes on', async () => {
    const mine = theCard;
    const t = await open(SIZES[0], 'pulled');
    await toConfirmation(t, '20');
    reader().removeCard();
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="refused"]').waitFor({ timeout: 15_000 });
    expect(await t.text('main')).toMatch(/没有扣款/);
    await t.check('pulled-refused');
    await t.tap('#act-back');
    await t.page.locator('[data-k="card-problem"]').waitFor({ timeout: 15_000 });
    await t.page.locator('[data-k="card-absent"]').waitFor({ timeout: 15_000 });
    await t.check('pulled-card-step');
    expect((await api('GET', '/api/orders?status=awaiting-payment')).body.items).toEqual([]);
    reader().insertCard(mine);
    await t.page.locator('[data-k="card-state"] dl.card-read').waitFor({ timeout: 15_000 });
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('a write the card refuses: the purchase is undone, the screen says nothing is on the card and to collect the cash', async () => {
    const before = { ...card().purchase };
    const balance = app.balance.summary().balance;
    const t = await open(SIZES[0], 'write-failed');
    await toConfirmation(t, '30');
    await t.tap('#act-primary');
    card().failNextWrites(1);
    await payAtCounter(t);
    await t.page.locator('[data-outcome="order-failed"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => t.text('main'), { timeout: 15_000 }).toMatch(/电卡未写入，本次购电已撤销/);
    expect(await t.text('main')).toMatch(/请到窗口取回现金/);
    await t.check('write-failed');
    const txn = await app.engine.get(await t.text('.serial'));
    expect(txn.state).toBe('accounting-reversed');
    expect(card().purchase.purchaseCounter).toBe(before.purchaseCounter);
    expect(app.balance.summary().balance).toBe(balance);
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('the card pulled in the middle of the write: the screen asks for it back, then the write is checked and finished', async () => {
    const before = { ...card().purchase };
    const t = await open(SIZES[1], 'torn');
    await toConfirmation(t, '40');
    await t.tap('#act-primary');
    const mine = theCard;
    mine.tearNextWrite('before-commit');
    await payAtCounter(t);
    // The write pulled the card: the customer is asked to put it back, with no way to leave.
    await expect
      .poll(() => t.text('main'), { timeout: 30_000 })
      .toMatch(/请插回电卡|请在 \d+ 分钟内重新插入/);
    expect(reader().cardPresent()).toBe(false);
    expect(await t.page.locator('#act-noted, #act-done').count()).toBe(0);
    await t.check('card-back');
    reader().insertCard(mine);
    await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 60_000 });
    const txn = await app.engine.get(await t.text('.serial'));
    expect(txn.state).toBe('succeeded');
    expect(mine.purchase.purchaseCounter).toBe(before.purchaseCounter + 1);
    expect(t.errors).toEqual([]);
    await t.close();
  });

  it('paid by QR with the card taken out meanwhile: nothing is bought, the payment goes back, and the screen says why', async () => {
    const before = { ...theCard.purchase };
    const balance = app.balance.summary().balance;
    const t = await open(SIZES[0], 'qr-pulled');
    await toConfirmation(t, '25');
    await t.tap('#act-tender-qr');
    await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    await t.page.locator('[data-k="card-stay"]').waitFor();
    await t.check('qr-card-stay');
    reader().removeCard();
    const payload = await t.page.locator('[data-k="pay-qr"] svg').getAttribute('data-qr');
    const store = app.hq.embedded!.server.opts.store;
    const found = (await store.list<QrOrder>('qr:')).map(([, o]) => o).find((o) => o.payload === payload);
    await payQrOrder(store, found!.paymentId, app.clock.now());
    await t.page.locator('[data-outcome="order-refunded"]').waitFor({ timeout: 30_000 });
    expect(await t.text('main')).toMatch(/款项已退回/);
    expect(await t.text('main p.reason')).toMatch(/卡/);
    await t.check('qr-refunded');
    expect(theCard.purchase.purchaseCounter).toBe(before.purchaseCounter);
    expect(app.balance.summary().balance).toBe(balance);
    expect(t.errors).toEqual([]);
    await t.close();
  });
});
