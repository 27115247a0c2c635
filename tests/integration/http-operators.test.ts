import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/** Operator management for supervisors, and a teller's view limited to their own transactions. */
describe('operators through the local API', () => {
  let k: TestKiosk;
  let supervisor: string;
  let teller: string;

  beforeAll(async () => {
    k = await startTestKiosk();
    await k.app.operators.add({ code: 'S001', name: '王主管', role: 'supervisor', password: '111111' });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    supervisor = await k.login('S001', '111111');
    teller = await k.login('A001', '123456');
  });
  afterAll(async () => {
    await k.stop();
  });

  it('lets a supervisor add an operator, and refuses a teller', async () => {
    const body = { code: 'A002', name: '李四', role: 'teller', password: '222222' };
    expect((await k.api('POST', '/api/operators', { token: teller, body })).status).toBe(403);
    const r = await k.api('POST', '/api/operators', { token: supervisor, body });
    expect(r.status).toBe(201);
    expect(r.text).not.toContain('222222');
    const list = await k.api('GET', '/api/operators', { token: supervisor });
    expect(list.body.items.map((o: { code: string }) => o.code)).toContain('A002');
    expect((await k.api('POST', '/api/operators', { token: supervisor, body })).status).toBe(409);
  });

  it('unlocks a locked operator and resets a password', async () => {
    for (let i = 0; i < 5; i++)
      await k.api('POST', '/api/session', { body: { code: 'A002', password: '000000' } });
    const locked = await k.api('POST', '/api/session', { body: { code: 'A002', password: '222222' } });
    expect(locked.status).toBe(423);
    expect((await k.api('POST', '/api/operators/A002/unlock', { token: teller })).status).toBe(403);
    expect((await k.api('POST', '/api/operators/A002/unlock', { token: supervisor })).status).toBe(200);
    const reset = await k.api('POST', '/api/operators/A002/password', {
      token: supervisor,
      body: { newPassword: '333333' },
    });
    expect(reset.status).toBe(200);
    expect((await k.api('POST', '/api/session', { body: { code: 'A002', password: '333333' } })).status).toBe(
      201,
    );
  });

  it('shows a teller only their own transactions, a supervisor all', async () => {
    const other = await k.login('A002', '333333');
    const mine = await k.api('POST', '/api/services/test-bill/transactions', {
      token: teller,
      body: { phone: '13800138000', amount: '10' },
    });
    const theirs = await k.api('POST', '/api/services/test-bill/transactions', {
      token: other,
      body: { phone: '13800138000', amount: '11' },
    });
    const seen = (await k.api('GET', '/api/transactions', { token: teller })).body.items.map(
      (t: { serial: string }) => t.serial,
    );
    expect(seen).toContain(mine.body.serial);
    expect(seen).not.toContain(theirs.body.serial);
    expect((await k.api('GET', '/api/transactions?operator=A002', { token: teller })).status).toBe(403);
    const all = (await k.api('GET', '/api/transactions', { token: supervisor })).body.items.map(
      (t: { serial: string }) => t.serial,
    );
    expect(all).toEqual(expect.arrayContaining([mine.body.serial, theirs.body.serial]));
  });
});
