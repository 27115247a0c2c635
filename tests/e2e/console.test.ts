import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { consoleLogin, longPress, openScreen } from './console-login.ts';
import { launch, SIZES, type Size, type Touch, touchPage } from './touch-kit.ts';

/**
 * The operator console on the same touchscreen, in Debian's headless chromium against a real
 * kiosk: reached by holding the station's name, logged in on the keypads, driven by taps only.
 * The page's clock is the browser's fake clock, so holds and idle time pass without waiting.
 */
describe('operator console', () => {
  let kiosk: TestKiosk;
  let browser: Browser;

  beforeAll(async () => {
    kiosk = await startTestKiosk({
      overrides: {
        services: {
          enabled: SERVICES.map((s) => s.id),
          fees: { 'water-bill': '1.00' },
          mobileRegions: ['安庆'],
        },
        selfService: {
          enabled: true,
          services: ['water-bill', 'mobile-topup'],
          maxAmount: '200.00',
          perService: {},
        },
        engine: {
          requestTimeoutMs: 1000,
          maxAttempts: 3,
          retryBaseDelayMs: 50,
          retryMaxDelayMs: 200,
          statusQueryIntervalMs: 200,
          reversalQueryIntervalMs: 200,
        },
      },
    });
    await kiosk.app.operators.add({ code: 'T001', name: '柜员甲', role: 'teller', password: '123456' });
    await kiosk.app.operators.add({ code: 'T002', name: '柜员乙', role: 'teller', password: '222222' });
    await kiosk.app.operators.add({ code: 'S001', name: '主管', role: 'supervisor', password: '654321' });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  const url = () => new URL('ui/', kiosk.url).href;

  const open = (size: Size, prefix: string) => openScreen(browser, url(), size, prefix);
  const login = consoleLogin;

  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  for (const size of [SIZES[0], SIZES[1]]) {
    it(`logs in by holding the station's name and the keypads at ${size.width}×${size.height}; a teller sees no supervisor tools`, async () => {
      const t = await open(size, 'login');
      // A short touch does nothing.
      await t.tap('#station');
      expect(await t.page.locator('#f-code').count()).toBe(0);
      await longPress(t);
      await t.page.locator('#f-code').waitFor();
      await t.type('T001');
      await t.check('01-code');
      await t.tap('#act-primary');
      await t.type('123456');
      expect(await t.page.locator('#f-password').inputValue()).toBe('●●●●●●');
      await t.check('02-password');
      await t.tap('#act-primary');
      await t.page.locator('[data-k="who"]').waitFor();
      expect(await t.text('[data-k="who"]')).toContain('T001');
      // The header says it is the operator console and whose, not the customers' kiosk.
      const header = await t.text('#station');
      expect(header).toContain('营业员控制台');
      expect(header).toContain('柜员甲（T001）柜员');
      expect(header).toContain('Operator console');
      expect(header).not.toContain('Self-service kiosk');
      expect(await t.page.locator('[data-menu="supervisor"]').count()).toBe(0);
      await t.check('03-menu');
      await t.tap('#act-logout');
      await t.page.locator('.tile[data-service]').first().waitFor();
      expect(await t.page.locator('[data-menu]').count()).toBe(0);
      // The customers' screen gets its own header back.
      expect(await t.text('#station')).toContain('Self-service kiosk');
      expect(await t.text('#station')).not.toContain('营业员控制台');
      await done(t);
    });
  }

  it('locks an operator out after 5 wrong passwords; then even the right one is refused', async () => {
    await kiosk.app.operators.add({ code: 'L001', name: '锁定', role: 'teller', password: '111111' });
    const t = await open(SIZES[0], 'lockout');
    await longPress(t);
    await t.page.locator('#f-code').waitFor();
    await t.type('L001');
    await t.tap('#act-primary');
    for (let i = 0; i < 5; i++) {
      await t.type('999999');
      await t.tap('#act-primary');
      await t.page.locator('#f-password-error .error').waitFor();
    }
    await t.type('111111');
    await t.tap('#act-primary');
    await t.page.locator('#f-password-error .error').waitFor();
    expect(await t.text('#f-password-error')).toMatch(/锁定|locked/i);
    await t.check('01-locked');
    expect(await t.page.locator('[data-k="who"]').count()).toBe(0);
    await done(t);
  });

  it('takes an assisted bus card top-up (operator only), reprints it, and a supervisor verifies the journal', async () => {
    kiosk.hq.script('pay', 'ok');
    const t = await open(SIZES[0], 'assist');
    await login(t, 'S001', '654321');
    await t.tap('[data-menu="assist"]');
    await t.tap('.tile[data-service="bus-card-topup"]');
    await t.type('12345678901');
    await t.tap('#act-primary');
    await t.type('50');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="total"]').waitFor();
    expect(await t.text('dd[data-k="cardNo"]')).toBe('1234 5678 901');
    await t.check('01-confirm');
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
    const serial = await t.text('.serial');
    expect((await kiosk.api('GET', `/api/transactions/${serial}`)).body).toMatchObject({
      channel: 'operator',
      operator: 'S001',
    });
    await t.tap('#act-done');
    await t.tap('[data-menu="reprint"]');
    await t.type(serial.replace(/^0+/, ''));
    await t.tap('#act-primary');
    await t.page.locator('.paper .paper-title').waitFor();
    expect(await t.text('.paper')).toContain(serial);
    expect(await t.text('.paper')).not.toContain('12345678901');
    await t.check('02-reprint');
    await t.tap('#act-home');
    await t.tap('[data-menu="supervisor"]');
    await t.tap('#act-verify');
    await t.page.locator('[data-k="verify"]').waitFor();
    expect(await t.text('[data-k="verify"]')).toContain('流水完整');
    await t.check('03-verify');
    await done(t);
  });

  it('refuses a reversal with the rules explained, then reverses a water bill with the account and amount entered again', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { arrears: '0.00' } });
    kiosk.hq.script('pay', 'ok');
    kiosk.hq.script('reverse', 'ok');
    kiosk.hq.script('reverse-status', 'ok');
    const t = await open(SIZES[0], 'reverse');
    await login(t, 'T001', '123456');
    await t.tap('[data-menu="assist"]');
    await t.tap('.tile[data-service="water-bill"]');
    await t.type('W2222333');
    await t.tap('#act-primary');
    await t.page.locator('#f-amount').waitFor();
    await t.type('30');
    await t.tap('#act-primary');
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
    const serial = (await t.text('.serial')).replace(/^0+/, '');
    await t.tap('#act-done');

    // Refused: the amount entered again is not the original's; nothing changes.
    await t.tap('[data-menu="reverse"]');
    await t.type(serial);
    await t.tap('#act-primary');
    await t.type('W2222333');
    await t.tap('#act-primary');
    await t.type('31');
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="reversal-refused"], #f-amount-error .error').first().waitFor();
    await t.check('01-refused');
    expect((await kiosk.api('GET', `/api/transactions/${serial.padStart(10, '0')}`)).body.state).toBe(
      'succeeded',
    );

    // Accepted.
    await t.tap('#act-home');
    await t.tap('[data-menu="reverse"]');
    await t.type(serial);
    await t.tap('#act-primary');
    await t.type('W2222333');
    await t.tap('#act-primary');
    await t.type('30');
    await t.tap('#act-primary');
    await t.page.locator('[data-outcome="reversed"]').waitFor({ timeout: 15_000 });
    await t.check('02-reversed');
    await done(t);
  });

  it('follows a pending payment until it resolves while watched; balance over a date range', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { arrears: '0.00' } });
    kiosk.hq.script('pay', 'pending-then-ok');
    const t = await open(SIZES[0], 'pending');
    await login(t, 'T002', '222222');
    await t.tap('[data-menu="assist"]');
    await t.tap('.tile[data-service="water-bill"]');
    await t.type('W3333444');
    await t.tap('#act-primary');
    await t.page.locator('#f-amount').waitFor();
    await t.type('12');
    await t.tap('#act-primary');
    await t.tap('#act-primary');
    await t.page
      .locator('[data-outcome="succeeded"], [data-outcome="waiting"]')
      .first()
      .waitFor({ timeout: 15_000 });
    await t.page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
    await t.tap('#act-done');
    await t.tap('[data-menu="pending"]');
    await t.page.locator('[data-k="none-open"], table.pending').first().waitFor();
    await t.check('01-pending');
    await t.tap('#act-back');

    await t.tap('[data-menu="balance"]');
    await t.page.locator('dd[data-k="available"]').waitFor();
    await t.check('02-balance');
    await t.tap('#act-range');
    await t.type('20200101');
    await t.tap('#act-primary');
    await t.type('20200102');
    await t.tap('#act-primary');
    await t.page.locator('[data-k="range"]').waitFor();
    expect(await t.text('[data-k="range"]')).toMatch(/20200101 – 20200102（0 条）/);
    await t.tap('#act-range');
    await t.type('20000101');
    await t.tap('#act-primary');
    await t.type('20991231');
    await t.tap('#act-primary');
    await t.page.locator('[data-k="range"]').waitFor();
    expect(await t.text('[data-k="range"]')).not.toMatch(/（0 条）/);
    await t.check('03-balance-range');
    const all = await t.page.locator('table.ledger tbody tr').count();
    // One kind of entry: the range stays, the list narrows to top-ups (the opening top-up is one).
    await t.tap('[data-group="topups"]');
    await t.page.locator('[data-group="topups"][aria-pressed="true"]').waitFor();
    expect(await t.text('[data-k="range"]')).toMatch(/20000101 – 20991231/);
    const topups = await t.page.locator('table.ledger tbody tr').count();
    expect(topups).toBeGreaterThan(0);
    expect(topups).toBeLessThan(all);
    await t.tap('[data-k="print"]');
    await t.page.locator('[data-k="printed"]').waitFor();
    await t.check('04-balance-topups-printed');
    await done(t);
  });

  it('scopes journals: a teller sees their own transactions, a supervisor the station’s', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { arrears: '0.00' } });
    kiosk.hq.script('pay', 'ok');
    for (const [code, password] of [
      ['T001', '123456'],
      ['T002', '222222'],
      ['S001', '654321'],
    ] as const) {
      const token = await kiosk.login(code, password);
      const r = await kiosk.api('POST', '/api/services/water-bill/transactions', {
        token,
        body: { account: 'W5555666', amount: '5' },
      });
      expect(r.status).toBe(201);
    }
    const t = await open(SIZES[0], 'scope');
    await login(t, 'T002', '222222');
    await t.tap('[data-menu="journals"]');
    await t.tap('[data-menu="today"]');
    await t.page.locator('[data-k="count"]').waitFor();
    const ops = await t.page.locator('table.journal-rows tbody tr td:nth-child(6)').allInnerTexts();
    expect(ops.length).toBeGreaterThan(0);
    expect(new Set(ops)).toEqual(new Set(['T002']));
    await t.check('01-teller');
    await t.tap('#act-home');
    // The kiosk's answer to the logout is held back until the next operator has logged in: the
    // screen is the customer's at once, and a login opened meanwhile is not replaced by it.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await t.page.route('**/api/session', async (route) => {
      if (route.request().method() === 'DELETE') await held;
      await route.continue();
    });
    await t.tap('#act-logout');
    await t.page.locator('.tile[data-service]').first().waitFor();
    expect(await t.page.locator('html.console').count()).toBe(0);
    await login(t, 'S001', '654321');
    release();
    await t.page.locator('[data-k="who"]').waitFor();
    expect(await t.text('[data-k="who"]')).toContain('S001');
    await t.tap('[data-menu="journals"]');
    await t.tap('[data-menu="today"]');
    await t.page.locator('[data-k="count"]').waitFor();
    const all = new Set(await t.page.locator('table.journal-rows tbody tr td:nth-child(6)').allInnerTexts());
    expect([...all].sort()).toEqual(expect.arrayContaining(['S001', 'T001', 'T002']));
    await done(t);
  });

  it('logs out by itself after a visible countdown when nobody touches the console', async () => {
    const t = await open(SIZES[0], 'autologout');
    await login(t, 'T001', '123456');
    await t.page.locator('[data-k="who"]').waitFor();
    await t.page.clock.runFor(121_000);
    await t.page.locator('#idle').waitFor({ state: 'visible' });
    expect(await t.text('#idle')).toContain('自动退出登录');
    await t.page.clock.runFor(21_000);
    await t.page.locator('[data-k="logged-out"]').waitFor();
    expect(await t.page.locator('[data-k="who"]').count()).toBe(0);
    await t.page.locator('.tile[data-service]').first().waitFor();
    // The session is gone on the kiosk too.
    await done(t);
  });

  it('confirms a customer counter order at the console; the customer screen follows it to the result', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { arrears: '0.00' } });
    kiosk.hq.script('pay', 'ok');
    const customer = await touchPage(browser, url(), SIZES[0], 'counter-customer');
    await customer.tap('.tile[data-service="water-bill"]');
    await customer.type('W8888999');
    await customer.tap('#act-primary');
    await customer.page.locator('#f-amount').waitFor();
    await customer.type('25');
    await customer.tap('#act-primary');
    await customer.page.locator('dd[data-k="total"]').waitFor();
    await customer.tap('#act-primary');
    await customer.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
    const number = await customer.text('.order-no');
    await customer.check('01-awaiting-cash');

    const t = await open(SIZES[0], 'counter-console');
    await login(t, 'T001', '123456');
    await t.tap('[data-menu="orders"]');
    await t.page.locator(`[data-cash="${number}"]`).waitFor();
    await t.check('01-orders');
    await t.tap(`[data-cash="${number}"]`);
    await t.page.locator('[data-k="order-done"]').waitFor({ timeout: 15_000 });
    expect(await t.text('[data-k="order-done"]')).toContain(number);

    await customer.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 15_000 });
    const serial = await customer.text('.serial');
    expect((await kiosk.api('GET', `/api/transactions/${serial}`)).body).toMatchObject({
      state: 'succeeded',
      operator: 'T001',
    });
    await customer.check('02-succeeded');
    // A reprint through the print queue, marked and journaled.
    await t.tap('#act-back');
    await t.tap('[data-menu="reprint"]');
    await t.type(serial.replace(/^0+/, ''));
    await t.tap('#act-primary');
    await t.tap('#act-print');
    await t.page.locator('[data-k="printed"], .messages .error').first().waitFor({ timeout: 15_000 });
    await t.check('02-reprinted');
    await done(customer);
    await done(t);
  });
});
