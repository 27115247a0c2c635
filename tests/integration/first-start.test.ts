import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { clockStartingAt } from '../support/chosen-time.ts';

/**
 * The first start of a fresh kiosk on its embedded defaults (in-process broker and reference HQ):
 * the opening balance arrives once, and nothing on the way warns.
 */
describe('a clean first start', () => {
  let dir: string;
  let app: KioskApp | undefined;
  afterAll(async () => {
    await app?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('gets its opening balance once and logs no warning', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-first-start-'));
    const configFile = join(dir, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: join(dir, 'data'),
        http: { host: '127.0.0.1', port: 0 },
        hq: { mode: 'embedded', embedded: { dataDir: join(dir, 'hq'), billerLatencyMs: 5 } },
        devices: { display: { sim: { pngPath: null } } },
      }),
    );
    const lines: Array<{ level: number; msg: string }> = [];
    const capture = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l));
        done();
      },
    });
    app = new KioskApp({
      configFile,
      clock: clockStartingAt(),
      logger: createLogger({ destination: capture, format: 'json', level: 'info' }),
    });
    await app.start();
    const station = app.config.stationId;
    await expect.poll(() => app?.balance.summary().balance, { timeout: 15_000 }).toBe('1000.00');
    // A second command after the opening one: the kiosk handles HQ's commands in order, so once this
    // one is applied any copy of the opening balance would already have been handled (and warned).
    const commands = app.hq.embedded?.server.commands;
    expect(commands).toBeDefined();
    await commands?.send(station, 'balance', { kind: 'topup', fen: 1, ref: 'probe', note: '测试' });
    await expect.poll(() => app?.balance.summary().balance, { timeout: 15_000 }).toBe('1000.01');
    await expect.poll(async () => (await commands?.pending(station))?.length, { timeout: 15_000 }).toBe(0);
    const warnings = lines.filter((l) => l.level >= 40).map((l) => l.msg);
    expect(warnings).toEqual([]);
    expect(lines.some((l) => l.level === 30)).toBe(true);
  });
});
