import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { readDemoGuide } from '../../src/reference-hq/demo-guide.ts';
import { startTestKiosk, type TestKiosk } from '../integration/http-kiosk.ts';
import { launch, SIZES, type Touch, touchPage } from './touch-kit.ts';

/**
 * The published service guide and its appointments on the customer's touchscreen, in Debian's
 * headless chromium against a real kiosk, by taps only: browse a matter, print its guide sheet,
 * book an appointment slot, register a simple matter alone.
 */
describe('service guide on the touchscreen', () => {
  let kiosk: TestKiosk;
  let browser: Browser;
  const printed = () => {
    const p = kiosk.app.devices!.printer as SimPrinter;
    return p.jobs().map((j) => p.preview(j.jobId));
  };

  beforeAll(async () => {
    kiosk = await startTestKiosk();
    await kiosk.app.assist.applyGuide(await readDemoGuide());
    await kiosk.app.operators.add({ code: 'T001', name: '代办员', role: 'teller', password: '123456' });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  const open = async (prefix: string, size: (typeof SIZES)[number] = SIZES[0]) => {
    const t = await touchPage(browser, new URL('ui/', kiosk.url).href, size, prefix);
    await t.page.locator('#act-guide').waitFor();
    return t;
  };
  const done = async (t: Touch) => {
    expect(t.errors).toEqual([]);
    await t.close();
  };

  for (const size of [SIZES[0], SIZES[2]]) {
    it(`browses the guide and prints a matter's sheet at ${size.width}×${size.height}`, async () => {
      const t = await open('guide', size);
      await t.tap('#act-guide');
      await t.page.locator('.tile[data-matter="id-card"]').waitFor();
      expect(await t.text('[data-k="hours"]')).toContain('09:00-11:00');
      await t.check('01-list');
      await t.tap('.tile[data-matter="id-card"]');
      await t.page.locator('[data-k="materials"]').waitFor();
      expect(await t.text('dd[data-k="mode"]')).toContain('代为办理');
      expect(await t.text('dd[data-k="limit"]')).toContain('15 天内办结');
      expect(await t.text('dd[data-k="fee"]')).toContain('免费');
      expect(await t.text('[data-k="materials"]')).toContain('户口簿原件');
      expect(await t.text('[data-k="procedure"]')).toContain('报送街道便民服务中心');
      await t.check('02-matter');
      const before = printed().length;
      await t.tap('#act-print');
      await t.page.locator('[data-k="printed"]').waitFor();
      await expect.poll(() => printed().length).toBe(before + 1);
      expect(printed().at(-1)).toContain('办事指南');
      await t.tap('#act-back');
      await t.tap('.tile[data-matter="marriage-registration"]');
      expect(await t.text('dd[data-k="in-person"]')).toContain('须本人到场');
      await done(t);
    });
  }

  it('books an appointment slot and prints the slip; the slot counts down', async () => {
    const t = await open('appointment');
    await t.tap('#act-guide');
    await t.tap('.tile[data-matter="marriage-registration"]');
    await t.tap('#act-book');
    await t.page.locator('[data-slot="20261201 14:00"]').waitFor();
    expect(await t.text('[data-slot="20261201 14:00"]')).toContain('余4');
    await t.check('01-slots');
    await t.tap('[data-slot="20261201 14:00"]');
    await t.type('13912345678');
    await t.check('02-phone');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="number"]').waitFor();
    const id = await t.text('dd[data-k="number"]');
    expect(id).toMatch(/^A20261201\d{4}$/);
    expect(await t.text('dd[data-k="phone"]')).toBe('139****5678');
    await t.check('03-booked');
    await expect.poll(() => printed().some((p) => p.includes('预约凭条') && p.includes(id))).toBe(true);
    const list = await kiosk.api('GET', '/api/guide/marriage-registration/slots');
    expect(list.body.days[0].slots[0]).toMatchObject({ from: '14:00', left: 3 });
    await t.tap('#act-done');
    await t.page.locator('#act-guide').waitFor();
    await done(t);
  });

  it('registers a simple matter alone and shows the request number and promised date', async () => {
    const t = await open('self-register');
    await t.tap('#act-guide');
    await t.tap('.tile[data-matter="utility-repair"]');
    await t.tap('#act-register');
    await t.type('13800138000');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="number"]').waitFor();
    const id = await t.text('dd[data-k="number"]');
    expect(await t.text('dd[data-k="deadline"]')).toBe('2026-12-04');
    await t.check('01-registered');
    const r = await kiosk.app.assist.get(id);
    expect(r).toMatchObject({ matter: 'utility-repair', channel: 'self', state: 'registered' });
    expect(r.citizen.phone).toBe('13800138000');
    await done(t);
  });

  /** Holds the station's name (a touch held down while the page's clock moves on), then logs in. */
  const login = async (t: Touch) => {
    const box = (await t.page.locator('#station').boundingBox())!;
    const cdp = await t.context.newCDPSession(t.page);
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
    await t.page.clock.runFor(1_600);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
    await t.page.locator('#f-code').waitFor();
    await t.type('T001');
    await t.tap('#act-primary');
    await t.type('123456');
    await t.tap('#act-primary');
    await t.page.locator('[data-menu="requests"]').waitFor();
  };

  it('the operator cancels a citizen’s appointment (after 取消预约？ 确认) or marks it served (after 确认已办理？ 确认) on the console, 返回 changing nothing; a served one cannot be cancelled, a cancel is idempotent', async () => {
    const book = async (phone: string, key: string) => {
      const r = await kiosk.api('POST', '/api/appointments', {
        body: { matter: 'marriage-registration', date: '20261201', from: '14:00', phone },
        headers: { 'idempotency-key': key },
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const left = async () =>
      (await kiosk.api('GET', '/api/guide/marriage-registration/slots')).body.days[0].slots[0].left as number;
    const toCancel = await book('13911110001', 'appointment-cancel-1');
    const toServe = await book('13911110002', 'appointment-serve-1');
    const before = await left();
    const t = await touchPage(browser, 'about:blank', SIZES[0], 'console-appointments');
    await t.page.clock.install();
    await t.page.goto(new URL('ui/', kiosk.url).href);
    await t.page.locator('#act-guide').waitFor();
    await login(t);
    await t.tap('[data-menu="requests"]');
    await t.tap('#act-appointments');
    await t.page.locator(`[data-cancel="${toCancel}"]`).waitFor();
    await t.check('01-appointments');
    // 取消预约 first asks, naming the booking, with large buttons; 返回 changes nothing.
    const dialog = t.page.locator('[role="alertdialog"].confirm-dialog');
    const ask = async (action: 'cancel' | 'serve', id: string) => {
      await t.tap(`[data-${action}="${id}"]`);
      await dialog.waitFor();
      expect(await t.text('#confirm-title')).toContain(action === 'cancel' ? '取消预约？' : '确认已办理？');
      expect(await t.text('[data-k="confirm-detail"]')).toContain(id);
      for (const b of ['#confirm-no', '#confirm-yes']) {
        expect(await t.text(b)).toContain(b === '#confirm-no' ? '返回' : '确认');
        const box = (await t.page.locator(b).boundingBox())!;
        expect(box.height, b).toBeGreaterThanOrEqual(60);
        expect(box.width, b).toBeGreaterThanOrEqual(120);
      }
    };
    /** 返回 closes the dialog and changes nothing: on screen and in the store it stays booked. */
    const declineLeavesBooked = async (id: string) => {
      await t.tap('#confirm-no');
      await dialog.waitFor({ state: 'detached' });
      expect(await t.page.locator(`[data-appointment="${id}"]`).getAttribute('data-status')).toBe('booked');
      expect(await kiosk.app.assist.store.appointment(id)).toMatchObject({ status: 'booked' });
    };
    await ask('cancel', toCancel);
    await t.check('02-confirm-cancel');
    await declineLeavesBooked(toCancel);
    expect(await left()).toBe(before);
    // 确认 cancels it.
    await ask('cancel', toCancel);
    await t.tap('#confirm-yes');
    await dialog.waitFor({ state: 'detached' });
    await t.page.locator(`[data-appointment="${toCancel}"][data-status="cancelled"]`).waitFor();
    expect(await t.page.locator(`[data-cancel="${toCancel}"]`).count()).toBe(0);
    // The slot is free again.
    expect(await left()).toBe(before + 1);
    // 已办理 asks the same way (a served booking can no longer be cancelled); 返回 changes nothing.
    await ask('serve', toServe);
    await t.check('03-confirm-serve');
    await declineLeavesBooked(toServe);
    // 确认 marks it served.
    await ask('serve', toServe);
    await t.tap('#confirm-yes');
    await dialog.waitFor({ state: 'detached' });
    await t.page.locator(`[data-appointment="${toServe}"][data-status="served"]`).waitFor();
    expect(await t.page.locator(`[data-serve="${toServe}"]`).count()).toBe(0);
    await t.check('04-closed');
    await done(t);
    // Journaled: the store holds the change with who made it.
    expect(await kiosk.app.assist.store.appointment(toCancel)).toMatchObject({
      status: 'cancelled',
      closedBy: 'T001',
    });
    // Through the API, the same operation: a repeat changes nothing, a served one is refused.
    const token = await kiosk.login('T001', '123456');
    const again = await kiosk.api('POST', `/api/appointments/${toCancel}/cancel`, { body: {}, token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'cancelled', unchanged: true });
    const served = await kiosk.api('POST', `/api/appointments/${toServe}/cancel`, { body: {}, token });
    expect(served.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(served.body)).toContain('已办理，不能取消');
    expect(await kiosk.app.assist.store.appointment(toServe)).toMatchObject({ status: 'served' });
    // Only an operator may close one.
    expect((await kiosk.api('POST', `/api/appointments/${toServe}/serve`, { body: {} })).status).toBe(401);
  });

  it('registers a request at the console and follows it to its close, HQ bringing the result', async () => {
    const t = await touchPage(browser, 'about:blank', SIZES[0], 'console-request');
    await t.page.clock.install();
    await t.page.goto(new URL('ui/', kiosk.url).href);
    await t.page.locator('#act-guide').waitFor();
    await login(t);
    await t.tap('[data-menu="requests"]');
    await t.tap('#act-new');
    await t.tap('.tile[data-matter="id-card"]');
    await t.type('13912345678');
    await t.tap('#act-primary');
    await t.type('33010219900101123X');
    await t.tap('#act-primary');
    await t.tap('[data-material="0"]');
    await t.tap('[data-material="1"]');
    await t.check('01-materials');
    await t.tap('#act-primary');
    await t.page.locator('dd[data-k="phone"]').waitFor();
    // The operator's own view: the full numbers, to call the citizen back.
    expect(await t.text('dd[data-k="phone"]')).toBe('13912345678');
    expect(await t.text('dd[data-k="idNumber"]')).toBe('33010219900101123X');
    expect(await t.text('dd[data-k="materials"]')).toBe('户口簿原件、近期一寸彩色照片两张');
    const id = (await t.text('h1')).match(/R\d{12}/)![0];
    await expect.poll(() => printed().some((p) => p.includes('受理回执') && p.includes(id))).toBe(true);
    await t.check('02-registered');
    await t.tap('[data-to="verified"]');
    await t.page.locator('[data-to="submitted"]').waitFor();
    await t.tap('[data-to="submitted"]');
    await expect.poll(() => t.text('dd[data-k="state"]')).toContain('已报送');
    // The service centre's answer arrives as HQ's command.
    await kiosk.app.assist.update(
      { id, to: 'result-received', result: { zh: '证件已制好', en: 'card ready' } },
      { channel: 'hq' },
    );
    await t.tap('#act-back');
    await t.tap(`[data-request="${id}"]`);
    await t.page.locator('[data-to="phone"]').waitFor();
    expect(await t.text('dd[data-k="result"]')).toContain('证件已制好');
    await t.tap('[data-to="phone"]');
    await t.page.locator('[data-to="closed"]').waitFor();
    await t.tap('[data-to="closed"]');
    await t.page.locator('li[data-state="closed"]').waitFor();
    await t.check('03-closed');
    expect((await kiosk.app.assist.get(id)).history.map((s) => s.state)).toEqual([
      'registered',
      'verified',
      'submitted',
      'result-received',
      'notified',
      'closed',
    ]);
    await t.tap('#act-back');
    await t.page.locator('#act-new').waitFor();
    expect(await t.page.locator(`[data-request="${id}"]`).count()).toBe(0);
    await t.tap('#act-stats');
    await t.page.locator('dd[data-k="closed"]').waitFor();
    expect(Number(await t.text('dd[data-k="closed"]'))).toBeGreaterThanOrEqual(1);
    await t.check('04-stats');
    await t.tap('#act-send');
    await t.page.locator('[data-k="sent"]').waitFor();
    await expect.poll(() => printed().some((p) => p.includes('便民服务月报'))).toBe(true);
    await done(t);
  });
});
