import type { Browser } from 'playwright-core';
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
        },
        selfService: { enabled: true, services: SELF, maxAmount: '200.00', perService: {} },
      },
    });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  const open = (size: (typeof SIZES)[number], prefix: string) =>
    touchPage(browser, new URL('ui/', kiosk.url).href, size, prefix);
  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  for (const size of SIZES) {
    it(`tops up a mobile by taps at ${size.width}×${size.height}: keypad, quick amount, full number on the confirmation`, async () => {
      kiosk.hq.script('query', { outcome: 'ok', data: { city: '杭州' } });
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
      expect(kiosk.hq.count('pay')).toBe(before);
      await t.tap('#act-primary');
      await t.page.locator('[data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
      expect(kiosk.hq.count('pay')).toBe(before + 1);
      await t.check('05-done');
      await t.tap('#act-done');
      await t.page.locator('.tile[data-service]').first().waitFor();
      await done(t);
    });
  }
});
