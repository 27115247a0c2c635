import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { consoleLogin, openScreen } from './console-login.ts';
import { launch, SIZES, type Touch } from './touch-kit.ts';

/**
 * The console's settlement and reports, the repayment terminal's sign-in and the electricity-card
 * purchases waiting for confirmation, the station handover and a teller's report, in Debian's headless chromium against a real kiosk, by taps
 * only, at 800×480 and 1024×600.
 */
describe('operator console: settlement, reports, terminal sign-in, card purchases, adding an operator', () => {
  let kiosk: TestKiosk;
  let browser: Browser;

  beforeAll(async () => {
    kiosk = await startTestKiosk();
    await kiosk.app.operators.add({ code: 'T001', name: '柜员甲', role: 'teller', password: '123456' });
    await kiosk.app.operators.add({ code: 'T002', name: '柜员乙', role: 'teller', password: '222222' });
    await kiosk.app.operators.add({ code: 'S001', name: '主管', role: 'supervisor', password: '654321' });
    kiosk.hq.script('pay', 'ok');
    for (const [code, password, amount] of [
      ['T001', '123456', '20'],
      ['T002', '222222', '30'],
    ] as const) {
      const r = await kiosk.api('POST', '/api/services/test-bill/transactions', {
        token: await kiosk.login(code, password),
        body: { phone: '13800138000', amount },
      });
      await kiosk.app.engine.waitFor(r.body.serial, (x) => x.terminal);
    }
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  // Every screen at the kiosk's 800×480 and at 1024×600; what a run records differs per size.
  for (const [i, size] of [SIZES[0], SIZES[1]].entries()) {
    const at = ` at ${size.width}×${size.height}`;
    const open = (prefix: string) => openScreen(browser, new URL('ui/', kiosk.url).href, size, prefix);
    const [teller, password] = i === 0 ? ['T001', '123456'] : ['T002', '222222'];

    it(`a teller settles their own day and prints it; the daily report prints too${at}`, async () => {
      const t = await open('reports-teller');
      await consoleLogin(t, teller, password);
      await t.tap('[data-menu="reports"]');
      await t.page.locator('[data-k="settlement"]').waitFor();
      // The teller's own settlement only: 20 yuan, not the other teller's 30.
      expect(await t.text('[data-k="settlement"] h2')).toContain(teller);
      const expected = (await kiosk.app.settlements.preview({ kind: 'teller', operator: teller })).cashDue;
      expect(await t.text('[data-k="cashDue"]')).toContain(expected);
      await t.check('01-settlement');
      await t.tap('#act-settle');
      await t.page.locator('[data-k="settled"]').waitFor();
      expect(await t.text('[data-k="settled"]')).toContain('已扎账');
      const recorded = await kiosk.api('GET', '/api/reports/settlements', {
        token: await kiosk.login(teller, password),
      });
      expect(recorded.body.settlements).toHaveLength(1);
      expect(recorded.body.settlements[0]).toMatchObject({ scope: 'teller', operator: teller });
      await t.check('02-settled');
      await t.tap('[data-go="daily-today"]');
      await t.page.locator('[data-k="report-range"]').waitFor();
      expect(await t.text('[data-k="report-range"]')).toContain(teller);
      await t.check('03-daily');
      await t.tap('#act-print-daily');
      await t.page.locator('[data-k="printed"]').waitFor();
      await t.check('04-daily-printed');
      await done(t);
    });

    it(`a supervisor sees the station’s report over a range of dates typed on the keypad${at}`, async () => {
      const t = await open('reports-range');
      await consoleLogin(t, 'S001', '654321');
      await t.tap('[data-menu="reports"]');
      await t.page.locator('[data-k="settlement"]').waitFor();
      expect(await t.text('[data-k="settlement"] h2')).toContain('网点');
      await t.tap('[data-go="daily-range"]');
      const today = (await kiosk.api('GET', '/api/health')).body.businessDate as string;
      const from = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`.replace(/0229$/, '0228');
      await t.type(from);
      await t.check('01-from');
      await t.tap('#act-date');
      await t.type(today);
      await t.tap('#act-date');
      await t.page.locator('[data-k="report-range"]').waitFor();
      expect(await t.text('[data-k="report-range"]')).toContain(`${from} – ${today}`);
      expect(await t.text('[data-k="report-range"]')).toContain('网点');
      await t.page.locator('table.days').waitFor();
      await t.check('02-range');
      await done(t);
    });

    it(`signs the repayment terminal in from the devices screen${at}`, async () => {
      // A newly bound terminal is not signed in yet.
      kiosk.app.cardTerminal.bindingChanged({ terminalNo: `1234567${i}`, status: 'enabled', at: Date.now() });
      const t = await open('terminal');
      await consoleLogin(t, 'T001', '123456');
      await t.tap('[data-menu="status"]');
      await t.page.locator('[data-k="terminal-state"]').waitFor();
      expect(await t.text('[data-k="terminal-state"]')).toContain('未签到');
      await t.check('01-not-signed-in');
      await t.tap('#act-sign-in');
      await t.page.locator('[data-k="terminal-state"]:has-text("已签到")').waitFor();
      expect(kiosk.app.cardTerminal.status().signedIn).toBe(true);
      await t.check('02-signed-in');
      await done(t);
    });

    it(`lists the card purchases waiting for confirmation (none here) with a way back${at}`, async () => {
      const t = await open('power-card');
      await consoleLogin(t, 'T001', '123456');
      await t.tap('[data-menu="power-card"]');
      await t.page.locator('[data-k="none"], .error').first().waitFor();
      await t.check('01-list');
      await done(t);
    });

    it(`a supervisor adds an operator by touch alone: code, name on the pinyin pad, role, password${at}`, async () => {
      const code = `T00${9 - i}`;
      const t = await open('add-operator');
      await consoleLogin(t, 'S001', '654321');
      await t.tap('[data-menu="supervisor"]');
      await t.tap('[data-menu="operators"]');
      await t.tap('#act-add-op');
      await t.type(code);
      await t.check('01-code');
      await t.tap('#act-primary');
      // 王晓: "wang" then the character, "xiao" then the character; a wrong letter taken back.
      for (const ch of 'WANGX') await t.tap(`.pad-pinyin .key[data-key="${ch}"]`);
      await t.tap('.pad-pinyin .key[data-key="DEL"]');
      expect(await t.text('[data-k="pinyin"]')).toBe('wang');
      await t.tap('.cand[data-char="王"]');
      for (const ch of 'XIAO') await t.tap(`.pad-pinyin .key[data-key="${ch}"]`);
      await t.check('02-name');
      await t.tap('.cand[data-char="晓"]');
      expect(await t.text('#f-name')).toBe('王晓');
      await t.tap('#act-primary');
      await t.tap('[data-role="teller"]');
      await t.type('135790');
      await t.check('03-password');
      await t.tap('#act-primary');
      await t.page.locator('[data-k="op-note"]').waitFor();
      const added = (await kiosk.app.operators.list()).find((o) => o.code === code);
      expect(added).toMatchObject({ code, name: '王晓', role: 'teller' });
      expect((await kiosk.api('POST', '/api/session', { body: { code, password: '135790' } })).status).toBe(
        201,
      );
      await t.check('04-added');
      await done(t);
    });

    it(`a supervisor records the station's cash handed in against its cash due, and sees the shortfall${at}`, async () => {
      const t = await open('handover');
      await consoleLogin(t, 'S001', '654321');
      await t.tap('[data-menu="reports"]');
      await t.tap('[data-go="handover"]');
      // The day before by default: the handover is done the next morning.
      const today = (await kiosk.api('GET', '/api/health')).body.businessDate as string;
      await t.page.locator('[data-k="handover-date"]').waitFor();
      expect(await t.text('[data-k="handover-date"]')).not.toContain(today);
      await t.check('01-day-before');
      await t.tap('#act-today');
      await t.page.locator(`[data-k="handover-date"]:has-text("${today}")`).waitFor();
      const supervisor = await kiosk.login('S001', '654321');
      const due = (
        await kiosk.api('GET', `/api/reports/daily?from=${today}&to=${today}`, { token: supervisor })
      ).body.summary.cashDue as string;
      expect(await t.text('[data-k="handover-due"]')).toContain(due);
      await t.type('10');
      await t.check('02-amount');
      await t.tap('#act-handover');
      await t.page.locator('[data-k="handed-over"]').waitFor();
      expect(await t.text('[data-k="handed-over"]')).toContain('短款');
      await t.page.locator('table.handover-list').waitFor();
      const recorded = await kiosk.api('GET', `/api/reports/handover?date=${today}`, { token: supervisor });
      expect(recorded.body.handovers.at(-1)).toMatchObject({
        businessDate: today,
        by: 'S001',
        handedInFen: 1000,
      });
      expect(await t.page.locator('table.handover-list tbody tr').count()).toBe(i + 1);
      await t.check('03-recorded');
      await done(t);
    });

    it(`a supervisor opens one teller's daily report from the list of tellers${at}`, async () => {
      const t = await open('teller-report');
      await consoleLogin(t, 'S001', '654321');
      await t.tap('[data-menu="reports"]');
      await t.tap('[data-go="teller-reports"]');
      await t.page.locator('[data-teller="T002"]').waitFor();
      await t.check('01-tellers');
      await t.tap('[data-teller="T002"]');
      await t.page.locator('[data-k="report-range"]').waitFor();
      expect(await t.text('[data-k="report-range"]')).toContain('柜员 T002');
      const teller2 = (await kiosk.app.settlements.preview({ kind: 'teller', operator: 'T002' })).cashDue;
      expect(await t.text('[data-k="cashDue"]')).toContain(teller2);
      await t.check('02-report');
      await t.tap('#act-print-daily');
      await t.page.locator('[data-k="printed"]').waitFor();
      await done(t);
    });
  }
});
