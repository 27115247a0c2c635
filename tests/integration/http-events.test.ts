import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskApiClient, type SseEvent } from '../../src/cli/api-client.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';

interface Stream {
  events: SseEvent[];
  /** Resolves with the first event (seen or future) that satisfies `pred`. */
  // biome-ignore lint/suspicious/noExplicitAny: event payloads are read field by field
  until: (pred: (e: SseEvent, data: any) => boolean) => Promise<SseEvent>;
  close: () => void;
}

/** Opens an event stream and records everything it delivers. */
async function open(client: KioskApiClient, path: string): Promise<Stream> {
  const ac = new AbortController();
  const events: SseEvent[] = [];
  const waiters: Array<{ pred: (e: SseEvent, d: unknown) => boolean; resolve: (e: SseEvent) => void }> = [];
  let opened!: () => void;
  const ready = new Promise<void>((r) => {
    opened = r;
  });
  void (async () => {
    for await (const e of client.events(path, ac.signal, opened)) {
      events.push(e);
      for (const w of [...waiters])
        if (w.pred(e, JSON.parse(e.data))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
    }
  })().catch(() => undefined);
  await ready;
  return {
    events,
    until: (pred) => {
      const seen = events.find((e) => pred(e, JSON.parse(e.data)));
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    close: () => ac.abort(),
  };
}

const states = (s: Stream, serial: string): string[] =>
  s.events
    .filter((e) => e.event === 'txn')
    .map((e) => JSON.parse(e.data).transaction)
    .filter((t) => t.serial === serial)
    .map((t) => t.state)
    .filter((st, i, all) => i === 0 || all[i - 1] !== st);

describe('local HTTP API: server-sent events (the page that refreshes by itself)', () => {
  let k: TestKiosk;
  let teller: string;
  let lingering: Stream;

  beforeAll(async () => {
    k = await startTestKiosk();
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    teller = await k.login('A001', '123456');
  });
  afterAll(async () => {
    // A stream still open must not keep the kiosk from stopping.
    lingering = await open(new KioskApiClient(k.url, teller), '/api/events');
    await k.stop();
    lingering.close();
  });

  it('pushes every state change of a transaction, masked, with increasing ids', async () => {
    const all = await open(new KioskApiClient(k.url, teller), '/api/events');
    k.hq.script('pay', 'pending');
    const c = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '20' },
      token: teller,
    });
    const serial = c.body.serial as string;
    await k.app.engine.waitFor(serial, (t) => t.state === 'querying');
    k.hq.script('pay', 'ok');
    const mine = await open(new KioskApiClient(k.url, teller), `/api/events?serial=${serial}`);
    await all.until(
      (e, d) => e.event === 'txn' && d.transaction.serial === serial && d.transaction.state === 'querying',
    );
    k.hq.settle((await k.app.journal.getTxn(serial))!.idempotencyKey, 'ok');
    const done = await all.until((e, d) => e.event === 'txn' && d.transaction.state === 'succeeded');
    expect(JSON.parse(done.data)).toMatchObject({ type: 'txn.transition', outcome: 'ok' });
    expect(states(all, serial)).toEqual(['paying', 'querying', 'succeeded']);
    const ids = all.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const raw = all.events.map((e) => e.data).join('\n');
    expect(raw).not.toContain(PHONE);
    expect(raw).toContain('138****8000');
    await mine.until((_e, d) => d.transaction.state === 'succeeded');
    // Opened after the create: it sees the rest of the way, whichever step it joined at.
    expect(['paying', 'querying', 'succeeded'].join()).toContain(states(mine, serial).join());
    expect(states(mine, serial).at(-1)).toBe('succeeded');
    all.close();
    mine.close();
  });

  it('sends only the asked-for transaction on a filtered stream', async () => {
    const c1 = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '5' },
      token: teller,
    });
    const only = await open(new KioskApiClient(k.url, teller), `/api/events?serial=${c1.body.serial}`);
    const c2 = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '6' },
      token: teller,
    });
    await k.app.engine.waitFor(c2.body.serial, (t) => t.terminal);
    await k.api('POST', `/api/transactions/${c1.body.serial}/actions/reverse`, {
      body: { phone: PHONE, amount: '5' },
      token: teller,
    });
    await only.until((_e, d) => d.transaction.state === 'reverse-querying');
    k.hq.settleReversal((await k.app.journal.getTxn(c1.body.serial))!.idempotencyKey, 'ok');
    await only.until((_e, d) => d.transaction.state === 'reversed');
    expect(only.events.every((e) => JSON.parse(e.data).transaction.serial === c1.body.serial)).toBe(true);
    only.close();
  });

  it('raises an alert event when a result stays unknown too long', async () => {
    const s = await open(new KioskApiClient(k.url, teller), '/api/events');
    k.hq.script('pay', 'pending');
    const c = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '7' },
      token: teller,
    });
    const alert = await s.until((e) => e.event === 'alert');
    k.hq.script('pay', 'ok');
    expect(JSON.parse(alert.data)).toMatchObject({
      type: 'txn.alert',
      alert: 'status-unknown',
      transaction: { serial: c.body.serial, alerts: ['status-unknown'] },
    });
    k.hq.settle((await k.app.journal.getTxn(c.body.serial))!.idempotencyKey, 'declined');
    await k.app.engine.waitFor(c.body.serial, (t) => t.terminal);
    s.close();
  });

  it('replays what a reconnecting client missed (Last-Event-ID) before the live events', async () => {
    const first = await open(new KioskApiClient(k.url, teller), '/api/events');
    const a = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '8' },
      token: teller,
    });
    const lastSeen = await first.until(
      (e, d) => e.event === 'txn' && d.transaction.serial === a.body.serial && d.transaction.terminal,
    );
    first.close();
    const b = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '9' },
      token: teller,
    });
    await k.app.engine.waitFor(b.body.serial, (t) => t.terminal);
    const ac = new AbortController();
    const res = await fetch(new URL('api/events', k.url), {
      headers: { 'last-event-id': lastSeen.id!, authorization: `Bearer ${teller}` },
      signal: ac.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const { parseEventStream } = await import('../../src/cli/api-client.ts');
    const got: SseEvent[] = [];
    for await (const e of parseEventStream(res.body!, ac.signal)) {
      got.push(e);
      if (JSON.parse(e.data).transaction?.terminal && JSON.parse(e.data).transaction.serial === b.body.serial)
        break;
    }
    ac.abort();
    expect(got.every((e) => Number(e.id) > Number(lastSeen.id))).toBe(true);
    const replayed = got.map((e) => JSON.parse(e.data).transaction).filter((t) => t.serial === b.body.serial);
    expect(replayed[0].state).toBe('paying');
    expect(replayed.at(-1).state).toBe('succeeded');
    expect(got.some((e) => JSON.parse(e.data).transaction.serial === a.body.serial)).toBe(false);
    const bad = await k.api('GET', '/api/events?since=abc');
    expect(bad).toMatchObject({ status: 400, body: { field: 'since' } });
  });

  it('forgets a client that went away', async () => {
    const before = (await k.api('GET', '/api/health')).body.eventStreams as number;
    const s = await open(new KioskApiClient(k.url, teller), '/api/events');
    expect((await k.api('GET', '/api/health')).body.eventStreams).toBe(before + 1);
    s.close();
    await expect.poll(async () => (await k.api('GET', '/api/health')).body.eventStreams).toBe(before);
  });

  it('tells operators (token in the query, as EventSource needs) about balance changes', async () => {
    const op = await open(
      new KioskApiClient(k.url),
      `/api/events?access_token=${encodeURIComponent(teller)}`,
    );
    await k.app.balance.applyHqEvent({ kind: 'adjustment', fen: 123, ref: 'adj-1', note: '调账' });
    const e = await op.until((x) => x.event === 'balance');
    expect(JSON.parse(e.data).entry).toMatchObject({ kind: 'adjustment', delta: '1.23', ref: 'adj-1' });
    const c = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount: '1' },
      token: teller,
    });
    await op.until((_x, d) => d.transaction?.serial === c.body.serial);
    const expired = await k.api('GET', '/api/events?access_token=nope');
    expect(expired.status).toBe(401);
    op.close();
  });
});
