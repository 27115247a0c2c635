import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Driving the touchscreen as a person does: taps on what is on the screen, never `fill` or a
 * keyboard; every step checked for a primary action inside the viewport and for axe-core's
 * critical and serious findings, and photographed under .tmp/e2e/.
 */

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

export const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1280, height: 800 },
] as const;
export type Size = (typeof SIZES)[number];

export const SHOTS = join(import.meta.dirname, '../../.tmp/e2e');

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

const require = createRequire(import.meta.url);

// The page's globals inside page.evaluate (the test project has no DOM library).
// biome-ignore lint/suspicious/noExplicitAny: browser globals, checked by the browser
declare const document: any, window: any;
let axeSource: string | undefined;

export interface Touch {
  page: Page;
  context: BrowserContext;
  errors: string[];
  size: Size;
  /** Taps what the selector names (it must be visible and enabled). */
  tap: (selector: string) => Promise<void>;
  /** Taps each character's key on the on-screen keypad. */
  type: (text: string) => Promise<void>;
  /** Checks the screen: primary action in view, no sideways scroll, no serious axe findings; saves a picture. */
  check: (name: string) => Promise<void>;
  text: (selector: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function touchPage(browser: Browser, url: string, size: Size, prefix: string): Promise<Touch> {
  const context = await browser.newContext({ viewport: size, hasTouch: true, isMobile: false });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  await page.goto(url);
  await mkdir(SHOTS, { recursive: true });
  const tap = async (selector: string) => {
    const l = page.locator(selector).first();
    await l.tap({ timeout: 8_000 });
  };
  return {
    page,
    context,
    errors,
    size,
    tap,
    type: async (text) => {
      for (const ch of text) await tap(`.pad .key[data-key="${ch.toUpperCase()}"]`);
    },
    check: async (name) => {
      await primaryInView(page);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(sideways, `${name}: sideways scroll`).toBe(false);
      await axeClean(page, name);
      await page.screenshot({ path: join(SHOTS, `${prefix}-${size.width}x${size.height}-${name}.png`) });
    },
    // biome-ignore lint/performance/useDomNodeTextContent: what the customer sees, line breaks included
    text: (selector) => page.locator(selector).first().innerText(),
    close: () => context.close(),
  };
}

/** The part of a page element the viewport checks read. */
interface ShownBox {
  id: string;
  offsetParent: unknown;
  getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
}

/** Every primary action on the screen lies wholly inside the viewport. */
export async function primaryInView(page: Page): Promise<void> {
  const boxes = await page.evaluate(() =>
    ([...document.querySelectorAll('.btn.primary')] as ShownBox[])
      .filter((b) => b.offsetParent !== null)
      .map((b) => {
        const r = b.getBoundingClientRect();
        return { id: b.id, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      }),
  );
  const vp = page.viewportSize()!;
  for (const b of boxes) {
    expect(
      b.top >= 0 && b.left >= 0 && b.bottom <= vp.height && b.right <= vp.width,
      `primary ${b.id} off-screen: ${JSON.stringify(b)}`,
    ).toBe(true);
  }
}

/** axe-core from npm, injected into the page: no critical or serious finding. */
export async function axeClean(page: Page, name: string): Promise<void> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated over the debugging protocol, so the app's strict CSP (no inline script) does not apply.
  const has = await page.evaluate(() => 'axe' in window);
  if (!has) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v: { impact: string }) => v.impact === 'critical' || v.impact === 'serious')
      .map(
        (v: { id: string; impact: string; nodes: Array<{ target: string[] }> }) =>
          `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
  });
  expect(found, `axe on ${name}`).toEqual([]);
}
