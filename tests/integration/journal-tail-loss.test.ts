import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { systemClock } from '../../src/core/clock.ts';
import { Journal } from '../../src/journal/journal.ts';
import { verifyJournal } from '../../src/journal/verify.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FakeHq } from '../support/fake-hq.ts';
import { openKiosk, tempDir } from '../support/kiosk-harness.ts';
import { testBillService } from '../support/test-service.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

/** The newest LevelDB write-ahead log of the store (the one a restart replays). */
async function youngestLog(dir: string): Promise<string> {
  const logs = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
  const last = logs[logs.length - 1];
  if (!last) throw new Error(`no .log file in ${dir}`);
  return join(dir, last);
}

describe('committed events lost inside LevelDB’s own log', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let data: string;
  let configFile: string;
  beforeEach(async () => {
    dir = await tempDir();
    data = join(dir.path, 'data');
    configFile = join(dir.path, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: data,
        http: { host: '127.0.0.1', port: 0 },
        hq: { mode: 'off' },
      }),
    );
    const k = await openKiosk(data, new FakeHq());
    await k.balance.applyHqEvent({ kind: 'topup', fen: 500_00, ref: 'slip-1' });
    for (let i = 0; i < 4; i++) {
      const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '10' }, TELLER);
      await k.engine.waitFor(t.serial, (x) => x.terminal);
    }
    await k.close();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('16 flipped bytes in the middle of a young .log: safe mode, verify names the loss, no serial reused', async () => {
    const log = await youngestLog(data);
    const bytes = await readFile(log);
    expect((await stat(log)).size).toBeGreaterThan(1000);
    const at = Math.floor(bytes.length / 2);
    for (let i = at; i < at + 16; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
    await writeFile(log, bytes);

    const hq = new FakeHq();
    const app = new KioskApp({
      configFile,
      // Services and fees come only from HQ (never a local file): here from the test's overrides.
      overrides: { services: { enabled: ['test-bill'], fees: {} } },
      logger: silentLogger(),
      hqPort: hq,
      services: [testBillService],
    });
    await app.start();
    // Decided before start() returns: nothing can be sold in between.
    expect(app.engine.safeMode).not.toBeNull();
    expect(app.problems.some((p) => p.kind === 'chain' || p.kind === 'gap')).toBe(true);
    await expect(
      app.engine.create('test-bill', { phone: '13800138000', amount: '5' }, TELLER),
    ).rejects.toMatchObject({ code: 'KIOSK_E_SAFE_MODE' });
    expect(hq.requests).toEqual([]);
    const health = (await (await fetch(`${app.url}api/health`)).json()) as {
      safeMode: { en: string } | null;
      problems: Array<{ kind: string }>;
    };
    expect(health.safeMode).not.toBeNull();
    await app.stop();

    // `kiosk journal verify` (stopped kiosk) reports it too, and the store takes no new serial.
    const j = new Journal({ path: data, stationId: '33010001', clock: systemClock });
    await j.open();
    const report = await verifyJournal(j);
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.kind === 'chain')).toBe(true);
    const serialBefore = j.lastCounters.serial;
    await expect(j.commit((b) => b.nextSerial())).rejects.toMatchObject({ code: 'KIOSK_E_SAFE_MODE' });
    expect(j.lastCounters.serial).toBe(serialBefore);
    await j.close();
  });

  it('HQ acknowledging an event beyond the log’s end seals the journal', async () => {
    const j = new Journal({ path: data, stationId: '33010001', clock: systemClock });
    await j.open();
    expect(j.startupProblems).toEqual([]);
    const end = j.lastCounters.event;
    const seen: string[] = [];
    j.on('integrity', (p) => seen.push(p.message));
    await j.ackOutbox([end, end + 3]);
    expect(seen).toEqual([expect.stringContaining(`HQ holds event ${end + 3}`)]);
    await expect(j.commit((b) => b.nextSerial())).rejects.toMatchObject({ code: 'KIOSK_E_SAFE_MODE' });
    await j.close();
  });

  it('an intact store passes and keeps its head in step', async () => {
    const j = new Journal({ path: data, stationId: '33010001', clock: systemClock });
    await j.open();
    expect(j.startupProblems).toEqual([]);
    expect((await verifyJournal(j)).problems).toEqual([]);
    const { head } = await j.chainHead.read();
    expect(head?.event).toBe(j.lastCounters.event);
    await j.close();
  });

  it.each([0.25, 0.5])(
    '16 flipped bytes at %f of a compacted table: the kiosk refuses to start or sells nothing',
    async (at) => {
      // Enough history that the largest table holds settled records the start-up check never reads.
      const k = await openKiosk(data, new FakeHq());
      for (let i = 0; i < 26; i++) {
        const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '10' }, TELLER);
        await k.engine.waitFor(t.serial, (x) => x.terminal);
      }
      await k.close();
      const raw = new Level<string, string>(data);
      await raw.open();
      await (raw as unknown as { compactRange: (a: string, b: string) => Promise<void> }).compactRange(
        '\x00',
        '\xff',
      );
      await raw.close();
      const tables = await Promise.all(
        (await readdir(data))
          .filter((f) => f.endsWith('.ldb'))
          .map(async (f) => ({ path: join(data, f), size: (await stat(join(data, f))).size })),
      );
      const largest = tables.sort((a, b) => b.size - a.size)[0];
      expect(largest).toBeDefined();
      const bytes = await readFile(largest!.path);
      const from = Math.floor(bytes.length * at);
      for (let i = from; i < from + 16; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
      await writeFile(largest!.path, bytes);

      const hq = new FakeHq();
      const app = new KioskApp({
        configFile,
        overrides: { services: { enabled: ['test-bill'], fees: {} } },
        logger: silentLogger(),
        hqPort: hq,
        services: [testBillService],
      });
      try {
        await app.start();
      } catch {
        return; // refused to start: failed closed
      }
      try {
        expect(app.engine.safeMode).not.toBeNull();
        await expect(
          app.engine.create('test-bill', { phone: '13800138000', amount: '5' }, TELLER),
        ).rejects.toMatchObject({ code: 'KIOSK_E_SAFE_MODE' });
        expect(hq.requests).toEqual([]);
      } finally {
        await app.stop();
      }
    },
  );
});
