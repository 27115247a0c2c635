// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is what the customer sees (line breaks between Chinese and English)
import { writeFile } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SERVICES, startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';

/** Debian's chromium, headless, with nothing reaching out to the network and a fresh profile. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ACCOUNT = '88001234567';
/** The same account typed with full-width digits (全角), as a touchscreen IME may send it. */
const ACCOUNT_FULL_WIDTH = '８８００１２３４５６７';

/**
 * The customer touchscreen at /ui/ in a real browser against a real kiosk (LevelDB, the local API,
 * the simulated sign and printer) with the in-memory HQ double.
 */
describe('touchscreen UI', () => {
  let kiosk: TestKiosk;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    kiosk = await startTestKiosk({
      overrides: {
        services: { enabled: SERVICES.map((s) => s.id), fees: { 'water-bill': '1.00' } },
        selfService: {
          enabled: true,
          services: ['water-bill', 'mobile-topup', 'game-topup'],
          maxAmount: '200.00',
          perService: {},
        },
      },
    });
    // chromium.launch gives the browser a new, empty profile of its own and removes it at close.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ARGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  beforeEach(async () => {
    errors = [];
    page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      // Refused API calls are logged by the browser as failed loads; those are expected here.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
  });

  afterEach(async () => {
    await page.close();
    // Any script error or CSP violation fails the test that caused it.
    expect(errors).toEqual([]);
  });

  const open = () => page.goto(new URL('ui/', kiosk.url).href);

  it('serves the app with its content types and a strict CSP', async () => {
    const html = await kiosk.api('GET', '/ui/');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await kiosk.api('GET', '/ui/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await kiosk.api('GET', '/ui/app.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await kiosk.api('GET', '/ui/..%2Fserver%2Fauth.ts')).status).toBe(404);
    expect((await kiosk.api('GET', '/ui/nothing.js')).status).toBe(404);
  });

  it('lists only the services a customer may use alone, and screenshots home', async () => {
    await open();
    await page.locator('.tile').first().waitFor();
    const ids = await page
      .locator('.tile')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-service')));
    expect(ids.sort()).toEqual(['game-topup', 'mobile-topup', 'water-bill']);
    await expect(page.locator('.tile[data-service="water-bill"]').innerText()).resolves.toMatch(
      /水费\s+Water bill/,
    );
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // UI_SCREENSHOT=docs/ui-home.png keeps the picture for the documentation.
    if (process.env.UI_SCREENSHOT) await writeFile(process.env.UI_SCREENSHOT, png);
  });

  it('pays a water bill: look up, quote, confirm, and the result followed live with its serial', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { account: ACCOUNT, arrears: '35.20' } });
    kiosk.hq.script('pay', 'ok');
    await open();
    await page.locator('.tile[data-service="water-bill"]').click();
    await page.locator('#f-account').fill(ACCOUNT_FULL_WIDTH);
    await page.locator('.btn.lookup').click();
    await expect(page.locator('.answer').innerText()).resolves.toContain('￥35.20');
    // The arrears become the amount; the customer may change it.
    await expect(page.locator('#f-amount').inputValue()).resolves.toBe('35.20');
    await page.locator('.btn.next').click();

    await page.locator('.btn.pay').waitFor();
    expect(await page.locator('[data-k="amount"]').innerText()).toBe('￥35.20');
    expect(await page.locator('[data-k="fee"]').innerText()).toBe('￥1.00');
    expect(await page.locator('[data-k="total"]').innerText()).toBe('￥36.20');
    expect(await page.locator('main').innerText()).not.toContain(ACCOUNT);
    expect(kiosk.hq.count('pay')).toBe(0);
    await page.locator('.btn.pay').click();

    const outcome = page.locator('[data-outcome="succeeded"]');
    await outcome.waitFor({ timeout: 15_000 });
    expect(await outcome.innerText()).toMatch(/办理成功\s+Payment succeeded/);
    const serial = await page.locator('[data-k="serial"]').innerText();
    expect(serial).toMatch(/^\d{10}$/);
    expect(await page.locator('.receipt').innerText()).toContain('收据正在打印');
    expect(await page.locator('body').innerText()).not.toContain(ACCOUNT);
    const txn = await kiosk.api('GET', `/api/transactions/${serial}`);
    expect(txn.body).toMatchObject({
      service: 'water-bill',
      state: 'succeeded',
      total: '36.20',
      channel: 'self',
    });
    expect(kiosk.hq.count('pay')).toBe(1);

    await page.locator('.btn.done').click();
    await page.locator('.tile').first().waitFor();
  });

  it('tells the customer when the biller has not answered yet and the kiosk keeps asking', async () => {
    kiosk.hq.script('query', { outcome: 'ok', data: { account: ACCOUNT, arrears: '0.00' } });
    kiosk.hq.script('pay', 'pending');
    await open();
    await page.locator('.tile[data-service="water-bill"]').click();
    await page.locator('#f-account').fill(ACCOUNT);
    await page.locator('.btn.lookup').click();
    await page.locator('#f-amount').fill('２０');
    await page.locator('.btn.next').click();
    expect(await page.locator('[data-k="total"]').innerText()).toBe('￥21.00');
    await page.locator('.btn.pay').click();
    const outcome = page.locator('[data-outcome="waiting"]');
    await outcome.waitFor({ timeout: 15_000 });
    expect(await outcome.innerText()).toMatch(/处理中，稍后自动查询\s+pending, the kiosk keeps asking/);
    const serial = await page.locator('[data-k="serial"]').innerText();
    expect((await kiosk.api('GET', `/api/transactions/${serial}`)).body.terminal).toBe(false);
  });

  it('tops up a game chosen by search, only after the customer ticks that it cannot be reversed', async () => {
    kiosk.hq.script('games', {
      outcome: 'ok',
      data: {
        games: [
          { id: 'wzry', name: '王者荣耀', packages: ['6', '30'] },
          { id: 'hpjy', name: '和平精英', packages: ['6', '30', '68'] },
        ],
      },
    });
    kiosk.hq.script('pay', 'ok');
    await open();
    await page.locator('.tile[data-service="game-topup"]').click();
    await page.locator('.choice[data-value="wzry"]').waitFor();
    expect(await page.locator('.choice[data-value]').count()).toBe(2);
    await page.locator('.search').fill('和平');
    expect(await page.locator('.choice[data-value]').count()).toBe(1);
    await page.locator('.choice[data-value="hpjy"]').click();
    await page.locator('.packages .choice', { hasText: '30 元' }).click();
    await page.locator('#f-account').fill('player2026');
    expect(await page.locator('#f-game').inputValue()).toBe('hpjy');
    expect(await page.locator('#f-package').inputValue()).toBe('30');
    await page.locator('.btn.next').click();
    const pay = page.locator('.btn.pay');
    await pay.waitFor();
    expect(await page.locator('[data-k="total"]').innerText()).toBe('￥30.00');
    expect(await pay.isDisabled()).toBe(true);
    await page.locator('#confirm-tick').check();
    await pay.click();
    await page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
    const serial = await page.locator('[data-k="serial"]').innerText();
    const txn = await kiosk.api('GET', `/api/transactions/${serial}`);
    expect(txn.body).toMatchObject({
      service: 'game-topup',
      state: 'succeeded',
      fields: { game: 'hpjy', confirm: 'yes' },
    });
  });

  it('shows a refusal next to the field it names, in Chinese and English', async () => {
    const before = kiosk.hq.count('query');
    await open();
    await page.locator('.tile[data-service="water-bill"]').click();
    await page.locator('#f-account').fill('12-3');
    await page.locator('.btn.lookup').click();
    const err = page.locator('#f-account-error');
    await err.locator('.zh').waitFor();
    expect(await err.locator('.zh').innerText()).toContain('6至20位');
    expect(await err.locator('.en').innerText()).toContain('6 to 20 letters or digits');
    expect(await page.locator('#f-account').getAttribute('aria-invalid')).toBe('true');
    expect(kiosk.hq.count('query')).toBe(before);
    // Typing again clears it.
    await page.locator('#f-account').fill(ACCOUNT);
    expect(await err.innerText()).toBe('');
  });

  it('shows the sign emergency notice as a banner on every screen', async () => {
    await open();
    await page.locator('.tile').first().waitFor();
    expect(await page.locator('#banner').isHidden()).toBe(true);
    const sign = kiosk.app.devices!.sign;
    sign.publish({ id: 'storm-1', text: '暴雨预警 请注意安全', priority: 'emergency' });
    const banner = page.locator('#banner');
    await banner.waitFor({ state: 'visible', timeout: 12_000 });
    expect(await banner.innerText()).toContain('暴雨预警 请注意安全');
    expect(await banner.innerText()).toMatch(/紧急通知\s+Emergency notice/);
    await page.locator('.tile[data-service="water-bill"]').click();
    await page.locator('#f-account').waitFor();
    expect(await banner.isVisible()).toBe(true);
    sign.withdraw('storm-1');
    await banner.waitFor({ state: 'hidden', timeout: 12_000 });
  });
});
