import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { FEES, SERVICES, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const sh = (iso: string): number => Date.parse(`${iso}+08:00`);
const PHONE = '13800138000';

describe('local HTTP API: operator sessions, lockout and self-service limits', () => {
  let k: TestKiosk;
  const clock = new ManualClock(sh('2026-11-26T10:00:00'));

  beforeAll(async () => {
    k = await startTestKiosk({
      clock,
      overrides: {
        services: {
          enabled: SERVICES.map((s) => s.id).filter((id) => id !== 'water-bill'),
          fees: FEES,
          mobileRegions: ['安庆'],
        },
      },
    });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'B002', name: '李四', role: 'supervisor', password: '654321' });
  });
  afterAll(async () => {
    await k.stop();
  });

  it('logs in with code and password and returns a token that expires after 8 hours', async () => {
    const r = await k.api('POST', '/api/session', { body: { code: 'a001', password: '123456' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      operator: { code: 'A001', name: '张三', role: 'teller' },
      expiresAt: sh('2026-11-26T18:00:00'),
    });
    expect(r.body.token).toMatch(/^[\w-]{40,}$/);
    const me = await k.api('GET', '/api/session', { token: r.body.token });
    expect(me.body.operator.code).toBe('A001');
    clock.set(sh('2026-11-26T17:59:59'));
    expect((await k.api('GET', '/api/session', { token: r.body.token })).status).toBe(200);
    clock.set(sh('2026-11-26T18:00:00'));
    const expired = await k.api('GET', '/api/session', { token: r.body.token });
    expect(expired).toMatchObject({ status: 401, body: { code: 'KIOSK_E_AUTH_FAILED', field: 'token' } });
    clock.set(sh('2026-11-26T10:00:00'));
    expect((await k.api('GET', '/api/session', { token: r.body.token })).status).toBe(401);
  });

  it('ends a session at the day cut (日切) when that comes before 8 hours', async () => {
    clock.set(sh('2026-11-26T20:30:00'));
    const r = await k.api('POST', '/api/session', { body: { code: 'B002', password: '654321' } });
    expect(r.body.expiresAt).toBe(sh('2026-11-26T21:00:00'));
    clock.set(sh('2026-11-26T21:00:00'));
    expect((await k.api('GET', '/api/journal/today', { token: r.body.token })).status).toBe(401);
    clock.set(sh('2026-11-26T10:00:00'));
  });

  it('refuses missing fields and wrong passwords, and locks the code after 5 wrong ones', async () => {
    const empty = await k.api('POST', '/api/session', { body: { code: 'A001' } });
    expect(empty).toMatchObject({ status: 400, body: { code: 'KIOSK_E_INVALID_INPUT', field: 'password' } });
    const unknown = await k.api('POST', '/api/session', { body: { code: 'Z999', password: '123456' } });
    expect(unknown).toMatchObject({ status: 401, body: { code: 'KIOSK_E_AUTH_FAILED' } });
    for (let i = 1; i <= 4; i++) {
      const r = await k.api('POST', '/api/session', { body: { code: 'A001', password: '000000' } });
      expect(r).toMatchObject({ status: 401, body: { field: 'password', details: { attemptsLeft: 5 - i } } });
    }
    const locked = await k.api('POST', '/api/session', { body: { code: 'A001', password: '000000' } });
    expect(locked).toMatchObject({ status: 423, body: { code: 'KIOSK_E_OPERATOR_LOCKED' } });
    expect(locked.body.zh).toContain('锁定');
    const right = await k.api('POST', '/api/session', { body: { code: 'A001', password: '123456' } });
    expect(right.status).toBe(423);
    clock.advance(15 * 60_000);
    expect((await k.api('POST', '/api/session', { body: { code: 'A001', password: '123456' } })).status).toBe(
      201,
    );
    clock.set(sh('2026-11-26T10:00:00'));
  });

  it('needs a live token for operator routes and never treats a bad token as self-service', async () => {
    for (const path of [
      '/api/pending',
      '/api/balance',
      '/api/journal/today',
      '/api/transactions',
      '/api/session',
    ]) {
      const r = await k.api('GET', path);
      expect(r, path).toMatchObject({ status: 401, body: { code: 'KIOSK_E_AUTH_FAILED', field: 'token' } });
    }
    const bogus = await k.api('POST', '/api/services/test-bill/quote', {
      body: { phone: PHONE, amount: '10' },
      token: 'not-a-token',
    });
    expect(bogus.status).toBe(401);
    const malformed = await k.api('GET', '/api/services', { headers: { authorization: 'Basic abc' } });
    expect(malformed).toMatchObject({ status: 401, body: { field: 'token' } });
    const token = await k.login('B002', '654321');
    expect((await k.api('DELETE', '/api/session', { token })).status).toBe(204);
    expect((await k.api('GET', '/api/pending', { token })).status).toBe(401);
  });

  it('limits self-service (no token) by the configuration: services, caps with the fee, no actions', async () => {
    // test-bill: cap 50.00 for amount + fee (2.00).
    const over = await k.api('POST', '/api/services/test-bill/quote', {
      body: { phone: PHONE, amount: '48.01' },
    });
    expect(over).toMatchObject({
      status: 403,
      body: { code: 'KIOSK_E_SELF_SERVICE_LIMIT', field: 'amount' },
    });
    const quoted = await k.api('POST', '/api/services/test-bill/quote', {
      body: { phone: PHONE, amount: '48' },
    });
    expect(quoted.body).toMatchObject({ total: '50.00' });
    // A customer alone never starts a payment directly: an order paid first (POST /api/orders).
    const direct = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '48' },
    });
    expect(direct).toMatchObject({ status: 402, body: { code: 'KIOSK_E_PAYMENT_REQUIRED' } });
    // mobile-topup: general cap 100.00; 100 + 0.50 fee is over.
    const mobile = await k.api('POST', '/api/services/mobile-topup/quote', {
      body: { phone: PHONE, amount: '100' },
    });
    expect(mobile).toMatchObject({ status: 403, body: { code: 'KIOSK_E_SELF_SERVICE_LIMIT' } });
    expect(
      (await k.api('POST', '/api/services/mobile-topup/quote', { body: { phone: PHONE, amount: '90' } }))
        .status,
    ).toBe(200);
    const notSelf = await k.api('POST', '/api/services/electricity-bill/quote', {
      body: { account: '3301234567', amount: '10' },
    });
    expect(notSelf).toMatchObject({ status: 403, body: { code: 'KIOSK_E_FORBIDDEN', field: 'service' } });
    const token = await k.login('B002', '654321');
    const asOperator = await k.api('POST', '/api/services/test-bill/quote', {
      body: { phone: PHONE, amount: '500' },
      token,
    });
    expect(asOperator.status).toBe(200);
    const ok = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '48' },
      token,
    });
    await k.app.engine.waitFor(ok.body.serial, (t) => t.terminal);
    const reverse = await k.api('POST', `/api/transactions/${ok.body.serial}/actions/reverse`, {
      body: { phone: PHONE, amount: '48' },
    });
    expect(reverse).toMatchObject({ status: 403, body: { code: 'KIOSK_E_FORBIDDEN' } });
    const quote = await k.api('POST', '/api/services/test-bill/quote', {
      body: { phone: PHONE, amount: '10' },
    });
    expect(quote.body.balanceSufficient).toBeUndefined();
  });

  it('refuses a service not enabled at this kiosk and shows it as disabled', async () => {
    const token = await k.login('B002', '654321');
    const r = await k.api('POST', '/api/services/water-bill/quote', {
      body: { account: '3301234567', amount: '10' },
      token,
    });
    expect(r).toMatchObject({ status: 403, body: { code: 'KIOSK_E_SERVICE_DISABLED', field: 'service' } });
    const list = await k.api('GET', '/api/services');
    expect(list.body.services.find((s: { id: string }) => s.id === 'water-bill').enabled).toBe(false);
  });

  it('serves only requests addressed to the loopback name (no DNS rebinding)', async () => {
    const status = (host: string) =>
      new Promise<{ code: number; body: string }>((resolve, reject) => {
        const u = new URL('api/services', k.url);
        const req = request(
          { host: u.hostname, port: u.port, path: u.pathname, headers: { host } },
          (res) => {
            let body = '';
            res.on('data', (d: Buffer) => {
              body += d.toString();
            });
            res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect((await status(`localhost:${new URL(k.url).port}`)).code).toBe(200);
    const port = new URL(k.url).port;
    expect((await status(`127.0.0.1:${port}`)).code).toBe(200);
    expect((await status(`[::1]:${port}`)).code).toBe(200);
    for (const host of [
      'rebound.example.com',
      '127.0.0.1.evil.example',
      `127.0.0.1.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.evil.example:${port}`,
      `127.9.9.9:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
    ]) {
      const evil = await status(host);
      expect(evil.code, host).toBe(403);
      expect(JSON.parse(evil.body)).toMatchObject({ code: 'KIOSK_E_FORBIDDEN', field: 'host' });
    }
  });
});
