/**
 * Touchscreen figures in Debian's headless chromium with the CPU throttled 4× (CDP
 * Emulation.setCPUThrottlingRate) at 800×480: the first usable screen (navigation to the service
 * tiles drawn), tap-to-feedback (a touch on a keypad key to the next frame after it, where the
 * pressed state shows) and the bytes the app ships on its first load.
 */
import { chromium } from 'playwright-core';
import { startTestKiosk } from '../tests/integration/http-kiosk.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

// The page's globals inside page.evaluate (this project has no DOM library).
// biome-ignore lint/suspicious/noExplicitAny: browser globals, checked by the browser
declare const window: any, document: any, performance: any, requestAnimationFrame: any;

export async function benchUi(loads: number, taps: number): Promise<Record<string, unknown>[]> {
  const kiosk = await startTestKiosk({
    overrides: {
      selfService: {
        enabled: true,
        services: ['mobile-topup', 'water-bill'],
        maxAmount: '200.00',
        perService: {},
      },
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const url = new URL('ui/', kiosk.url).href;
  try {
    const firstScreen: number[] = [];
    let bytes = 0;
    let files = 0;
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 800, height: 480 }, hasTouch: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      // Notes when the first tile enters the document, in ms since navigation started.
      await page.addInitScript(() => {
        new window.MutationObserver((_: unknown, obs: { disconnect: () => void }) => {
          if (document.querySelector('.tile[data-service]')) {
            window.__firstTile = performance.now();
            obs.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(url);
      await page.locator('.tile[data-service]').first().waitFor();
      // The frame after the tiles were added is the first usable screen.
      firstScreen.push(await page.evaluate(() => window.__firstTile));
      // What the app itself loaded: the page and its files under /ui/ (API answers are data).
      const shipped: { bytes: number; files: number } = await page.evaluate(() => {
        const all = [
          ...performance.getEntriesByType('navigation'),
          ...performance.getEntriesByType('resource'),
        ].filter((e: { name: string }) => new URL(e.name).pathname.startsWith('/ui/'));
        return {
          bytes: all.reduce((n: number, e: { encodedBodySize: number }) => n + e.encodedBodySize, 0),
          files: all.length,
        };
      });
      bytes = shipped.bytes;
      files = shipped.files;
      if (i === loads - 1) {
        await page.locator('.tile[data-service="mobile-topup"]').tap();
        await page.locator('.pad .key[data-key="1"]').waitFor();
        await page.evaluate(() => {
          window.__feedback = [];
          document.addEventListener(
            'pointerdown',
            (e: { timeStamp: number }) => {
              // The frame after the touch: its rAF, then a task after it is painted.
              requestAnimationFrame(() => {
                const ch = new window.MessageChannel();
                ch.port1.onmessage = () => window.__feedback.push(performance.now() - e.timeStamp);
                ch.port2.postMessage(0);
              });
            },
            { capture: true },
          );
        });
        for (let k = 0; k < taps; k++)
          await page.locator(`.pad .key[data-key="${k % 2 ? 'del' : '5'}"]`).tap();
        const fb: number[] = await page.evaluate(() => window.__feedback);
        await context.close();
        return [
          {
            figure: 'ui.first_screen',
            cpuThrottle: 4,
            viewport: '800x480',
            unit: 'ms',
            value: Number(pct(firstScreen, 0.5).toFixed(0)),
            target: '< 1000',
          },
          {
            figure: 'ui.tap_to_feedback',
            cpuThrottle: 4,
            taps: fb.length,
            unit: 'ms',
            p50: Number(pct(fb, 0.5).toFixed(1)),
            p95: Number(pct(fb, 0.95).toFixed(1)),
            target: 'p95 < 100',
          },
          { figure: 'ui.bytes_shipped', files, unit: 'bytes', value: bytes },
        ];
      }
      await context.close();
    }
    return [];
  } finally {
    await browser.close();
    await kiosk.stop();
  }
}
