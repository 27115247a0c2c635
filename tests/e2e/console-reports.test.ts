import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { consoleLogin, openScreen } from './console-login.ts';
import { launch, SIZES, type Touch } from './touch-kit.ts';

/**
 * The console's settlement and reports, the repayment terminal's sign-in and the electricity-card
 * purchases waiting for confirmation, in Debian's headless chromium against a real kiosk, by taps
 * only, at 800×480.
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

  const open = (prefix: string) => openScreen(browser, new URL('ui/', kiosk.url).href, SIZES[0], prefix);
  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  it('a teller settles their own day and prints it; the daily report prints too', async () => {
    const t = await open('reports-teller');
    await consoleLogin(t, 'T001', '123456');
    await t.tap('[data-menu="reports"]');
    await t.page.locator('[data-k="settlement"]').waitFor();
    // The teller's own settlement only: 20 yuan, not the other teller's 30.
    expect(await t.text('[data-k="settlement"] h2')).toContain('T001');
    const expected = (await kiosk.app.settlements.preview({ kind: 'teller', operator: 'T001' })).cashDue;
    expect(await t.text('[data-k="cashDue"]')).toContain(expected);
    await t.check('01-settlement');
    await t.tap('#act-settle');
    await t.page.locator('[data-k="settled"]').waitFor();
    expect(await t.text('[data-k="settled"]')).toContain('已扎账');
    const recorded = await kiosk.api('GET', '/api/reports/settlements', {
      token: await kiosk.login('T001', '123456'),
    });
    expect(recorded.body.settlements).toHaveLength(1);
    expect(recorded.body.settlements[0]).toMatchObject({ scope: 'teller', operator: 'T001' });
    await t.check('02-settled');
    await t.tap('[data-go="daily-today"]');
    await t.page.locator('[data-k="report-range"]').waitFor();
    expect(await t.text('[data-k="report-range"]')).toContain('T001');
    await t.check('03-daily');
    await t.tap('#act-print-daily');
    await t.page.locator('[data-k="printed"], .messages .error').first().waitFor();
    await t.check('04-daily-printed');
    await done(t);
  });

  it('a supervisor sees the station’s report over a range of dates typed on the keypad', async () => {
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

  it('signs the repayment terminal in from the devices screen', async () => {
    kiosk.app.cardTerminal.bindingChanged({ terminalNo: '12345678', status: 'enabled', at: Date.now() });
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

  it('lists the card purchases waiting for confirmation (none here) with a way back', async () => {
    const t = await open('power-card');
    await consoleLogin(t, 'T001', '123456');
    await t.tap('[data-menu="power-card"]');
    await t.page.locator('[data-k="none"], .error').first().waitFor();
    await t.check('01-list');
    await done(t);
  });

  it('a supervisor adds an operator by touch alone: code, name on the pinyin pad, role, password', async () => {
    const t = await open('add-operator');
    await consoleLogin(t, 'S001', '654321');
    await t.tap('[data-menu="supervisor"]');
    await t.tap('[data-menu="operators"]');
    await t.tap('#act-add-op');
    await t.type('T009');
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
    const added = (await kiosk.app.operators.list()).find((o) => o.code === 'T009');
    expect(added).toMatchObject({ code: 'T009', name: '王晓', role: 'teller' });
    expect(
      (await kiosk.api('POST', '/api/session', { body: { code: 'T009', password: '135790' } })).status,
    ).toBe(201);
    await t.check('04-added');
    await done(t);
  });
});
