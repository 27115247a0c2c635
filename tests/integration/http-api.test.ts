import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import { FEES, SERVICES, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';
const ACCOUNT = '3301234567';
const MASKED_PHONE = '138****8000';

describe('local HTTP API: services, quotes, transactions, actions, reports', () => {
  let k: TestKiosk;
  let teller: string;

  const settledState = async (serial: string, pred: (s: string) => boolean) =>
    k.app.engine.waitFor(serial, (t) => pred(t.state));

  beforeAll(async () => {
    k = await startTestKiosk();
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    teller = await k.login('A001', '123456');
  });
  afterAll(async () => {
    await k.stop();
  });

  it('lists every service with labels, fee from config, self-service flags, schema and flow', async () => {
    const r = await k.api('GET', '/api/services');
    expect(r.status).toBe(200);
    expect(r.body.services.map((s: { id: string }) => s.id)).toEqual(SERVICES.map((s) => s.id));
    for (const def of SERVICE_CATALOGUE) {
      const s = r.body.services.find((x: { id: string }) => x.id === def.id);
      expect(s.schema).toEqual(z.toJSONSchema(def.fields, { io: 'input' }));
      expect(s.fee).toBe(FEES[def.id] ?? '0.00');
      expect(s.fields.map((f: { name: string }) => f.name)).toEqual(Object.keys(def.fields.shape));
      expect(s.title).toEqual(def.title);
      expect(s.enabled).toBe(true);
      expect(s.inquiry?.fields ?? null).toEqual(def.inquiry ? [...def.inquiry.fields] : null);
    }
    const mobile = r.body.services.find((x: { id: string }) => x.id === 'mobile-topup');
    expect(mobile).toMatchObject({ selfService: true, selfServiceCap: '100.00' });
    expect(mobile.fields[0]).toEqual({
      name: 'phone',
      zh: '手机号码',
      en: 'Mobile number',
      required: true,
      sensitive: 'phone',
      // Entered on a digit keypad on the touchscreen, at most 11 digits.
      entry: { keypad: 'digits', maxLength: 11 },
      // Typed, not taken from a card in the reader.
      fromCard: false,
    });
    expect(mobile.actions).toEqual([
      expect.objectContaining({ name: 'reverse', confirmFields: ['phone', 'amount'] }),
    ]);
    expect(mobile.states).toContainEqual(expect.objectContaining({ name: 'querying', kind: 'polling' }));
    expect(r.body.services.find((x: { id: string }) => x.id === 'electricity-bill').selfService).toBe(false);
  });

  it('quotes amount, fee from configuration and total without writing or sending anything', async () => {
    const before = k.app.journal.lastCounters;
    const r = await k.api('POST', '/api/services/mobile-topup/quote', {
      body: { phone: PHONE, amount: '50' },
      token: teller,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      service: 'mobile-topup',
      serviceName: { zh: '移动直充', en: 'Mobile top-up' },
      fields: { phone: MASKED_PHONE, amount: '50.00' },
      amount: '50.00',
      fee: '0.50',
      total: '50.50',
      balanceSufficient: true,
    });
    const noFee = await k.api('POST', '/api/services/water-bill/quote', {
      body: { account: ACCOUNT, amount: '12.3' },
      token: teller,
    });
    expect(noFee.body).toMatchObject({ amount: '12.30', fee: '0.00', total: '12.30' });
    expect(k.app.journal.lastCounters).toEqual(before);
    expect(k.hq.requests).toHaveLength(0);
  });

  it('refuses bad input in both languages naming every field, and sends nothing', async () => {
    const r = await k.api('POST', '/api/services/mobile-topup/transactions', {
      body: { phone: '1380013800', amount: '5', extra: 1 },
      token: teller,
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('KIOSK_E_INVALID_INPUT');
    const fields = r.body.issues.map((i: { field: string }) => i.field).sort();
    expect(fields).toEqual(['extra', 'phone']);
    for (const i of r.body.issues) {
      expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en).toMatch(/[a-z]/);
    }
    const amount = await k.api('POST', '/api/services/mobile-topup/quote', {
      body: { phone: PHONE, amount: '15' },
    });
    expect(amount.status).toBe(400);
    expect(amount.body.issues[0]).toMatchObject({ field: 'amount', code: 'KIOSK_E_INVALID_AMOUNT' });
    expect(k.hq.count('pay')).toBe(0);
    expect(k.app.journal.lastCounters.serial).toBe(0);
    const unknown = await k.api('POST', '/api/services/nope/quote', { body: {} });
    expect(unknown).toMatchObject({
      status: 404,
      body: { code: 'KIOSK_E_UNKNOWN_SERVICE', field: 'service' },
    });
  });

  it('asks the biller (inquiry), masks the number the answer echoes and refuses a field the answer does not declare', async () => {
    k.hq.script('query', { outcome: 'ok', data: { phone: PHONE, city: '安庆', arrears: '0.00' } });
    const r = await k.api('POST', '/api/services/mobile-topup/inquiry', {
      body: { phone: PHONE },
      token: teller,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      service: 'mobile-topup',
      answer: { phone: MASKED_PHONE, city: '安庆', arrears: '0.00' },
    });
    expect(r.text).not.toContain(PHONE);
    k.hq.script('query', {
      outcome: 'ok',
      data: { phone: PHONE, city: '安庆', arrears: '0.00', echo: `No.${PHONE}` },
    });
    const hostile = await k.api('POST', '/api/services/mobile-topup/inquiry', {
      body: { phone: PHONE },
      token: teller,
    });
    expect(hostile).toMatchObject({
      status: 502,
      body: { code: 'KIOSK_E_HQ_PROTOCOL', field: 'answer.echo' },
    });
    expect(hostile.text).not.toContain(PHONE);
    k.hq.script('query', {
      outcome: 'declined',
      reason: { code: 'BILLER_REGION', zh: '该号码不属于开通地区', en: 'number outside the enabled regions' },
    });
    const refused = await k.api('POST', '/api/services/mobile-topup/inquiry', {
      body: { phone: PHONE },
      token: teller,
    });
    expect(refused).toMatchObject({ status: 400, body: { field: 'phone', zh: '该号码不属于开通地区' } });
  });

  it('creates a transaction, answers 201 with its location, and drives it to its result', async () => {
    k.hq.script('query', { outcome: 'ok', data: { city: '安庆', arrears: '0.00' } });
    const r = await k.api('POST', '/api/services/mobile-topup/transactions', {
      body: { phone: PHONE, amount: '50' },
      token: teller,
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/api/transactions/${r.body.serial}`);
    expect(r.body).toMatchObject({
      service: 'mobile-topup',
      channel: 'operator',
      operator: 'A001',
      amount: '50.00',
      fee: '0.50',
      total: '50.50',
      fields: { phone: MASKED_PHONE, amount: '50.00' },
    });
    await settledState(r.body.serial, (s) => s === 'succeeded');
    const got = await k.api('GET', `/api/transactions/${r.body.serial}`);
    expect(got.body).toMatchObject({
      state: 'succeeded',
      terminal: true,
      result: 'succeeded',
      status: { phase: 'final' },
    });
    expect(got.body.data.inquiry.city).toBe('安庆');
    const missing = await k.api('GET', '/api/transactions/0000009999');
    expect(missing).toMatchObject({ status: 404, body: { code: 'KIOSK_E_NOT_FOUND', field: 'serial' } });
  });

  it('reverses with the number and amount entered again; a wrong one is refused naming it', async () => {
    const c = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '30' },
      token: teller,
    });
    await settledState(c.body.serial, (s) => s === 'succeeded');
    const path = `/api/transactions/${c.body.serial}/actions/reverse`;
    const wrong = await k.api('POST', path, { body: { phone: PHONE, amount: '31' }, token: teller });
    expect(wrong.status).toBe(400);
    expect(wrong.body.issues.map((i: { field: string }) => i.field)).toEqual(['amount']);
    const self = await k.api('POST', path, { body: { phone: PHONE, amount: '30' } });
    expect(self).toMatchObject({ status: 403, body: { code: 'KIOSK_E_FORBIDDEN' } });
    const unknownAction = await k.api('POST', `/api/transactions/${c.body.serial}/actions/refund`, {
      body: {},
      token: teller,
    });
    expect(unknownAction).toMatchObject({
      status: 409,
      body: { code: 'KIOSK_E_ACTION_NOT_ALLOWED', field: 'action' },
    });
    const ok = await k.api('POST', path, { body: { phone: PHONE, amount: '30' }, token: teller });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('reversing');
    const key = (await k.app.journal.getTxn(c.body.serial))!.idempotencyKey;
    k.hq.settleReversal(key, 'ok');
    await settledState(c.body.serial, (s) => s === 'reversed');
    const again = await k.api('POST', path, { body: { phone: PHONE, amount: '30' }, token: teller });
    expect(again).toMatchObject({ status: 409, body: { code: 'KIOSK_E_ACTION_NOT_ALLOWED' } });
  });

  it('lists transactions by date, service, operator and open, newest first', async () => {
    const today = (await k.api('GET', '/api/health')).body.businessDate;
    const all = await k.api('GET', `/api/transactions?date=${today}`, { token: teller });
    expect(all.status).toBe(200);
    const serials = all.body.items.map((t: { serial: string }) => t.serial);
    expect(serials).toEqual([...serials].sort().reverse());
    const bySvc = await k.api('GET', '/api/transactions?service=test-bill', { token: teller });
    expect(bySvc.body.items.every((t: { service: string }) => t.service === 'test-bill')).toBe(true);
    const byOp = await k.api('GET', '/api/transactions?operator=a001&limit=1', { token: teller });
    expect(byOp.body.items).toHaveLength(1);
    expect((await k.api('GET', '/api/transactions?open=true', { token: teller })).body.items).toEqual([]);
    const bad = await k.api('GET', '/api/transactions?date=2026-11-26', { token: teller });
    expect(bad).toMatchObject({ status: 400, body: { field: 'date' } });
    expect((await k.api('GET', '/api/transactions?limit=0', { token: teller })).body.field).toBe('limit');
  });

  it('shows pending transactions with what the kiosk is doing about each, and their alerts', async () => {
    k.hq.script('pay', 'pending');
    const c = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '20' },
      token: teller,
    });
    await k.app.engine.waitFor(c.body.serial, (t) => t.alerts.includes('status-unknown'));
    const p = await k.api('GET', '/api/pending', { token: teller });
    expect(p.status).toBe(200);
    expect(p.body.counts).toMatchObject({ open: 1, alerts: 1 });
    const item = p.body.items[0];
    expect(item).toMatchObject({ serial: c.body.serial, state: 'querying', terminal: false });
    expect(['waiting', 'sending']).toContain(item.status.phase);
    expect(item.status.alerts).toEqual([expect.objectContaining({ name: 'status-unknown' })]);
    const key = (await k.app.journal.getTxn(c.body.serial))!.idempotencyKey;
    k.hq.settle(key, 'ok');
    k.hq.script('pay', 'ok');
    await settledState(c.body.serial, (s) => s === 'succeeded');
    const after = await k.api('GET', '/api/pending', { token: teller });
    expect(after.body.items).toEqual([]);
    expect(after.body.alerted.map((t: { serial: string }) => t.serial)).toEqual([c.body.serial]);
  });

  it('serves the same-day, history and special journals and the game top-up error query', async () => {
    const todayJ = await k.api('GET', '/api/journal/today', { token: teller });
    expect(todayJ.status).toBe(200);
    expect(todayJ.body.totals.reversed.count).toBe(1);
    expect(todayJ.body.byService.map((s: { service: string }) => s.service)).toEqual([
      'mobile-topup',
      'test-bill',
    ]);
    const svc = await k.api('GET', '/api/journal/today?service=mobile-topup', { token: teller });
    expect(svc.body.rows).toHaveLength(1);
    const none = await k.api('GET', '/api/journal/today?from=000000&to=000001', { token: teller });
    const first = todayJ.body.rows[0].time;
    expect(none.body.rows.every((r: { time: string }) => r.time <= '000001')).toBe(true);
    const exact = await k.api('GET', `/api/journal/today?from=${first}&to=${first}`, { token: teller });
    expect(exact.body.rows.length).toBeGreaterThanOrEqual(1);
    const badTime = await k.api('GET', '/api/journal/today?from=25', { token: teller });
    expect(badTime).toMatchObject({ status: 400, body: { field: 'from' } });
    const noDate = await k.api('GET', '/api/journal/history', { token: teller });
    expect(noDate).toMatchObject({ status: 400, body: { field: 'date' } });
    const hist = await k.api('GET', `/api/journal/history?date=${todayJ.body.date}`, { token: teller });
    expect(hist.body.rows).toHaveLength(todayJ.body.rows.length);
    const special = await k.api('GET', '/api/journal/special', { token: teller });
    const kinds = special.body.rows.map((r: { kinds: string[] }) => r.kinds);
    expect(kinds).toContainEqual(['reversed']);
    expect(kinds).toContainEqual(['alert']);
    const games = await k.api('GET', '/api/journal/game-errors', { token: teller });
    expect(games.body).toMatchObject({ service: 'game-topup', rows: [], total: 0 });
  });

  it('shows the balance with its ledger entries by group, and receipt data for a reprint', async () => {
    const b = await k.api('GET', '/api/balance', { token: teller });
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ balance: '930.00', held: '0.00', available: '930.00' });
    expect(b.body.totals.topups).toEqual({ count: 1, delta: '1000.00' });
    expect(b.body.totals.reversalCredits).toEqual({ count: 1, delta: '30.00' });
    const topups = await k.api('GET', '/api/balance?group=topups', { token: teller });
    expect(topups.body.entries.map((e: { ref: string }) => e.ref)).toEqual(['slip-1']);
    expect((await k.api('GET', '/api/balance?group=x', { token: teller })).body.field).toBe('group');
    const list = await k.api('GET', '/api/transactions?service=mobile-topup', { token: teller });
    const serial = list.body.items[0].serial;
    const rc = await k.api('GET', `/api/transactions/${serial}/receipt`, { token: teller });
    expect(rc.status).toBe(200);
    expect(rc.body).toMatchObject({ serial, reprint: true, amount: '50.00', fee: '0.50', total: '50.50' });
    expect(rc.body.lines).toContainEqual({ label: '手机号码', value: MASKED_PHONE });
  });

  it('keeps answering balance and reports in safe mode but sells nothing', async () => {
    k.app.engine.enterSafeMode({ zh: '测试', en: 'test' });
    const r = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '10' },
      token: teller,
    });
    expect(r).toMatchObject({ status: 503, body: { code: 'KIOSK_E_SAFE_MODE' } });
    const q = await k.api('POST', '/api/services/test-bill/quote', {
      body: { phone: PHONE, amount: '10' },
      token: teller,
    });
    expect(q.status).toBe(503);
    expect((await k.api('GET', '/api/balance', { token: teller })).status).toBe(200);
    expect((await k.api('GET', '/api/journal/today', { token: teller })).status).toBe(200);
    expect((await k.api('GET', '/api/health')).body.safeMode).toEqual({ zh: '测试', en: 'test' });
  });
});
