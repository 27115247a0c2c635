import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskApiClient, type SseEvent } from '../../src/cli/api-client.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';
const serialsOf = (items: Array<{ serial: string }>): string[] => items.map((t) => t.serial);

/**
 * A teller (普通柜员) reads and handles only their own transactions in every operator view; a
 * supervisor (综合柜员) the whole station. Checked over HTTP against a running kiosk.
 */
describe('teller scope, enforced by the local API', () => {
  let k: TestKiosk;
  let teller: string;
  let other: string;
  let supervisor: string;
  let mine: string;
  let theirs: string;
  let self: string;

  beforeAll(async () => {
    k = await startTestKiosk();
    await k.app.operators.add({ code: 'S001', name: '王主管', role: 'supervisor', password: '111111' });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'A002', name: '李四', role: 'teller', password: '222222' });
    supervisor = await k.login('S001', '111111');
    teller = await k.login('A001', '123456');
    other = await k.login('A002', '222222');
    // Every transaction stays open (pending at HQ), so that the pending list holds all three.
    k.hq.script('pay', 'pending');
    const pay = async (token: string, amount: string) =>
      (
        await k.api('POST', '/api/services/test-bill/transactions', {
          token,
          body: { phone: PHONE, amount },
        })
      ).body.serial as string;
    mine = await pay(teller, '10');
    theirs = await pay(other, '11');
    self = await pay(supervisor, '12');
    for (const s of [mine, theirs, self]) await k.app.engine.waitFor(s, (t) => t.state === 'querying');
  });
  afterAll(async () => {
    await k.stop();
  });

  it('answers 403 naming the serial for another teller’s transaction, its receipt, reprint and actions', async () => {
    expect((await k.api('GET', `/api/transactions/${mine}`, { token: teller })).status).toBe(200);
    for (const [method, path] of [
      ['GET', `/api/transactions/${theirs}`],
      ['GET', `/api/transactions/${theirs}/receipt`],
      ['POST', `/api/transactions/${theirs}/reprint`],
      ['POST', `/api/transactions/${theirs}/actions/reverse`],
      ['GET', `/api/transactions/${self}`],
    ] as const) {
      const r = await k.api(method, path, { token: teller, ...(method === 'POST' ? { body: {} } : {}) });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body).toMatchObject({ code: 'KIOSK_E_FORBIDDEN', field: 'serial' });
    }
    expect((await k.api('GET', `/api/transactions/${theirs}`, { token: supervisor })).status).toBe(200);
    // The supervisor passes the scope check (the receipt of an open transaction is refused as such).
    const receipt = await k.api('GET', `/api/transactions/${theirs}/receipt`, { token: supervisor });
    expect(receipt.status).toBe(409);
    // Nothing was done to the other teller's transaction.
    expect((await k.app.engine.get(theirs)).state).toBe('querying');
  });

  it('lists only the teller’s own transactions as pending; the supervisor sees all', async () => {
    const t = await k.api('GET', '/api/pending', { token: teller });
    expect(serialsOf(t.body.items)).toEqual([mine]);
    expect(t.body.counts.open).toBe(1);
    const s = await k.api('GET', '/api/pending', { token: supervisor });
    expect(serialsOf(s.body.items)).toEqual(expect.arrayContaining([mine, theirs, self]));
  });

  it('filters the day journal, the history, the special journal and game errors to the teller', async () => {
    const date = (await k.app.engine.get(mine)).businessDate;
    for (const path of ['/api/journal/today', `/api/journal/history?date=${date}`]) {
      const t = await k.api('GET', path, { token: teller });
      expect(t.status, path).toBe(200);
      expect(serialsOf(t.body.rows), path).toEqual([mine]);
      const s = await k.api('GET', path, { token: supervisor });
      expect(serialsOf(s.body.rows), path).toEqual(expect.arrayContaining([mine, theirs, self]));
    }
    for (const path of ['/api/journal/special', '/api/journal/game-errors']) {
      const t = await k.api('GET', path, { token: teller });
      expect(t.status, path).toBe(200);
      expect(t.text, path).not.toContain(theirs);
      expect(t.text, path).not.toContain(self);
    }
  });

  it('streams to a teller only the events of their own transactions', async () => {
    const ac = new AbortController();
    const seen: SseEvent[] = [];
    let opened!: () => void;
    const ready = new Promise<void>((r) => {
      opened = r;
    });
    const client = new KioskApiClient(k.url, teller);
    let ownSeen!: () => void;
    const gotOwn = new Promise<void>((r) => {
      ownSeen = r;
    });
    let ownSerial = '';
    void (async () => {
      for await (const e of client.events('/api/events', ac.signal, opened)) {
        seen.push(e);
        if (e.event === 'txn' && JSON.parse(e.data).transaction.serial === ownSerial) ownSeen();
      }
    })().catch(() => undefined);
    await ready;
    k.hq.script('pay', 'ok');
    // The other teller's payment is journaled first; the teller's own one after it.
    const r1 = await k.api('POST', '/api/services/test-bill/transactions', {
      token: other,
      body: { phone: PHONE, amount: '13' },
    });
    const theirsNow = r1.body.serial as string;
    await k.app.engine.waitFor(theirsNow, (t) => t.terminal);
    ownSerial = 'pending';
    const r2 = await k.api('POST', '/api/services/test-bill/transactions', {
      token: teller,
      body: { phone: PHONE, amount: '14' },
    });
    ownSerial = r2.body.serial as string;
    if (seen.some((e) => e.event === 'txn' && JSON.parse(e.data).transaction.serial === ownSerial)) ownSeen();
    await gotOwn;
    ac.abort();
    const about = seen
      .filter((e) => e.event === 'txn' || e.event === 'alert')
      .map((e) => JSON.parse(e.data).transaction.serial as string);
    expect(about).toContain(ownSerial);
    expect(about).not.toContain(theirsNow);
  });
});
