import type { Browser } from 'playwright-core';
import { type Size, type Touch, touchPage } from './touch-kit.ts';

/** Holds the station's name (a touch held down while the page's clock moves on). */
export async function longPress(t: Touch): Promise<void> {
  const box = (await t.page.locator('#station').boundingBox())!;
  const cdp = await t.context.newCDPSession(t.page);
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await t.page.clock.runFor(1_600);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** The touchscreen app at `url` with the browser's fake clock installed, its first screen drawn. */
export async function openScreen(browser: Browser, url: string, size: Size, prefix: string): Promise<Touch> {
  const t = await touchPage(browser, 'about:blank', size, prefix);
  await t.page.clock.install();
  await t.page.goto(url);
  await t.page.locator('.tile[data-service]').first().waitFor();
  return t;
}

/** Opens the console by holding the station's name and logs in on the keypads. */
export async function consoleLogin(t: Touch, code: string, password: string): Promise<void> {
  await longPress(t);
  await t.page.locator('#f-code').waitFor();
  await t.type(code);
  await t.tap('#act-primary');
  await t.type(password);
  await t.tap('#act-primary');
}
