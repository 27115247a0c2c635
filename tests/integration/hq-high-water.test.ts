import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/hq-platform/admin-client.ts';
import { type EmbeddedHq, startEmbeddedHq } from '../../src/hq-platform/embedded.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { makeTestKiosk } from '../support/hq-kiosk.ts';

const STATION = '33010001';

describe('HQ’s acknowledged high-water mark at connect', () => {
  let dir: string;
  let hq: EmbeddedHq;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-high-water-'));
    hq = await startEmbeddedHq({
      dataDir: join(dir, 'hq'),
      topicPrefix: 'kiosk',
      logger: silentLogger(),
      billerLatencyMs: 0,
      settleMs: 50,
      openingBalance: '100.00',
    });
  });
  afterAll(async () => {
    await hq?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const kiosk = async () =>
    makeTestKiosk({
      station: STATION,
      dir: join(dir, 'kiosk'),
      hq: { mode: 'embedded', requestTimeoutMs: 3000, telemetryIntervalMs: 60_000 },
      connection: {
        url: hq.url,
        protocolVersion: 4,
        publicKeys: [hq.publicKey],
        clientId: STATION,
        login: await hq.kioskLogin(STATION),
      },
    });

  it('a kiosk whose whole store went back in time (head file too) stops selling once HQ says more', async () => {
    let k = await kiosk();
    await k.link.start();
    await expect.poll(() => k.balance.summary().balance).toBe('100.00');
    await expect.poll(async () => (await k.journal.outboxSeqs()).length).toBe(0);
    await k.stop();
    // An old but self-consistent copy of the data folder, as a restored backup would be.
    await cp(join(dir, 'kiosk'), join(dir, 'kiosk-copy'), { recursive: true });

    k = await kiosk();
    await k.link.start();
    await k.link.whenOnline();
    const conn = JSON.parse(await readFile(hq.connectionFile, 'utf8'));
    const admin = new AdminClient({ url: conn.url, protocolVersion: 4, login: conn.login });
    await admin.connect();
    await admin.request('topup', { station: STATION, amount: '50.00' });
    await admin.close();
    await expect.poll(() => k.balance.summary().balance).toBe('150.00');
    await expect.poll(async () => (await k.journal.outboxSeqs()).length).toBe(0);
    const committed = k.journal.lastCounters.event;
    await k.stop();

    await rm(join(dir, 'kiosk'), { recursive: true, force: true });
    await cp(join(dir, 'kiosk-copy'), join(dir, 'kiosk'), { recursive: true });
    k = await kiosk();
    expect(k.journal.startupProblems).toEqual([]);
    expect(k.journal.lastCounters.event).toBeLessThan(committed);
    const problems: string[] = [];
    k.journal.on('integrity', (p) => problems.push(p.message));
    await k.link.start();
    await expect.poll(() => problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain(`HQ holds event ${committed}`);
    expect(k.journal.sealed?.code).toBe('KIOSK_E_SAFE_MODE');
    await k.stop();
  });
});
