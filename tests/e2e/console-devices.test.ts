import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDisplay } from '../../devices/display/sim-display.ts';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { tempDir } from '../support/kiosk-harness.ts';
import { allAboveBar, consoleLogin, openScreen } from './console-login.ts';
import { launch, SIZES, type Touch } from './touch-kit.ts';

/**
 * The console's menu fits above the action bar, and the devices screen's actions (a printer test
 * page, reconnecting the LED sign) work by taps, in Debian's headless chromium against a real
 * kiosk with the simulated devices, at 800×480 and 1024×600.
 */
describe('operator console: the menu in view, device actions', () => {
  let kiosk: TestKiosk;
  let browser: Browser;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const dir = await tempDir('console-devices-');
    cleanup = dir.cleanup;
    kiosk = await startTestKiosk({
      overrides: {
        devices: {
          display: {
            sim: { pngPath: `${dir.path}/led-preview.png` },
            // The sign's own retry waits a minute: only the operator's reconnect brings it back sooner.
            reconnect: { initialDelayMs: 60_000, maxDelayMs: 600_000 },
          },
        },
      },
    });
    await kiosk.app.operators.add({ code: 'T001', name: '柜员甲', role: 'teller', password: '123456' });
    await kiosk.app.operators.add({ code: 'S001', name: '主管', role: 'supervisor', password: '654321' });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await cleanup?.();
  });

  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  for (const size of [SIZES[0], SIZES[1]]) {
    const at = `${size.width}×${size.height}`;

    it(`shows every entry of a supervisor's menu and the log-out above the action bar at ${at}`, async () => {
      const t = await openScreen(browser, new URL('ui/', kiosk.url).href, size, 'menu');
      await consoleLogin(t, 'S001', '654321');
      await t.page.locator('[data-menu="supervisor"]').waitFor();
      expect(await t.page.locator('[data-menu]').count()).toBe(12);
      await allAboveBar(t, '[data-menu]');
      await t.check('01-menu');
      await done(t);
    });

    it(`prints a test page and reconnects the LED sign from the devices screen at ${at}`, async () => {
      const printer = kiosk.app.devices!.printer as SimPrinter;
      const display = kiosk.app.devices!.display as SimDisplay;
      const t = await openScreen(browser, new URL('ui/', kiosk.url).href, size, 'devices');
      await consoleLogin(t, 'T001', '123456');
      await t.tap('[data-menu="status"]');
      await t.page.locator('[data-device="printer"]').waitFor();
      await t.check('01-devices');
      const before = printer.jobs().length;
      await t.tap('#act-printer-test-page');
      await t.page.locator('[data-device="printer"] [data-k="test-page"]').waitFor();
      expect(await t.text('[data-device="printer"] [data-k="test-page"]')).toContain('测试页已打印');
      expect(printer.jobs()).toHaveLength(before + 1);
      // Out of paper: the page says so, and nothing is printed or queued.
      printer.paperOut();
      await t.tap('#act-printer-test-page');
      await t.page.locator('[data-device="printer"] [data-k="test-page"].error').waitFor();
      expect(await t.text('[data-device="printer"] [data-k="state"]')).toContain('缺纸');
      expect(kiosk.app.devices!.printQueue.pending()).toHaveLength(0);
      await t.check('02-paper-out');
      printer.loadPaper();
      // The sign's cable out and back: the sign stays dark until the operator reconnects it.
      display.disconnect();
      await expect.poll(() => display.health().state).toBe('offline');
      display.plugIn();
      await t.tap('#act-led-reconnect');
      await t.page.locator('[data-device="led"] [data-k="reconnected"]').waitFor();
      expect(await t.text('[data-device="led"] [data-k="state"]')).toContain('正常');
      expect(display.health().state).toBe('ok');
      await t.check('03-led-reconnected');
      await done(t);
    });
  }
});
