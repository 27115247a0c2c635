import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { payQrOrder, type QrOrder } from '../../src/reference-hq/billers/payment-qr.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';
import { callJson } from '../support/json-api.ts';
import { until } from '../support/wait.ts';
import { launch, SIZES, type Touch, touchPage } from './touch-kit.ts';

// The page's globals inside page.evaluate (the test project has no DOM library).
// biome-ignore lint/suspicious/noExplicitAny: browser globals, checked by the browser
declare const document: any;

/**
 * Every service a customer may use alone, by each tender, against the kiosk as `npm start` runs it
 * (embedded broker, reference HQ billers): one table, one driver. The driver fills each screen from
 * the service's own example (its definition), keeps what the biller filled in (arrears), picks
 * the example's choice where the list has it and the first one otherwise, ticks what must be
 * ticked, then pays at the counter (the operator takes the cash) or by QR (HQ's acquirer is paid)
 * and waits for the true final result. The IC-card purchase needs the card in the reader and has
 * its own suite; repayment takes no tender (tests/e2e/customer-coach-card.test.ts).
 */
const SERVICES = [
  'mobile-topup',
  'unicom-cash',
  'telecom-bill',
  'electricity-bill',
  'game-topup',
  'cable-tv',
  'water-bill',
  'gas-bill',
  'coach-ticket',
] as const;
const TENDERS = ['counter', 'qr'] as const;

describe('customer touchscreen: every self-service by both tenders', () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;
  let browser: Browser;
  let token: string;

  const api = (method: string, path: string, body?: unknown) => callJson(app.url!, method, path, body, token);

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({
      prefix: 'kiosk-ui-every-',
      config: {
        selfService: { tender: ['counter', 'qr'], qrPollMs: 100 },
        engine: { firstStatusQueryMs: 100, statusQueryIntervalMs: 300 },
        hq: { embedded: { billerLatencyMs: 5, openingBalance: '5000.00' } },
      },
    });
    app = kiosk.app;
    await until(() => SERVICES.every((s) => app.config.services.enabled.includes(s)), 15_000, 'services');
    await until(() => app.balance.summary().balance === '5000.00', 15_000, 'the opening balance');
    await app.operators.add({ code: 'A001', name: '收款员', role: 'teller', password: '123456' });
    token = (await api('POST', '/api/session', { code: 'A001', password: '123456' })).body.token;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
  });

  /** What the screen asks for now: a field on its keypad, a choice, or the confirmation. */
  const screenOf = (t: Touch) =>
    t.page.evaluate(() => {
      if (document.querySelector('main dd[data-k="total"]') && document.querySelector('#act-primary'))
        return { kind: 'confirm', name: '' };
      const input = document.querySelector('main input.display');
      if (input) return { kind: 'keypad', name: String(input.id).slice(2), value: String(input.value) };
      const choose = document.querySelector('main section.choose h2');
      if (choose) return { kind: 'choice', name: String(choose.id).replace(/^f-|-label$/g, '') };
      return { kind: 'other', name: String(document.querySelector('main h1')?.textContent ?? '') };
    });

  /** From home to the confirmation, one screen at a time, with the service's example values. */
  const fillIn = async (t: Touch, service: string) => {
    const def = app.services.get(service);
    const example = def.example ?? {};
    await t.tap(`.tile[data-service="${service}"]`);
    let last = '';
    for (let step = 0; step < 12; step++) {
      await t.page
        .locator('main input.display, main section.choose h2, main dd[data-k="total"], main h1.outcome')
        .first()
        .waitFor({ timeout: 15_000 });
      const s = await screenOf(t);
      if (s.kind === 'confirm') return;
      expect(s.kind, `${service}: unexpected screen ${s.name}`).not.toBe('other');
      const here = `${s.kind}:${s.name}`;
      expect(here, `${service}: stuck on ${here}`).not.toBe(last);
      if (s.kind === 'keypad') {
        const value = example[s.name] ?? '';
        // What the biller filled in (the arrears) stays; anything else is typed from the example.
        if (!(s.name === 'amount' && s.value)) {
          await t.tap('.key[data-key="clear"]');
          await t.type(value);
        }
      } else {
        await t.page.locator('main .option:not([disabled])').first().waitFor({ timeout: 15_000 });
        const mine = t.page.locator(`main .option[data-value="${example[s.name]}"]:not([disabled])`);
        if ((await mine.count()) > 0) await mine.first().tap();
        else await t.page.locator('main .option:not([disabled])').first().tap();
      }
      last = here;
      await t.tap('#act-primary');
      // The next screen replaces this one (a look-up or the quote can take a moment).
      await expect
        .poll(
          async () => {
            const n = await screenOf(t);
            return `${n.kind}:${n.name}`;
          },
          { timeout: 15_000 },
        )
        .not.toBe(here);
    }
    throw new Error(`${service}: no confirmation after 12 screens`);
  };

  const pay = async (t: Touch, tender: (typeof TENDERS)[number]) => {
    if (tender === 'counter') {
      const number = await t.text('.order-no');
      const list = await api('GET', '/api/orders?status=awaiting-payment');
      const order = list.body.items.find((o: { number: string }) => o.number === number);
      expect((await api('POST', `/api/orders/${order.id}/cash-received`, {})).status).toBeLessThan(300);
      return;
    }
    const payload = await t.page.locator('[data-k="pay-qr"] svg').getAttribute('data-qr');
    const store = app.hq.embedded!.server.opts.store;
    const found = (await store.list<QrOrder>('qr:')).map(([, o]) => o).find((o) => o.payload === payload);
    await payQrOrder(store, found!.paymentId, app.clock.now());
  };

  for (const service of SERVICES) {
    for (const tender of TENDERS) {
      it(`${service} by ${tender}`, async () => {
        const t = await touchPage(
          browser,
          new URL('ui/', app.url).href,
          SIZES[0],
          `every-${service}-${tender}`,
        );
        await fillIn(t, service);
        if ((await t.page.locator('#confirm-tick').count()) > 0) await t.tap('#confirm-tick');
        await t.tap(tender === 'counter' ? '#act-primary' : '#act-tender-qr');
        await t.page.locator('[data-outcome="order-awaiting-payment"]').waitFor({ timeout: 15_000 });
        await pay(t, tender);
        await t.page.locator('[data-outcome="order-succeeded"]').waitFor({ timeout: 20_000 });
        const txn = await app.engine.get(await t.text('.serial'));
        expect(txn).toMatchObject({ service, result: 'succeeded' });
        expect(txn.data.order).toBeTruthy();
        await t.tap('#act-done');
        await t.page.locator('.tile[data-service]').first().waitFor();
        expect(t.errors).toEqual([]);
        await t.close();
      });
    }
  }
});
