import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import type { PaymentRecord } from '../../src/reference-hq/billers/payment-biller.ts';
import { expireQrOrder, payQrOrder, type QrOrder } from '../../src/reference-hq/billers/payment-qr.ts';
import { atChosenTime } from '../support/chosen-time.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { until } from '../support/wait.ts';
import { launch, SIZES, type Touch, touchPage } from './touch-kit.ts';

const run = promisify(execFile);

/**
 * The payment-QR tender on the customer's screen, against the kiosk as `npm start` runs it: the
 * embedded broker and the reference HQ, whose acquirer issues the payment order and whose billers
 * are paid only after the payment is journaled. Paid (with the real `kiosk-hq qr pay`), expired
 * (and a payment after that refunded by the acquirer), and refunded after a biller failure: the
 * screen says what is true at each step. Driven by taps only.
 */
describe('customer touchscreen: QR tender through the reference HQ', () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;
  let browser: Browser;

  const store = () => app.hq.embedded!.server.opts.store;
  /** The HQ payment order the screen's QR code carries. */
  const paymentOf = async (t: Touch): Promise<QrOrder> => {
    const payload = await t.page.locator('[data-k="pay-qr"] svg').getAttribute('data-qr');
    const all = await store().list<QrOrder>('qr:');
    const found = all.map(([, o]) => o).find((o) => o.payload === payload);
    expect(found, `HQ payment order for ${payload}`).toBeTruthy();
    return found!;
  };
  /** Water-bill payments HQ's biller has taken (and not declined) for this account. */
  const billerPaid = async (account: string) =>
    (await store().list<PaymentRecord>('b:water-bill:r:')).filter(
      ([, r]) => r.account === account && r.status !== 'declined',
    ).length;

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({
      prefix: 'kiosk-ui-qr-',
      config: {
        selfService: { tender: ['counter', 'qr'], qrPollMs: 100 },
        engine: { firstStatusQueryMs: 200, statusQueryIntervalMs: 500 },
        hq: { embedded: { billerLatencyMs: 5 } },
      },
    });
    app = kiosk.app;
    await until(() => app.config.services.enabled.includes('water-bill'), 15_000, 'HQ enabling the services');
    await until(() => app.balance.summary().balance === '1000.00', 15_000, 'the opening balance');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  /** From home to the QR of a water bill of `amount` yuan for `account`, by taps. */
  const toQr = async (account: string, amount: string, prefix: string): Promise<Touch> => {
    const t = await touchPage(browser, new URL('ui/', app.url).href, SIZES[0], prefix);
    await t.tap('.tile[data-service="water-bill"]');
    await t.type(account);
    await t.tap('#act-primary');
    await t.page.locator('#f-amount').waitFor({ timeout: 15_000 });
    await t.tap('.key[data-key="clear"]');
    await t.type(amount);
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor({ timeout: 15_000 });
    // Both tenders are offered; the QR one is chosen.
    expect(await t.text('#act-primary')).toContain('到柜台付款');
    await t.tap('#act-tender-qr');
    await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    await t.page.locator('[data-k="pay-qr"] svg').waitFor();
    return t;
  };

  const finish = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  it('shows the QR with its countdown, pays nobody until HQ confirms, then shows the paid result (kiosk-hq qr pay)', async () => {
    const t = await toQr('W1234567', '20', 'qr-paid');
    const pay = await paymentOf(t);
    expect(pay).toMatchObject({ status: 'awaiting', amountFen: 2000, station: app.config.stationId });
    expect(await t.text('dd[data-k="total"]')).toBe('￥20.00');
    expect(await t.text('[data-k="expires"]')).toMatch(/^\d+:\d{2}$/);
    // No way back but cancelling; nothing paid to the biller or taken from the station.
    expect(await t.page.locator('#act-back, #act-home, #act-done').count()).toBe(0);
    expect(await t.page.locator('#act-cancel').count()).toBe(1);
    expect(await billerPaid('W1234567')).toBe(0);
    expect(app.balance.summary().held).toBe('0.00');
    await t.check('01-qr');
    const c = atChosenTime(process.execPath, [
      'bin/kiosk-hq.js',
      'qr',
      'pay',
      pay.paymentId,
      '--connect',
      app.hq.embedded!.connectionFile,
      '--json',
    ]);
    const { stdout } = await run(c.cmd, c.args, { env: c.env, cwd: process.cwd() });
    expect(JSON.parse(stdout)).toMatchObject({ paymentId: pay.paymentId, status: 'paid' });
    await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 20_000 });
    expect(await t.text('dd[data-k="total"]')).toBe('￥20.00');
    expect(await t.page.locator('[data-k="pay-qr"]').count()).toBe(0);
    const serial = await t.text('.serial');
    expect((await app.engine.get(serial)).state).toBe('succeeded');
    expect(await billerPaid('W1234567')).toBe(1);
    expect(app.balance.summary().balance).toBe('980.00');
    await t.check('02-paid');
    await t.tap('#act-done');
    await t.page.locator('.tile[data-service]').first().waitFor();
    await finish(t);
  });

  it('says the order expired and nothing was charged; a payment after that is refunded by the acquirer', async () => {
    const before = app.balance.summary();
    const t = await toQr('W7654321', '15', 'qr-expired');
    const pay = await paymentOf(t);
    await expireQrOrder(store(), pay.paymentId, app.clock.now());
    await t.page.locator('[data-outcome="order-expired"]').waitFor({ timeout: 20_000 });
    expect(await t.text('h1')).toContain('没有扣款');
    expect(await t.page.locator('[data-k="pay-qr"], dd[data-k="total"], .serial').count()).toBe(0);
    await t.check('01-expired');
    const late = await payQrOrder(store(), pay.paymentId, app.clock.now());
    expect(late).toMatchObject({ status: 'refunded', late: true });
    // The kiosk's order stays expired, nothing paid to anyone, the station unchanged.
    const number = await t.text('.order-no');
    const mine = (await app.orders.list({})).find((o) => o.number === number);
    expect(mine).toMatchObject({ status: 'expired', serial: null });
    expect(await t.page.locator('[data-outcome="order-expired"]').count()).toBe(1);
    await t.tap('#act-done');
    expect(await billerPaid('W7654321')).toBe(0);
    expect(app.balance.summary()).toEqual(before);
    await finish(t);
  });

  it('refunds the customer when the biller fails after the QR payment, and the screen and slip say so', async () => {
    const before = app.balance.summary();
    const printer = app.devices!.printer as SimPrinter;
    const printed = printer.jobs().length;
    const t = await toQr('W1234444', '30', 'qr-refund');
    const pay = await paymentOf(t);
    await payQrOrder(store(), pay.paymentId, app.clock.now());
    await t.page.locator('[data-outcome="order-refunded"]').waitFor({ timeout: 30_000 });
    expect(await t.text('h1')).toMatch(/款项已退回[\s\S]*refunded/);
    expect(await t.text('.reason')).not.toBe('');
    // The refund is of what was paid: the total is shown with the serial of the failed payment.
    expect(await t.text('dd[data-k="total"]')).toBe('￥30.00');
    expect(await t.text('.result-grid')).toContain('已退回');
    const serial = await t.text('.serial');
    expect((await app.engine.get(serial)).result).toBe('failed');
    expect((await store().get<QrOrder>(`qr:${pay.paymentId}`))?.status).toBe('refunded');
    expect(app.balance.summary()).toEqual(before);
    await expect.poll(() => printer.jobs().length, { timeout: 10_000 }).toBeGreaterThan(printed);
    const slip = printer
      .jobs()
      .slice(printed)
      .map((j) => printedText(decodeEscPos(j.bytes)))
      .join('\n');
    expect(slip).toContain('已原路退款');
    await t.check('01-refunded');
    await t.tap('#act-done');
    await finish(t);
  });
});
