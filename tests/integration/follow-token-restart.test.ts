import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskProcess } from '../support/kiosk-process.ts';
import { until } from '../support/wait.ts';

/** Opens the event stream with `query` and answers its status; the stream is closed at once. */
async function openStream(url: string, query: string): Promise<number> {
  const ctl = new AbortController();
  const res = await fetch(`${url}/api/events?${query}`, { signal: ctl.signal });
  const status = res.status;
  ctl.abort();
  await res.body?.cancel().catch(() => {});
  return status;
}

/**
 * A customer follows their order with the token its creation answered; the real kiosk process is
 * SIGKILLed mid-order and started again on the same data: the same token still opens that order's
 * stream (the secret is the kiosk's own, kept in its journal), and still opens nothing else.
 */
describe('follow tokens survive a kiosk restart', () => {
  let dir: string;
  let kiosk: KioskProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-follow-'));
    kiosk = new KioskProcess(join(dir, 'kiosk.json'), {
      dataDir: join(dir, 'data'),
      hq: { embedded: { dataDir: join(dir, 'hq'), billerLatencyMs: 5 } },
    });
    await kiosk.prepare();
    await kiosk.start();
  }, 120_000);
  afterAll(async () => {
    await kiosk?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a token issued before a SIGKILL opens the same order’s stream after the restart, and no other', async () => {
    // HQ enables the services and funds the station once it is linked.
    const fields = { account: 'W1234567', amount: '30' };
    const place = (key: string) =>
      kiosk.api(
        'POST',
        '/api/orders',
        { service: 'water-bill', fields, tender: 'counter', idempotencyKey: key },
        false,
      );
    let placed = await place('follow-restart-1');
    await until(
      async () => {
        if (placed.status === 201) return true;
        placed = await place('follow-restart-1');
        return placed.status === 201;
      },
      60_000,
      'a self-service order placed',
    );
    const other = await place('follow-restart-2');
    expect(other.status).toBe(201);
    const { id, follow } = placed.body as { id: string; follow: string };
    expect(follow).toMatch(/^[\w-]{22}$/);
    expect(await openStream(kiosk.url, `order=${id}&follow=${follow}`)).toBe(200);

    await kiosk.kill();
    await kiosk.start();

    expect(await openStream(kiosk.url, `order=${id}&follow=${follow}`)).toBe(200);
    // Still one order's token: not the other order's, and a guessed one opens nothing.
    expect(await openStream(kiosk.url, `order=${other.body.id}&follow=${follow}`)).toBe(401);
    expect(await openStream(kiosk.url, `order=${id}&follow=${'A'.repeat(22)}`)).toBe(401);
    // The other order's own token, issued before the restart too, opens it.
    expect(await openStream(kiosk.url, `order=${other.body.id}&follow=${other.body.follow}`)).toBe(200);
  }, 180_000);
});
