import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerKey, txnKey } from '../../src/journal/keys.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/**
 * `kiosk journal verify --operator` on a running kiosk goes through GET /api/journal/verify: it
 * checks the very store the kiosk runs on, so a fault planted in that store is found, named by its
 * key, and the counts are the store's.
 */
describe('journal verify through the running kiosk', () => {
  let k: TestKiosk;
  let supervisor: string;

  beforeAll(async () => {
    k = await startTestKiosk();
    await k.app.operators.add({ code: 'S001', name: '李四', role: 'supervisor', password: '654321' });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    supervisor = await k.login('S001', '654321');
    const teller = await k.login('A001', '123456');
    const r = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: '13800138000', amount: '10' },
      token: teller,
    });
    expect(r.status, r.text).toBe(201);
    await k.app.engine.waitFor(r.body.serial, (t) => t.terminal);
  });
  afterAll(async () => {
    await k.stop();
  });

  it('counts what the store holds and finds a record damaged under the running kiosk', async () => {
    const clean = await k.api('GET', '/api/journal/verify', { token: supervisor });
    expect(clean.status, clean.text).toBe(200);
    expect(clean.body.problems).toEqual([]);
    expect(clean.body.counts.events).toBeGreaterThan(0);
    expect(clean.body.counts.transactions).toBe(1);
    expect(clean.body.counts.ledgerEntries).toBeGreaterThan(0);

    // Damage the transaction's snapshot and the first ledger entry in the store the kiosk runs on.
    const serial = '0000000001';
    await k.app.journal.raw.put(txnKey(serial), '00000000{"not":"a record"}');
    await k.app.journal.raw.put(ledgerKey(1), 'garbage');
    const damaged = await k.api('GET', '/api/journal/verify', { token: supervisor });
    expect(damaged.status, damaged.text).toBe(200);
    const keys = (damaged.body.problems as Array<{ key: string }>).map((p) => p.key);
    expect(keys).toContain(txnKey(serial));
    expect(keys).toContain(ledgerKey(1));
  });

  it('is for a supervisor only', async () => {
    const teller = await k.login('A001', '123456');
    expect((await k.api('GET', '/api/journal/verify', { token: teller })).status).toBe(403);
    expect((await k.api('GET', '/api/journal/verify')).status).toBe(401);
  });
});
