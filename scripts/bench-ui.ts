/**
 * Touchscreen figures in Debian's headless chromium with the CPU throttled 4× (CDP
 * Emulation.setCPUThrottlingRate) at 800×480: the first usable screen (navigation to the service
 * tiles drawn), tap-to-feedback (a touch on a keypad key to the next frame after it, where the
 * pressed state shows) and the bytes the app ships on its first load.
 */
import { execFileSync } from 'node:child_process';
import { extname } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestKiosk } from '../tests/integration/http-kiosk.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

/**
 * The screens the first-screen figure is compared with: src/ui/web as it was before the first
 * screen asked only for the tiles and stopped loading the keypad (override: BENCH_UI_BASELINE).
 */
const BASELINE = process.env.BENCH_UI_BASELINE ?? 'fda30340e1f700b40bdbb305c27f7f60cd55842f';

/** The baseline's files by path under /ui/, read from git; null when the commit is not here. */
function baselineFiles(ref: string): Map<string, Buffer> | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { maxBuffer: 64 << 20 });
    const names = git('ls-tree', '-r', '--name-only', ref, 'src/ui/web/').toString().split('\n');
    const files = new Map<string, Buffer>();
    for (const n of names.filter(Boolean))
      files.set(n.slice('src/ui/web/'.length), git('show', `${ref}:${n}`));
    return files;
  } catch {
    return null;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

interface Load {
  context: BrowserContext;
  page: Page;
  /** ms from navigation to the first tile in the document. */
  firstTile: number;
  bytes: number;
  files: number;
  /** Bytes of the API answers the first screen waited for. */
  apiBytes: number;
}

/**
 * One first load at 4× CPU throttle, the app's own files served from `old` when given (the
 * baseline), else the kiosk's. The context stays open for the caller.
 */
async function loadOnce(browser: Browser, url: string, old: Map<string, Buffer> | null): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 800, height: 480 }, hasTouch: true });
  if (old)
    await context.route('**/ui/**', async (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^\/ui\/?/, '') || 'index.html';
      const body = old.get(path);
      if (!body) return route.continue();
      await route.fulfill({
        status: 200,
        contentType: TYPES[extname(path)] ?? 'application/octet-stream',
        body,
      });
    });
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
  const firstTile: number = await page.evaluate(() => window.__firstTile);
  // What the app itself loaded before its first tile was drawn: the page and its files under /ui/
  // (API answers are data), uncompressed, so the baseline's files (served here) compare.
  const shipped: { bytes: number; files: number; apiBytes: number } = await page.evaluate((before) => {
    type Entry = { name: string; decodedBodySize: number; responseEnd: number };
    const all: Entry[] = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ];
    let bytes = 0;
    let files = 0;
    let apiBytes = 0;
    for (const e of all) {
      if (e.responseEnd > before) continue;
      const path = new URL(e.name).pathname;
      const size = e.decodedBodySize;
      if (path.startsWith('/ui/')) {
        bytes += size;
        files += 1;
      } else if (path.startsWith('/api/servic')) apiBytes += size;
    }
    return { bytes, files, apiBytes };
  }, firstTile);
  return { context, page, firstTile, ...shipped };
}

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
    const baseline: number[] = [];
    const old = baselineFiles(BASELINE);
    let bytes = 0;
    let files = 0;
    let apiBytes = 0;
    let baselineBytes = 0;
    let baselineApiBytes = 0;
    for (let i = 0; i < loads; i++) {
      // The earlier screens, loaded just before, under the same load of the machine.
      if (old) {
        const b = await loadOnce(browser, url, old);
        baseline.push(b.firstTile);
        baselineBytes = b.bytes;
        baselineApiBytes = b.apiBytes;
        await b.context.close();
      }
      const { context, page, ...shipped } = await loadOnce(browser, url, null);
      firstScreen.push(shipped.firstTile);
      bytes = shipped.bytes;
      files = shipped.files;
      apiBytes = shipped.apiBytes;
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
            ...(old
              ? { baseline: Number(pct(baseline, 0.5).toFixed(0)), baselineRef: BASELINE.slice(0, 12) }
              : { baseline: null, note: `baseline ${BASELINE.slice(0, 12)} not in this clone's history` }),
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
          {
            figure: 'ui.bytes_shipped',
            files,
            note: 'files under /ui/ loaded before the first tile, uncompressed',
            unit: 'bytes',
            value: bytes,
            ...(old ? { baseline: baselineBytes } : {}),
          },
          {
            figure: 'ui.first_screen_api_bytes',
            unit: 'bytes',
            value: apiBytes,
            ...(old ? { baseline: baselineApiBytes } : {}),
            note: 'the answers the first screen waits for (the services it shows)',
          },
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
