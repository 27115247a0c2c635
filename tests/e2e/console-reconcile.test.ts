import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { tempDir } from '../support/kiosk-harness.ts';
import { STATEMENT_HEADER, seedRepayments, statementLine } from '../support/repayments.ts';
import { consoleLogin, openScreen } from './console-login.ts';
import { launch, SIZES, type Touch } from './touch-kit.ts';

/**
 * Credit-card reconciliation on the console by touch alone, in Debian's headless chromium against a
 * real kiosk: a statement placed in the statements folder, reconciled, its differences seen,
 * printed (the SimPrinter job decoded) and exported, at 800×480 and 1024×600.
 */
describe('operator console: credit-card reconciliation from the statements folder', () => {
  let kiosk: TestKiosk;
  let browser: Browser;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let own = '';
  let serials: string[] = [];

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

  for (const size of [SIZES[0], SIZES[1]]) {
    it(`a supervisor reconciles a statement, sees the differences, prints and exports them at ${size.width}×${size.height}`, async () => {
      const t = await openScreen(browser, new URL('ui/', kiosk.url).href, size, 'reconcile');
      await consoleLogin(t, 'S001', '654321');
      await t.tap('[data-menu="reports"]');
      await t.tap('[data-go="reconcile"]');
      await t.page.locator('[data-statement]').first().waitFor();
      expect(await t.text('[data-k="statements"]')).toContain('unionpay-1201.csv');
      await t.check('01-list');
      await t.tap('[data-statement]');
      await t.page.locator('[data-k="counts"]').waitFor();
      expect(await t.text('[data-k="counts"]')).toContain('相符 1，本亭无 1，银联无 1，金额不符 1');
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
});
