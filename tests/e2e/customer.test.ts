import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { launch, SIZES, type Touch, touchPage } from './touch-kit.ts';

const SELF = [
  'mobile-topup',
  'water-bill',
  'telecom-bill',
  'game-topup',
  'electricity-bill',
  'gas-bill',
  'cable-tv',
  'unicom-cash',
];

/**
 * The customer's touchscreen at /ui/ in Debian's headless chromium against a real kiosk (LevelDB,
 * the local API, the simulated sign) with the in-memory HQ double; driven by taps only.
 */
describe('customer touchscreen', () => {
  let kiosk: TestKiosk;
  let browser: Browser;

  beforeAll(async () => {
    kiosk = await startTestKiosk({
      overrides: {
        services: {
          enabled: SERVICES.map((s) => s.id),
          fees: { 'water-bill': '1.00', 'mobile-topup': '0.50' },
          mobileRegions: ['安庆'],
        },
        selfService: { enabled: true, services: SELF, maxAmount: '200.00', perService: {} },
      },
    });
    await kiosk.app.operators.add({ code: 'C001', name: '收款员', role: 'teller', password: '123456' });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  const open = (size: (typeof SIZES)[number], prefix: string) =>
    touchPage(browser, new URL('ui/', kiosk.url).href, size, prefix);
  /** The customer's order waits for cash; the operator takes it at the counter (through the API here). */
  const payAtCounter = async (t: Touch) => {
    await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    const number = await t.text('.order-no');
    expect(number).toMatch(/^\d{6}$/);
    const token = await kiosk.login('C001', '123456');
    const list = await kiosk.api('GET', '/api/orders?status=awaiting-payment', { token });
    const order = list.body.items.find((o: { number: string }) => o.number === number);
    const r = await kiosk.api('POST', `/api/orders/${order.id}/cash-received`, { token, body: {} });
    expect(r.status).toBeLessThan(300);
    return number;
  };

  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  for (const size of SIZES) {
    it(`tops up a mobile by taps at ${size.width}×${size.height}: keypad, quick amount, full number on the confirmation`, async () => {
      kiosk.hq.script('query', { outcome: 'ok', data: { city: '安庆' } });
      kiosk.hq.script('pay', 'ok');
      const t = await open(size, 'mobile');
      await t.page.locator('.tile[data-service]').first().waitFor();
      expect(await t.page.locator('.tile[data-service]').count()).toBe(SELF.length);
      await t.check('01-home');
      await t.tap('.tile[data-service="mobile-topup"]');
      expect(await t.page.locator('#f-phone').getAttribute('inputmode')).toBe('none');
      expect(await t.page.locator('#f-phone').getAttribute('readonly')).not.toBeNull();
      await t.type('138001380009');
      await t.tap('.key[data-key="del"]');
      await t.type('0');
      expect(await t.page.locator('#f-phone').inputValue()).toBe('138 0013 8000');
      await t.check('02-phone');
      await t.tap('#act-primary');
      await t.page.locator('#f-amount').waitFor();
      await t.tap('.chip[data-quick="50"]');
      expect(await t.page.locator('#f-amount').inputValue()).toBe('50');
      await t.check('03-amount');
      await t.tap('#act-primary');
      await t.page.locator('[data-k="total"]').waitFor();
      expect(await t.text('dd[data-k="phone"]')).toBe('138 0013 8000');
      expect(await t.text('dd[data-k="total"]')).toBe('￥50.50');
      const before = kiosk.hq.count('pay');
      await t.check('04-confirm');
      await t.tap('#act-primary');
      await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
      await t.check('05-pay-at-counter');
      // Nothing is paid to the biller before the customer has paid.
      expect(kiosk.hq.count('pay')).toBe(before);
      await payAtCounter(t);
      await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 15_000 });
      expect(kiosk.hq.count('pay')).toBe(before + 1);
      await t.check('05-done');
      await t.tap('#act-done');
      await t.page.locator('.tile[data-service]').first().waitFor();
      await done(t);
    });
  }

  it('pays a water bill: letters on the A–Z pad, the arrears as the amount, the full account on the confirmation', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { arrears: '35.20', name: '张*' } });
    kiosk.hq.script('pay', 'ok');
    const t = await open(SIZES[0], 'water');
    await t.tap('.tile[data-service="water-bill"]');
    // The service screens load on the first tap of a tile: wait for the pad to be drawn.
    await t.page.locator('.pad-alnum').waitFor();
    expect(await t.page.locator('.pad-alnum .key[data-key="W"]').count()).toBe(1);
    await t.type('W1234567');
    await t.check('01-account');
    await t.tap('#act-primary');
    await t.page.locator('#f-amount').waitFor();
    expect(await t.page.locator('#f-amount').inputValue()).toBe('35.20');
    expect(await t.text('.answer')).toContain('￥35.20');
    await t.check('02-amount');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor();
    expect(await t.text('dd[data-k="account"]')).toBe('W1234567');
    expect(await t.text('dd[data-k="name"]')).toBe('张*');
    expect(await t.text('dd[data-k="total"]')).toBe('￥36.20');
    await t.check('03-confirm');
    await t.tap('#act-primary');
    await payAtCounter(t);
    await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 15_000 });
    await done(t);
  });

  it('pays a telecom bill by choosing one of the number’s contracts', async () => {
    kiosk.hq.script('query', {
      outcome: 'ok',
      data: {
        contracts: [
          { contractNo: 'HT00000101', arrears: '12.00' },
          { contractNo: 'HT00000102', arrears: '88.50' },
        ],
      },
    });
    kiosk.hq.script('pay', 'ok');
    const t = await open(SIZES[0], 'telecom');
    await t.tap('.tile[data-service="telecom-bill"]');
    await t.type('057187654321');
    await t.tap('#act-primary');
    await t.page.locator('.option[data-value="HT00000102"]').waitFor();
    expect(await t.page.locator('#act-primary').isDisabled()).toBe(true);
    await t.tap('.option[data-value="HT00000102"]');
    await t.check('01-contract');
    await t.tap('#act-primary');
    expect(await t.page.locator('#f-amount').inputValue()).toBe('88.50');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor();
    expect(await t.text('dd[data-k="contractNo"]')).toBe('HT00000102');
    await t.tap('#act-primary');
    await payAtCounter(t);
    await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 15_000 });
    await done(t);
  });

  it('tops up a game chosen by initial letter, by name, after the tick that it cannot be reversed', async () => {
    kiosk.hq.script('games', {
      outcome: 'ok',
      data: {
        games: [
          { id: 'wzry', name: '王者荣耀', packages: ['6', '30'] },
          { id: 'hpjy', name: '和平精英', packages: ['6', '30', '68'] },
          { id: 'mhxy', name: '梦幻西游', packages: ['15', '30'] },
        ],
      },
    });
    kiosk.hq.script('pay', 'ok');
    const t = await open(SIZES[0], 'game');
    await t.tap('.tile[data-service="game-topup"]');
    await t.page.locator('.option[data-value="wzry"]').waitFor();
    expect(await t.text('.option[data-value="wzry"]')).toBe('王者荣耀');
    await t.tap('.filter[data-filter="letter:H"]');
    expect(await t.page.locator('.games .option').count()).toBe(1);
    await t.tap('.option[data-value="hpjy"]');
    await t.check('01-game');
    await t.tap('#act-primary');
    await t.type('PLAYER2026');
    await t.tap('#act-primary');
    await t.tap('.option[data-value="30"]');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor();
    expect(await t.text('dd[data-k="game"]')).toBe('和平精英');
    expect(await t.text('dd[data-k="account"]')).toBe('PLAYER2026');
    expect(await t.page.locator('#act-primary').isDisabled()).toBe(true);
    await t.tap('#confirm-tick');
    await t.check('02-confirm');
    await t.tap('#act-primary');
    await payAtCounter(t);
    await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 15_000 });
    const serial = await t.text('.serial');
    const txn = await kiosk.api('GET', `/api/transactions/${serial}`);
    expect(txn.body).toMatchObject({
      service: 'game-topup',
      state: 'succeeded',
      fields: { game: 'hpjy', confirm: 'yes' },
    });
    await done(t);
  });

  /** From home to the confirmation of a 20-yuan mobile top-up. */
  const toMobileConfirm = async (t: Touch) => {
    await t.tap('.tile[data-service="mobile-topup"]');
    await t.type('13800138000');
    await t.tap('#act-primary');
    await t.tap('.chip[data-quick="20"]');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor();
  };

  it('places one order for a double tap on confirm; no way back while it waits; a pending result with its QR and look-up', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { city: '安庆' } });
    kiosk.hq.script('pay', 'pending');
    const t = await open(SIZES[0], 'double');
    await toMobileConfirm(t);
    const token = await kiosk.login('C001', '123456');
    const orders = async () => (await kiosk.api('GET', '/api/orders', { token })).body.items.length as number;
    const beforeOrders = await orders();
    const before = kiosk.hq.count('pay');
    const box = (await t.page.locator('#act-primary').boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await Promise.all([t.page.touchscreen.tap(x, y), t.page.touchscreen.tap(x, y)]);
    await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    // One order for two taps; while it waits, no way back but cancelling it.
    expect(await orders()).toBe(beforeOrders + 1);
    expect(await t.page.locator('#act-back, #act-home, #act-primary').count()).toBe(0);
    await payAtCounter(t);
    await t.page.locator('[data-outcome="order-pending"]').waitFor({ timeout: 15_000 });
    expect(kiosk.hq.count('pay')).toBe(before + 1);
    // A pending result: its serial as a number and a QR code, and how to follow it.
    const serial = await t.text('.serial');
    expect(await t.page.locator(`.qr svg[data-qr="${serial}"]`).count()).toBe(1);
    expect(await t.page.locator('#act-done').count()).toBe(0);
    // While the kiosk keeps asking HQ, each change of the transaction makes the screen read the
    // order again. Those reads are held back until the customer has left the screen: their late
    // answers must not repaint the screen the customer is on by then.
    let releaseReads = () => {};
    const readsHeld = new Promise<void>((r) => {
      releaseReads = r;
    });
    const isRead = (url: string, method: string) => method === 'GET' && /\/api\/orders\/[^/?]+$/.test(url);
    const held = new Set<Request>();
    const answered = new Set<Request>();
    await t.page.route('**/api/orders/*', async (route) => {
      if (isRead(route.request().url(), route.request().method())) {
        held.add(route.request());
        await readsHeld;
      }
      await route.continue();
    });
    t.page.on('requestfinished', (r) => answered.add(r));
    t.page.on('requestfailed', (r) => answered.add(r));
    await expect.poll(() => held.size, { timeout: 15_000 }).toBeGreaterThan(0);
    await t.tap('#act-noted');
    await t.page.locator('#act-lookup').waitFor();
    releaseReads();
    await expect.poll(() => [...held].every((r) => answered.has(r))).toBe(true);
    await t.page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    // Still the home screen: its title, its tiles and its bar.
    expect(await t.page.locator('.tile[data-service]').count()).toBeGreaterThan(0);
    expect(await t.page.locator('[data-outcome]').count()).toBe(0);
    expect(await t.page.locator('#act-noted').count()).toBe(0);
    await t.page.unroute('**/api/orders/*');
    await t.tap('#act-lookup');
    await t.type(serial.replace(/^0+/, ''));
    await t.check('03-lookup');
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="order-pending"]').waitFor();
    expect(await t.text('.serial')).toBe(serial);
    await done(t);
  });

  it('shows HQ being unreachable as "unavailable now" with a reason, not as a field error', async () => {
    kiosk.hq.script('query', 'timeout');
    const t = await open(SIZES[0], 'offline');
    await t.tap('.tile[data-service="water-bill"]');
    await t.type('W7654321');
    await t.tap('#act-primary');
    await t.page.locator('[data-k="unavailable"]').waitFor({ timeout: 15_000 });
    expect(await t.text('[data-k="unavailable"]')).toMatch(/此业务现在暂停办理[\s\S]*unavailable now/);
    expect(await t.text('[data-k="reason"]')).toContain('缴费中心');
    expect(await t.page.locator('.field-error:not(:empty)').count()).toBe(0);
    expect(await t.text('main')).not.toMatch(/信誉度|余额|balance/i);
    await t.check('01-unavailable');
    kiosk.hq.script('query', 'ok');
    await done(t);
  });

  it('keeps the emergency banner above every screen and the primary action in view mid-flow', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { city: '安庆' } });
    const t = await open(SIZES[0], 'banner');
    await t.tap('.tile[data-service="mobile-topup"]');
    await t.type('13800138000');
    const sign = kiosk.app.devices!.sign;
    sign.publish({ id: 'storm-1', text: '暴雨预警 请注意安全', priority: 'emergency' });
    const banner = t.page.locator('#banner');
    await banner.waitFor({ state: 'visible', timeout: 12_000 });
    expect(await banner.textContent()).toContain('暴雨预警 请注意安全');
    await t.tap('#act-primary');
    await t.page.locator('#f-amount').waitFor();
    expect(await banner.isVisible()).toBe(true);
    await t.check('01-amount-with-banner');
    sign.withdraw('storm-1');
    await banner.waitFor({ state: 'hidden', timeout: 12_000 });
    await done(t);
  });

  it('counts down visibly before an idle reset; a touch cancels it; never while an order waits for payment', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { city: '安庆' } });
    kiosk.hq.script('pay', 'pending');
    const context = await browser.newContext({ viewport: SIZES[0], hasTouch: true });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(new URL('ui/', kiosk.url).href);
    await page.locator('.tile[data-service="mobile-topup"]').tap();
    await page.locator('.key[data-key="1"]').tap();
    await page.clock.runFor(61_000);
    const idle = page.locator('#idle');
    await idle.waitFor({ state: 'visible' });
    expect(await idle.textContent()).toMatch(/\d+\s*秒后返回首页/);
    const left = Number(await page.locator('[data-k="idle-left"]').textContent());
    expect(left).toBeGreaterThan(15);
    await page.clock.runFor(5_000);
    expect(Number(await page.locator('[data-k="idle-left"]').textContent())).toBe(left - 5);
    await page.screenshot({ path: '.tmp/e2e/idle-800x480-countdown.png' });
    await page.locator('#idle-stay').tap();
    await idle.waitFor({ state: 'hidden' });
    expect(await page.locator('#f-phone').inputValue()).toBe('1');
    await page.clock.runFor(81_000);
    await page.locator('.tile[data-service]').first().waitFor();
    // A pending payment's result stays however long nobody touches it.
    await page.locator('.tile[data-service="mobile-topup"]').tap();
    for (const k of '13800138000') await page.locator(`.key[data-key="${k}"]`).tap();
    await page.locator('#act-primary').tap();
    await page.locator('.chip[data-quick="10"]').tap();
    await page.locator('#act-primary').tap();
    await page.locator('dd[data-k="total"]').waitFor();
    await page.locator('#act-primary').tap();
    await page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    await page.clock.runFor(300_000);
    expect(await idle.isHidden()).toBe(true);
    expect(await page.locator('[data-outcome="order-awaiting-payment"]').count()).toBe(1);
    await context.close();
  });
});
