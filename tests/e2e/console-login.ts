import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { type Size, type Touch, touchPage } from './touch-kit.ts';

// biome-ignore lint/suspicious/noExplicitAny: the page's document, read inside page.evaluate
declare const document: any;

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

/**
 * Every element matching `selector` is shown whole above the action bar without scrolling: inside
 * the viewport, and not under the bar (the main area is not scrolled to reach it).
 */
export async function allAboveBar(t: Touch, selector: string): Promise<void> {
  const found = await t.page.evaluate((sel) => {
    const bar = document.querySelector('.bar')!.getBoundingClientRect();
    const main = document.querySelector('main')!;
    return {
      barTop: bar.top,
      scrolled: main.scrollTop,
      boxes: (
        [...document.querySelectorAll(sel)] as Array<{
          getAttribute(n: string): string | null;
          id: string;
          getBoundingClientRect(): { top: number; bottom: number; right: number };
        }>
      ).map((e) => {
        const r = e.getBoundingClientRect();
        return { id: e.getAttribute('data-menu') ?? e.id, top: r.top, bottom: r.bottom, right: r.right };
      }),
    };
  }, selector);
  expect(found.boxes.length, selector).toBeGreaterThan(0);
  expect(found.scrolled).toBe(0);
  for (const b of found.boxes)
    expect(
      b.top >= 0 && b.bottom <= found.barTop && b.right <= t.size.width,
      `${b.id} not whole above the bar: ${JSON.stringify(b)}, bar at ${found.barTop}`,
    ).toBe(true);
}
