import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskApiClient, type SseEvent } from '../../src/cli/api-client.ts';
import { openHours } from '../support/open-hours.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';

/** Opens a stream; `frames` fills as it delivers, `until` waits for a frame. */
async function open(url: string, path: string) {
  const ac = new AbortController();
  const frames: SseEvent[] = [];
  let opened!: () => void;
  const ready = new Promise<void>((r) => {
    opened = r;
  });
  let notify = () => {};
  void (async () => {
    for await (const e of new KioskApiClient(url).events(path, ac.signal, opened)) {
      frames.push(e);
      notify();
    }
  })().catch(() => undefined);
  await ready;
  return {
    frames,
    // biome-ignore lint/suspicious/noExplicitAny: frames are read field by field
    until: (pred: (e: SseEvent, d: any) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (frames.some((e) => pred(e, JSON.parse(e.data)))) resolve();
        };
        notify = check;
        check();
      }),
    close: () => ac.abort(),
  };
}

/**
 * The event stream fails closed for customers: without an operator token it carries one
 * transaction or order, opened by the follow token its creation (or lookup) answered, and
 * nothing else — no other customer's payment, no balance, no unfiltered stream.
 */
describe('local HTTP API: the customer’s event stream', () => {
  let k: TestKiosk;
  let teller: string;

  beforeAll(async () => {
    k = await startTestKiosk({ clock: openHours() });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    teller = await k.login('A001', '123456');
  });
  afterAll(async () => {
    await k.stop();
  });

  const place = async (key: string, amount: string) => {
    const r = await k.api('POST', '/api/orders', {
      body: { service: 'test-bill', fields: { phone: PHONE, amount }, idempotencyKey: key },
    });
    expect(r.status).toBe(201);
    return r.body as { id: string; follow: string };
  };

  it('refuses an anonymous stream that is unfiltered, untokened or opened by another’s token', async () => {
    const a = await place('stream-key-0001', '11');
    const b = await place('stream-key-0002', '12');
    expect(a.follow).toMatch(/^[\w-]{22}$/);
    const refused = [
      '/api/events',
      '/api/events?since=0',
      `/api/events?order=${a.id}`,
      `/api/events?order=${a.id}&follow=${b.follow}`,
      `/api/events?order=${a.id}&follow=${a.follow.slice(0, -1)}`,
      // A token names its order, not a transaction with the same number.
      `/api/events?serial=${a.id}&follow=${a.follow}`,
    ];
    for (const path of refused) {
      const r = await k.api('GET', path);
      expect(r.status, path).toBe(401);
      expect(r.body, path).toMatchObject({ code: 'KIOSK_E_AUTH_FAILED', field: 'follow' });
    }
    await k.api('POST', `/api/orders/${a.id}/cancel`);
    await k.api('POST', `/api/orders/${b.id}/cancel`);
  });

  it('carries only the customer’s own order and its transaction, masked, and no balance', async () => {
    const mine = await place('stream-key-0003', '21');
    const theirs = await place('stream-key-0004', '22');
    const s = await open(k.url, `/api/events?order=${mine.id}&follow=${encodeURIComponent(mine.follow)}`);
    // The other customer is served first: none of it may reach this stream.
    const t1 = await k.api('POST', `/api/orders/${theirs.id}/cash-received`, { token: teller });
    await k.app.engine.waitFor(t1.body.serial, (t) => t.terminal);
    await k.app.balance.applyHqEvent({ kind: 'adjustment', fen: 100, ref: 'adj-c1', note: '调账' });
    const t2 = await k.api('POST', `/api/orders/${mine.id}/cash-received`, { token: teller });
    await s.until(
      (e, d) => e.event === 'txn' && d.transaction.serial === t2.body.serial && d.transaction.terminal,
    );
    s.close();
    expect(s.frames.some((e) => e.event === 'order')).toBe(true);
    for (const e of s.frames) {
      expect(['order', 'txn', 'alert']).toContain(e.event);
      const d = JSON.parse(e.data);
      if (e.event === 'order') expect(d.order.id).toBe(mine.id);
      else expect(d.transaction.serial).toBe(t2.body.serial);
    }
    const raw = s.frames.map((e) => e.data).join('\n');
    expect(raw).not.toContain(PHONE);
    expect(raw).not.toContain(t1.body.serial);
  });

  it('opens the stream of a looked-up transaction by the token the lookup answers', async () => {
    const placed = await place('stream-key-0005', '23');
    k.hq.script('pay', 'pending');
    const paid = await k.api('POST', `/api/orders/${placed.id}/cash-received`, { token: teller });
    const serial = paid.body.serial as string;
    await k.app.engine.waitFor(serial, (t) => t.state === 'querying');
    k.hq.script('pay', 'ok');
    const found = await k.api('GET', `/api/lookup/${serial}`);
    expect(found.body.transaction.follow).toMatch(/^[\w-]{22}$/);
    expect(found.body.order.follow).toBe(placed.follow);
    const s = await open(
      k.url,
      `/api/events?serial=${serial}&follow=${encodeURIComponent(found.body.transaction.follow)}`,
    );
    k.hq.settle((await k.app.journal.getTxn(serial))!.idempotencyKey, 'ok');
    await s.until((e, d) => e.event === 'txn' && d.transaction.state === 'succeeded');
    s.close();
    expect(s.frames.every((e) => JSON.parse(e.data).transaction.serial === serial)).toBe(true);
  });
});
