import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCardReader } from '../../devices/card-reader/sim-card-reader.ts';
import type { VirtualElectricityCard } from '../../devices/card-reader/virtual-electricity-card.ts';
import { demoElectricityCard } from '../../devices/card-reader/virtual-electricity-card.ts';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { powerCardKeys } from '../../src/reference-hq/billers/power-card.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';
import { callJson } from '../support/json-api.ts';
import { until } from '../support/wait.ts';
import { runKiosk } from './http-kiosk.ts';

const CUSTOMER = '3301000123';

/**
 * The electricity card purchase through the local API on the embedded defaults (simulated reader
 * with the demo card, reference HQ): the screen sees the card only masked and names it by the
 * read's `cardToken`; the transaction carries the card's full numbers, taken from the reader.
 */
describe('power-card purchase named by the card read', { timeout: 120_000 }, () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;
  let url: string;
  let token: string;

  const api = (method: string, path: string, body?: unknown, auth?: string) =>
    callJson(url, method, path, body, auth);
  const reader = () => app.devices!.cardReader as SimCardReader;
  const card = () => reader().insertedCard() as VirtualElectricityCard;

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({
      prefix: 'kiosk-power-card-',
      // A confirmation HQ did not acknowledge is sent again only after 30 s: the operator's
      // supplementary confirmation below comes first.
      config: { engine: { requestTimeoutMs: 2000, retryBaseDelayMs: 30_000, retryMaxDelayMs: 60_000 } },
    });
    app = kiosk.app;
    url = app.url!;
    await app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    token = (await api('POST', '/api/session', { code: 'A001', password: '123456' })).body.token;
    await until(() => app.balance.summary().balance === '1000.00', 30_000, 'the opening balance');
    await until(() => app.config.services.enabled.includes('power-card'), 30_000, 'HQ enabling the service');
  });
  afterAll(async () => {
    await kiosk.stop();
  });

  it('GET /api/card shows the card masked with a token; the full numbers never leave the kiosk', async () => {
    const r = await api('GET', '/api/card');
    expect(r.status).toBe(200);
    expect(r.body.present).toBe(true);
    expect(r.body.cardToken).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body.card.customerNo).toBe('******0123');
    expect(r.body.card.cardSerial).toMatch(/^D00000\*{6}0123$/);
    expect(r.text).not.toContain(CUSTOMER);
    expect(r.text).not.toContain(card().id.cardSerial);
    const view = await api('GET', '/api/services/power-card');
    expect(
      view.body.fields.filter((f: { fromCard: boolean }) => f.fromCard).map((f: { name: string }) => f.name),
    ).toEqual(['customerNo', 'cardSerial']);
  });

  it('a purchase named by the token carries the card’s numbers: inquiry, quote, transaction', async () => {
    const { cardToken } = (await api('GET', '/api/card', undefined, token)).body;
    const inquiry = await api('POST', '/api/services/power-card/inquiry', { cardToken }, token);
    expect(inquiry.status, inquiry.text).toBe(200);
    expect(inquiry.text).not.toContain(CUSTOMER);
    const quote = await api('POST', '/api/services/power-card/quote', { cardToken, amount: '50' }, token);
    expect(quote.status, quote.text).toBe(200);
    expect(quote.body.fields.customerNo).toBe('******0123');
    const created = await api(
      'POST',
      '/api/services/power-card/transactions',
      { cardToken, amount: '50' },
      token,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain(CUSTOMER);
    const done = await app.engine.waitFor(created.body.serial, (t) => t.terminal);
    expect(done.state).toBe('succeeded');
    // The journal holds the card's own numbers, read from the reader.
    expect(done.fields).toMatchObject({ customerNo: CUSTOMER, cardSerial: card().id.cardSerial });
    expect(card().purchase.purchaseCounter).toBeGreaterThan(0);
  });

  it('the customer’s order takes the numbers from the card too', async () => {
    const { cardToken } = (await api('GET', '/api/card')).body;
    const r = await api('POST', '/api/orders', {
      service: 'power-card',
      fields: { cardToken, amount: '20' },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.text).not.toContain(CUSTOMER);
    const order = await app.orderBook.get(r.body.id);
    expect(order.fields).toMatchObject({ customerNo: CUSTOMER, cardSerial: card().id.cardSerial });
    await api('POST', `/api/orders/${r.body.id}/cancel`);
  });

  it('refuses, naming cardToken, a token of another client, an unknown one and one after the card changed', async () => {
    const self = (await api('GET', '/api/card')).body.cardToken;
    const asOperator = await api(
      'POST',
      '/api/services/power-card/quote',
      { cardToken: self, amount: '50' },
      token,
    );
    expect(asOperator.status).toBe(400);
    expect(asOperator.body.field).toBe('cardToken');
    const unknown = await api(
      'POST',
      '/api/services/power-card/quote',
      { cardToken: 'x', amount: '50' },
      token,
    );
    expect(unknown.body.field).toBe('cardToken');
    const mine = (await api('GET', '/api/card', undefined, token)).body.cardToken;
    const typedOther = await api(
      'POST',
      '/api/services/power-card/quote',
      { cardToken: mine, customerNo: '3301009999', amount: '50' },
      token,
    );
    expect(typedOther.status).toBe(400);
    expect(typedOther.body.field).toBe('customerNo');
    const original = card();
    reader().removeCard();
    reader().insertCard(demoElectricityCard('3301000999'));
    const swapped = await api(
      'POST',
      '/api/services/power-card/transactions',
      { cardToken: mine, amount: '50' },
      token,
    );
    expect(swapped.status).toBe(400);
    expect(swapped.body.field).toBe('cardToken');
    reader().removeCard();
    reader().insertCard(original);
  });

  it('another service refuses a cardToken as a field it does not have', async () => {
    const { cardToken } = (await api('GET', '/api/card', undefined, token)).body;
    const r = await api(
      'POST',
      '/api/services/water-bill/quote',
      { cardToken, account: 'W1234567', amount: '30' },
      token,
    );
    expect(r.status).toBe(400);
    expect(r.text).toContain('cardToken');
  });

  const stateOf = async (serial: string) => (await app.engine.get(serial)).state;
  const cli = (...args: string[]) => runKiosk([...args, '--url', url, '--token', token]);
  const faults = () => app.hq.embedded!.server.faults;

  it('kiosk pay power-card amount=… reads the card through the kiosk and buys; nothing unmasked', async () => {
    const r = await cli('pay', 'power-card', 'amount=30', '--yes');
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).toContain('******0123');
    expect(r.out + r.err).not.toContain(CUSTOMER);
    const serial = /流水号 serial: (\d{10})/.exec(r.out)![1]!;
    expect((await app.engine.get(serial)).fields.customerNo).toBe(CUSTOMER);
  });

  it('kiosk card unconfirmed lists a purchase waiting for its card; accounting-reverse gives it back', async () => {
    // HQ answers slowly: the card is pulled while HQ prepares the write data, so nothing is written.
    faults().set('power-card', 'slow', 800);
    const { cardToken } = (await api('GET', '/api/card', undefined, token)).body;
    const t = (await api('POST', '/api/services/power-card/transactions', { cardToken, amount: '40' }, token))
      .body;
    await until(async () => (await stateOf(t.serial)) === 'purchasing', 30_000, 'the purchase at HQ');
    const pulled = card();
    reader().removeCard();
    await until(async () => (await stateOf(t.serial)) === 'card-waiting', 30_000, 'the wait for the card');
    faults().set('power-card', 'normal');
    const list = await cli('card', 'unconfirmed', '--customer', CUSTOMER, '--json');
    expect(list.code, list.err).toBe(0);
    const a = JSON.parse(list.out);
    expect(a.items).toEqual([
      expect.objectContaining({ serial: t.serial, state: 'card-waiting', action: 'accounting-reverse' }),
    ]);
    expect(a.hq.items).toEqual([expect.objectContaining({ serial: t.serial, kind: 'purchase' })]);
    expect(list.out).not.toContain(CUSTOMER);
    const text = await cli('card', 'unconfirmed');
    expect(text.out).toContain('kiosk card accounting-reverse');
    const refused = await cli('card', 'confirm', t.serial);
    expect(refused.code).not.toBe(0);
    const r = await cli('card', 'accounting-reverse', t.serial);
    expect(r.code, r.err).toBe(0);
    await until(
      async () => (await stateOf(t.serial)) === 'accounting-reversed',
      30_000,
      'the accounting reversal',
    );
    expect(JSON.parse((await cli('card', 'unconfirmed', '--json')).out).hq.items).toEqual([]);
    reader().insertCard(pulled);
  });

  it('kiosk card confirm re-sends a confirmation HQ did not acknowledge; units credited once', async () => {
    card().slowMs = 150;
    const { cardToken } = (await api('GET', '/api/card', undefined, token)).body;
    const t = (await api('POST', '/api/services/power-card/transactions', { cardToken, amount: '10' }, token))
      .body;
    await until(async () => (await stateOf(t.serial)) === 'writing', 30_000, 'the card write');
    // HQ takes the confirmation but its answer is lost.
    faults().set('power-card', 'unknown');
    // The answer (unknown) has come back: the confirmation is out of flight, waiting to be resent.
    await until(
      async () => {
        const x = await app.engine.get(t.serial);
        return x.state === 'confirming' && x.attempts >= 1 && !x.inFlight;
      },
      30_000,
      'an unacknowledged confirmation',
    );
    card().slowMs = 0;
    faults().set('power-card', 'normal');
    const before = await cli('card', 'unconfirmed', '--json');
    expect(JSON.parse(before.out).items).toEqual([
      expect.objectContaining({ serial: t.serial, state: 'confirming', action: 'reconfirm' }),
    ]);
    const r = await cli('card', 'confirm', t.serial);
    expect(r.code, r.err).toBe(0);
    await until(
      async () => (await stateOf(t.serial)) === 'succeeded',
      30_000,
      'the acknowledged confirmation',
    );
    expect(JSON.parse((await cli('card', 'unconfirmed', '--json')).out).items).toEqual([]);
    // HQ credited the customer exactly what the card holds (every purchase once, the given-back none).
    const units = await app.hq.embedded!.server.opts.store.get<number>(powerCardKeys.units(CUSTOMER));
    expect(units).toBe(card().purchase.totalUnits);
  });
});
