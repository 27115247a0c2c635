import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskApiClient, type SseEvent } from '../../src/cli/api-client.ts';
import type { ServiceDefinition } from '../../src/core/transaction/types.ts';
import { fastTestBill, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';
const LANDLINE = '057187654321';
const ELECTRICITY = '3301234567';
const GAME_ACCOUNT = 'player12345';
const BUS_CARD = '1234567890123';
const DEBIT_CARD = '6222021234567890123';
const SECRETS = [PHONE, LANDLINE, '0571-87654321', ELECTRICITY, GAME_ACCOUNT, BUS_CARD, DEBIT_CARD];

/** The answers (shortened around the hit) that contain any of `needles`. */
function leaks(haystack: readonly string[], needles: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of haystack)
    for (const n of needles) {
      const i = t.indexOf(n);
      if (i >= 0) out.push(`${n} in ${t.slice(0, 60)} … ${t.slice(Math.max(0, i - 80), i + 40)}`);
    }
  return out;
}

/** A service whose own check fails with a plain Error quoting the number: a bug, reported as internal. */
const broken: ServiceDefinition = {
  ...fastTestBill,
  id: 'broken-bill',
  check: (f) => {
    throw new Error(`boom ${(f as { phone: string }).phone}`);
  },
};

describe('local HTTP API: no answer ever carries a full phone, account or card number', () => {
  let k: TestKiosk;
  let teller: string;
  const texts: string[] = [];
  const serials: string[] = [];
  const frames: SseEvent[] = [];
  const ac = new AbortController();

  const call = async (method: string, path: string, body?: unknown, token: string | undefined = teller) => {
    const r = await k.api(method, path, {
      ...(body !== undefined ? { body } : {}),
      ...(token ? { token } : {}),
    });
    texts.push(`${r.status} ${r.text}`);
    return r;
  };
  const pay = async (service: string, body: Record<string, string>) => {
    const r = await call('POST', `/api/services/${service}/transactions`, body);
    expect(r.status, r.text).toBe(201);
    serials.push(r.body.serial);
    await k.app.engine.waitFor(r.body.serial, (t) => t.terminal);
    return r.body.serial as string;
  };

  beforeAll(async () => {
    k = await startTestKiosk({ extraServices: [broken] });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    teller = await k.login('A001', '123456');
    const client = new KioskApiClient(k.url, teller);
    let opened!: () => void;
    const ready = new Promise<void>((r) => {
      opened = r;
    });
    void (async () => {
      for await (const e of client.events('/api/events', ac.signal, opened)) frames.push(e);
    })().catch(() => undefined);
    await ready;
  });
  afterAll(async () => {
    ac.abort();
    await k.stop();
  });

  it('masks numbers echoed by billers in answers, data and reasons, for every service', async () => {
    k.hq.script('query', {
      outcome: 'ok',
      data: { phone: PHONE, city: '安庆', arrears: '0.00' },
    });
    k.hq.script('pay', { outcome: 'ok', data: { billerRef: 'B1', receiptNo: `R-${PHONE}` } });
    await call('POST', '/api/services/mobile-topup/inquiry', { phone: PHONE });
    await pay('mobile-topup', { phone: PHONE, amount: '50' });
    k.hq.script('query', {
      outcome: 'ok',
      data: {
        account: LANDLINE,
        arrears: '10.00',
        contracts: [{ contractNo: 'HT123456', arrears: '10.00' }],
      },
    });
    k.hq.script('pay', { outcome: 'ok', data: { billerRef: 'B2', line: LANDLINE } });
    await call('POST', '/api/services/telecom-bill/inquiry', { number: '0571-87654321' });
    await pay('telecom-bill', { number: '0571-87654321', contractNo: 'HT123456', amount: '10' });
    k.hq.script('query', {
      outcome: 'ok',
      data: { account: ELECTRICITY, area: 'city', areaName: '安庆', arrears: '5.00' },
    });
    k.hq.script('pay', 'ok');
    await pay('electricity-bill', { account: ELECTRICITY, amount: '5' });
    k.hq.script('games', {
      outcome: 'ok',
      data: { games: [{ id: 'wow', name: '魔兽世界', packages: ['30'] }] },
    });
    k.hq.script('pay', { outcome: 'ok', data: { billerRef: 'B4', player: GAME_ACCOUNT } });
    await pay('game-topup', { game: 'wow', account: GAME_ACCOUNT, package: '30', confirm: 'yes' });
    k.hq.script('pay', {
      outcome: 'declined',
      reason: { code: 'BILLER_CARD', zh: `卡号 ${BUS_CARD} 已挂失`, en: `card ${BUS_CARD} is reported lost` },
    });
    await pay('bus-card-topup', { cardNo: BUS_CARD, amount: '20' });
    k.hq.script('pay', { outcome: 'ok', data: { billerRef: 'B6', debited: DEBIT_CARD } });
    await pay('prepaid-card-topup', { debitCard: DEBIT_CARD, amount: '100' });
    k.hq.script('pay', 'ok');
    expect(serials).toHaveLength(6);
  });

  it('masks them in every documented GET answer and in the event stream', async () => {
    const doc = (await call('GET', '/api/openapi.json', undefined, undefined)).body;
    const date = (await call('GET', '/api/health')).body.businessDate;
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!item.get || path === '/api/events' || path === '/api/openapi.json') continue;
      const concrete = path.includes('{serial}')
        ? serials.map((s) => path.replace('{serial}', s))
        : path.includes('{id}')
          ? ['mobile-topup', 'telecom-bill'].map((id) => path.replace('{id}', id))
          : [path];
      for (const p of concrete) {
        const r = await call('GET', p.endsWith('/history') ? `${p}?date=${date}` : p);
        expect(r.status, `${p}: ${r.text}`).toBeLessThan(500);
      }
    }
    for (const s of serials) await call('GET', `/api/transactions/${s}`, undefined, undefined);
    await call('GET', '/api/transactions?limit=100');
    const summary = texts.join('\n');
    for (const phone of ['138****8000', '057*****4321', '******4567', '*******2345'])
      expect(summary).toContain(phone);
    // created, intent and outcome at least, for each of the six transactions
    expect(frames.length).toBeGreaterThanOrEqual(18);
    expect(leaks([...texts, ...frames.map((f) => f.data)], SECRETS)).toEqual([]);
  });

  it('masks them in refusals and errors, and leaks nothing from an internal error', async () => {
    await call('POST', '/api/services/prepaid-card-topup/quote', { debitCard: DEBIT_CARD, amount: '-1' });
    // Refused for the mismatch itself (the kiosk runs at 10:00, outside the reversal blackout), so
    // the refusals that quote the entered number are the ones checked.
    const otherNumber = await call('POST', `/api/transactions/${serials[0]}/actions/reverse`, {
      phone: '13900139000',
      amount: '50',
    });
    expect(otherNumber.body.field, otherNumber.text).toBe('phone');
    const otherAmount = await call('POST', `/api/transactions/${serials[0]}/actions/reverse`, {
      phone: PHONE,
      amount: '51',
    });
    expect(otherAmount.body.field, otherAmount.text).toBe('amount');
    await call('GET', `/api/transactions/${PHONE}`);
    await call('GET', `/api/nothing/${DEBIT_CARD}`);
    const raw = await k.api('POST', '/api/services/mobile-topup/quote', { raw: `{"phone":"${PHONE}",` });
    texts.push(raw.text);
    expect(raw).toMatchObject({ status: 400, body: { code: 'KIOSK_E_INVALID_INPUT', field: 'body' } });
    const boom = await call('POST', '/api/services/broken-bill/quote', { phone: PHONE, amount: '10' });
    expect(boom.status).toBe(500);
    expect(boom.body).toEqual({
      code: 'KIOSK_E_INTERNAL',
      zh: '内部错误，已记录',
      en: 'internal error; it has been logged',
      message: '内部错误，已记录 / internal error; it has been logged',
    });
    expect(leaks(texts, ['boom', ...SECRETS, '13900139000'])).toEqual([]);
    expect(texts.filter((t) => /at \w+ \(/.test(t))).toEqual([]);
  });
});
