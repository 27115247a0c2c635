import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { systemClock } from '../../src/core/clock.ts';
import { Journal } from '../../src/journal/journal.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FakeHq } from '../support/fake-hq.ts';
import { openKiosk, tempDir } from '../support/kiosk-harness.ts';
import { testBillService } from '../support/test-service.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

describe('safe mode on a corrupted journal', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let configFile: string;
  beforeEach(async () => {
    dir = await tempDir();
    configFile = join(dir.path, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: join(dir.path, 'data'),
        http: { host: '127.0.0.1', port: 0 },
        hq: { mode: 'off' },
      }),
    );
    const k = await openKiosk(join(dir.path, 'data'), new FakeHq());
    await k.balance.applyHqEvent({ kind: 'topup', fen: 50_00, ref: 'slip-9' });
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '20' }, TELLER);
    await k.engine.waitFor(t.serial, (x) => x.terminal);
    await k.close();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  async function corrupt(
    key: string,
    // Any change to the text after the checksum (a t: record names the event holding its snapshot).
    damage = (v: string) => v.replace(/\}$/, ' }'),
  ): Promise<void> {
    const db = new Level<string, string>(join(dir.path, 'data'), {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    const v = (await db.get(key))!;
    await db.put(key, damage(v));
    await db.close();
  }

  it('starts, sells nothing, still reports, and never repairs the store', async () => {
    await corrupt('t:0000000001');
    const hq = new FakeHq();
    const app = new KioskApp({
      // Services come from HQ only, never from the local file.
      overrides: { services: { enabled: ['test-bill'], fees: {} } },
      configFile,
      logger: silentLogger(),
      hqPort: hq,
      services: [testBillService],
    });
    const safe = new Promise((r) => app.once('safe-mode', r));
    await app.start();
    await safe;
    expect(app.engine.safeMode?.en).toContain('problem');
    expect(app.problems).toContainEqual(expect.objectContaining({ key: 't:0000000001', kind: 'checksum' }));
    await expect(
      app.engine.create('test-bill', { phone: '13800138000', amount: '5' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_SAFE_MODE',
    });
    expect(hq.requests).toEqual([]);
    expect(app.balance.summary().balance).toBe('30.00');
    const health = (await (await fetch(`${app.url}api/health`)).json()) as {
      safeMode: { zh: string } | null;
      problems: unknown[];
    };
    expect(health.safeMode?.zh).toContain('暂停交易');
    expect(health.problems.length).toBeGreaterThan(0);
    await app.stop();
    // The damaged record is still there, unrepaired, for people to look at.
    const db = new Level<string, string>(join(dir.path, 'data'), {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    expect(await db.get('t:0000000001')).toMatch(/ \}$/);
    await db.close();
  });

  it('sells nothing before the start-up check has found a corrupt old event', async () => {
    // A longer journal, so the full check takes a while, with its second event damaged.
    const j = new Journal({ path: join(dir.path, 'data'), stationId: '33010001', clock: systemClock });
    await j.open();
    for (let c = 0; c < 100; c++)
      await j.commit((b) => {
        for (let i = 0; i < 50; i++) b.event({ type: 'system', info: { filler: 'x'.repeat(200), i } });
      });
    await j.close();
    await corrupt('e:0000000000000002', (v) => v.replace('"seq":2', '"seq":2 '));

    const hq = new FakeHq();
    const app = new KioskApp({ configFile, logger: silentLogger(), hqPort: hq, services: [testBillService] });
    const attempts = { accepted: 0, refused: 0 };
    const sell = async (): Promise<void> => {
      try {
        await app.engine.create('test-bill', { phone: '13800138000', amount: '1' }, TELLER);
        attempts.accepted++;
      } catch {
        attempts.refused++;
      }
    };
    let started = false;
    const starting = app.start().then(() => {
      started = true;
    });
    while (!started) {
      if (app.engine) await sell();
      await new Promise((r) => setImmediate(r));
    }
    await starting;
    for (let i = 0; i < 20; i++) await sell();
    expect(attempts.accepted).toBe(0);
    expect(attempts.refused).toBeGreaterThan(0);
    expect(app.engine.safeMode).not.toBeNull();
    expect(app.problems).toContainEqual(expect.objectContaining({ key: 'e:0000000000000002' }));
    expect(hq.requests).toEqual([]);
    await app.stop();
  });

  it('enters safe mode at start-up when an open transaction cannot be read', async () => {
    const db = new Level<string, string>(join(dir.path, 'data'), {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    await db.put('i:n:0000000001', '');
    await db.close();
    await corrupt('t:0000000001');
    const app = new KioskApp({
      // Services come from HQ only, never from the local file.
      overrides: { services: { enabled: ['test-bill'], fees: {} } },
      configFile,
      logger: silentLogger(),
      hqPort: new FakeHq(),
      services: [testBillService],
      http: false,
    });
    await app.open();
    expect(app.engine.safeMode).not.toBeNull();
    await app.stop();
  });
});
