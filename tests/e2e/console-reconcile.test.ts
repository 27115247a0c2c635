import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { tempDir } from '../support/kiosk-harness.ts';
import { STATEMENT_HEADER, seedRepayments, statementLine } from '../support/repayments.ts';
import { allAboveBar, consoleLogin, openScreen } from './console-login.ts';
import { launch, SIZES, type Touch } from './touch-kit.ts';

/**
 * Credit-card reconciliation on the console by touch alone, in Debian's headless chromium against a
 * real kiosk: a statement placed in the statements folder, reconciled, its differences seen,
 * printed (the SimPrinter job decoded) and exported, at 800×480 and 1024×600; a long one's
 * differences paged; a refused one's error shown naming the bad line, nothing printed or written.
 */
describe('operator console: credit-card reconciliation from the statements folder', () => {
  let kiosk: TestKiosk;
  let browser: Browser;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let own = '';
  let serials: string[] = [];
  /** Serials only the paged statement names (ten differences besides the three repayments). */
  const unknown = Array.from({ length: 10 }, (_, i) => `90000000${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    dir = await tempDir('kiosk-recon-e2e-');
    own = join(dir.path, 'statements');
    await mkdir(own, { recursive: true });
    kiosk = await startTestKiosk({
      overrides: { reports: { statements: { dir: own, media: [], maxBytes: 1048576 } } },
    });
    await kiosk.app.operators.add({ code: 'S001', name: '主管', role: 'supervisor', password: '654321' });
    const date = (await kiosk.api('GET', '/api/health')).body.businessDate as string;
    serials = await seedRepayments(kiosk.app, date, [
      [1000_00, true],
      [256_30, true],
      [88_00, true],
    ]);
    const lines = [
      STATEMENT_HEADER,
      statementLine(date, serials[0]!, '1000.00'),
      statementLine(date, serials[1]!, '256.00'),
      statementLine(date, '9999999999', '12.00'),
    ];
    await writeFile(join(own, 'unionpay-1201.csv'), `\uFEFF${lines.join('\r\n')}\r\n`);
    const paged = [STATEMENT_HEADER, ...unknown.map((serial) => statementLine(date, serial, '20.00'))];
    await writeFile(join(own, 'unionpay-paged.csv'), `${paged.join('\n')}\n`);
    // Line 3 (the header is line 1) has an amount that is not one.
    const bad = [
      STATEMENT_HEADER,
      statementLine(date, serials[0]!, '1000.00'),
      statementLine(date, serials[1]!, '25x.30'),
    ];
    await writeFile(join(own, 'unionpay-bad.csv'), `${bad.join('\n')}\n`);
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    await dir?.cleanup();
  });

  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  /** Logs in as the supervisor and opens the statement named `name` from the reconciliation list. */
  const openStatement = async (t: Touch, name: string) => {
    await consoleLogin(t, 'S001', '654321');
    await t.tap('[data-menu="reports"]');
    await t.tap('[data-go="reconcile"]');
    await t.page.locator('[data-statement]').first().waitFor();
    await t.tap(`[data-statement]:has-text("${name}")`);
  };

  /** The serials in the differences table now shown. */
  const shownSerials = (t: Touch) => t.page.locator('table.differences .serial').allInnerTexts();

  for (const size of [SIZES[0], SIZES[1]]) {
    it(`a supervisor reconciles a statement, sees the differences, prints and exports them at ${size.width}×${size.height}`, async () => {
      const t = await openScreen(browser, new URL('ui/', kiosk.url).href, size, 'reconcile');
      await consoleLogin(t, 'S001', '654321');
      await t.tap('[data-menu="reports"]');
      await t.tap('[data-go="reconcile"]');
      await t.page.locator('[data-statement]').first().waitFor();
      expect(await t.text('[data-k="statements"]')).toContain('unionpay-1201.csv');
      await t.check('01-list');
      await t.tap('[data-statement]:has-text("unionpay-1201.csv")');
      await t.page.locator('[data-k="counts"]').waitFor();
      expect(await t.text('[data-k="counts"]')).toContain('相符 1，本亭无 1，银联无 1，金额不符 1');
      // One page: no page buttons at all.
      expect(await t.page.locator('.pager .chip').count()).toBe(0);
      const table = await t.text('table.differences');
      expect(table).toContain(serials[1]);
      expect(table).toContain('9999999999');
      expect(table).toContain(serials[2]);
      expect(table).toContain('622588******1234');
      await t.check('02-differences');
      const printer = kiosk.app.devices!.printer as SimPrinter;
      const jobs = printer.jobs().length;
      await t.tap('#act-print-recon');
      await t.page.locator('[data-k="printed"]').waitFor();
      expect(printer.jobs()).toHaveLength(jobs + 1);
      const text = printedText(decodeEscPos(printer.jobs().at(-1)!.bytes));
      expect(text).toContain('信用卡对账');
      expect(text).toContain(`金额不符${serials[1]}`);
      await t.tap('#act-export-recon');
      await t.page.locator('[data-k="exported"]').waitFor();
      expect(await t.text('[data-k="exported"]')).toContain('unionpay-1201.csv.differences.csv');
      await t.check('03-printed-exported');
      await done(t);
    });
  }

  it("pages through a long statement's differences at 800×480, each end's button disabled", async () => {
    const t = await openScreen(browser, new URL('ui/', kiosk.url).href, SIZES[0], 'reconcile-paged');
    await openStatement(t, 'unionpay-paged.csv');
    await t.page.locator('[data-k="counts"]').waitFor();
    expect(await t.text('[data-k="counts"]')).toContain('相符 0，本亭无 10，银联无 3，金额不符 0');
    const prev = t.page.locator('[data-k="prev-page"]');
    const next = t.page.locator('[data-k="next-page"]');
    const at = async (n: number) => {
      await t.page.locator('[data-k="page"]', { hasText: `第 ${n}/4 页` }).waitFor();
      expect(await t.text('[data-k="page"]')).toContain(`page ${n} of 4`);
      // The page buttons and every row of the page reachable without scrolling.
      await allAboveBar(t, '.pager .chip, table.differences tbody tr');
      return shownSerials(t);
    };

    // Thirteen differences, four to a page.
    const pages = [await at(1)];
    expect(await prev.isDisabled()).toBe(true);
    expect(await next.isDisabled()).toBe(false);
    await t.check('01-first-page');
    for (const n of [2, 3, 4]) {
      await t.tap('[data-k="next-page"]');
      pages.push(await at(n));
      expect(await prev.isDisabled()).toBe(false);
      expect(await next.isDisabled()).toBe(n === 4);
    }
    await t.check('02-last-page');
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 1]);

    // Every difference on exactly one page: the ten only UnionPay has, the three only we have.
    const all = pages.flat();
    expect(new Set(all).size).toBe(13);
    expect([...all].sort()).toEqual([...unknown, ...serials].sort());

    for (const n of [3, 2, 1]) {
      await t.tap('[data-k="prev-page"]');
      expect(await at(n)).toEqual(pages[n - 1]);
    }
    expect(await prev.isDisabled()).toBe(true);
    await done(t);
  });

  it("shows a refused statement's error naming the bad line in Chinese and English at 800×480; printing and exporting it change nothing", async () => {
    const t = await openScreen(browser, new URL('ui/', kiosk.url).href, SIZES[0], 'reconcile-refused');
    await openStatement(t, 'unionpay-bad.csv');
    const shown = t.page.locator('.reports .error');
    await shown.waitFor();
    const text = await t.text('.reports .error');
    expect(text).toContain('对账文件有误，未对账（共 1 处）：第 3 行');
    expect(text).toContain('statement refused, nothing matched (1 errors): line 3 amount');
    expect(await t.page.locator('[data-k="counts"]').count()).toBe(0);
    expect(await t.page.locator('table.differences').count()).toBe(0);
    await t.check('01-refused');

    const printer = kiosk.app.devices!.printer as SimPrinter;
    const jobs = printer.jobs().length;
    await t.tap('#act-print-recon');
    await t.page.locator('.messages .error', { hasText: '第 3 行' }).waitFor();
    expect(printer.jobs()).toHaveLength(jobs);
    await t.tap('#act-export-recon');
    await t.page.locator('.messages .error', { hasText: 'line 3' }).waitFor();
    await expect(access(join(own, 'unionpay-bad.csv.differences.csv'))).rejects.toThrow();
    expect(printer.jobs()).toHaveLength(jobs);
    await done(t);
  });
});
