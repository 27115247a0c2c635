import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KioskApp } from '../../src/app/kiosk-app.ts';
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
        services: { enabled: ['test-bill'], fees: {} },
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

  async function corrupt(key: string): Promise<void> {
    const db = new Level<string, string>(join(dir.path, 'data'), {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    const v = (await db.get(key))!;
    await db.put(key, v.replace('13800138000', '13800138001'));
    await db.close();
  }

  it('starts, sells nothing, still reports, and never repairs the store', async () => {
    await corrupt('t:0000000001');
    const hq = new FakeHq();
    const app = new KioskApp({ configFile, logger: silentLogger(), hqPort: hq, services: [testBillService] });
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
    expect(await db.get('t:0000000001')).toContain('13800138001');
    await db.close();
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
