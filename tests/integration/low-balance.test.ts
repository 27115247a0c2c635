import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/journal/records.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/** The low-balance warning on a real kiosk: raised by whatever moves the available balance, recorded once per crossing. */
describe('low-balance warning', () => {
  let k: TestKiosk;
  let token: string;

  const crossings = async (): Promise<string[]> => {
    await k.app.lowBalance?.settled();
    const out: string[] = [];
    for await (const e of k.app.journal.events() as AsyncIterable<JournalEvent>) {
      const kind = e.info?.kind;
      if (kind === 'balance-low' || kind === 'balance-ok') out.push(String(kind));
    }
    return out;
  };

  beforeAll(async () => {
    k = await startTestKiosk({ overrides: { balance: { lowWarning: '990.00' } } });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    token = await k.login('A001', '123456');
  });
  afterAll(async () => {
    await k.stop();
  });

  it('a sale taking the available balance under the line raises it once, journaled for HQ and on /api/health', async () => {
    // A new kiosk that HQ has not funded yet is not "running low": no warning before the first top-up.
    expect(await crossings()).toEqual([]);
    const r = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: '13800138000', amount: '20' },
      token,
    });
    await k.app.engine.waitFor(r.body.serial, (t) => t.terminal);
    const r2 = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: '13800138000', amount: '5' },
      token,
    });
    await k.app.engine.waitFor(r2.body.serial, (t) => t.terminal);
    expect(await crossings()).toEqual(['balance-low']);
    const h = await k.api('GET', '/api/health', { token });
    // It crossed at the first sale's hold: 1000 − 20 = 980 available.
    expect(h.body.lowBalance).toMatchObject({ low: true, available: '980.00', lowWarning: '990.00' });
    expect(h.body.balance.low).toBe(true);
  });

  it('a top-up lifts it and an HQ adjustment lowers it again, each crossing recorded once', async () => {
    await k.app.balance.applyHqEvent({ kind: 'topup', fen: 100_00, ref: 'slip-2' });
    await k.app.balance.applyHqEvent({ kind: 'refund', fen: 1_00, ref: 'rf-1' });
    expect((await crossings()).slice(1)).toEqual(['balance-ok']);
    await k.app.balance.applyHqEvent({ kind: 'adjustment', fen: -90_00, ref: 'adj-1' });
    expect((await crossings()).slice(1)).toEqual(['balance-ok', 'balance-low']);
    expect(k.app.lowBalance?.current?.low).toBe(true);
  });
});
