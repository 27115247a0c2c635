import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/platform/logger.ts';
import { type EmbeddedHq, startEmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { makeTestKiosk, type TestKiosk } from '../support/hq-kiosk.ts';

const run = promisify(execFile);
const STATION = '33010011';

describe('kiosk-hq against the embedded HQ', () => {
  let dir: string;
  let hq: EmbeddedHq;
  let kiosk: TestKiosk;

  const cli = async (...args: string[]) => {
    const { stdout } = await run(
      process.execPath,
      ['bin/kiosk-hq.js', ...args, '--connect', hq.connectionFile, '--json'],
      {
        cwd: process.cwd(),
      },
    );
    return JSON.parse(stdout);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-cli-'));
    hq = await startEmbeddedHq({
      dataDir: join(dir, 'hq'),
      topicPrefix: 'kiosk',
      logger: silentLogger(),
      billerLatencyMs: 0,
    });
    kiosk = await makeTestKiosk({
      station: STATION,
      hq: { mode: 'embedded' },
      connection: {
        url: hq.url,
        protocolVersion: 4,
        publicKeys: [hq.publicKey],
        clientId: STATION,
        login: await hq.kioskLogin(STATION),
      },
    });
    await kiosk.link.start();
    await kiosk.link.whenOnline();
  });

  afterAll(async () => {
    await kiosk?.stop();
    await hq?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('kiosks, topup, notice send, config push, stats monthly', async () => {
    await expect.poll(async () => (await cli('kiosks'))[0]?.online).toBe(true);
    const t = await cli('topup', '--station', STATION, '--amount', '88.80');
    expect(t.ref).toMatch(/^DEP/);
    await expect.poll(() => kiosk.balance.summary().balance).toBe('88.80');
    await cli(
      'notice',
      'send',
      '道路施工 请绕行',
      '--station',
      STATION,
      '--priority',
      'high',
      '--id',
      'road',
    );
    await expect.poll(() => kiosk.link.notices().map((n) => n.text)).toEqual(['道路施工 请绕行']);
    const file = join(dir, 'cfg.json');
    await writeFile(file, JSON.stringify({ balance: { lowWarning: '66.00' } }));
    const pushed = await cli('config', 'push', file, '--all');
    expect(pushed).toEqual([{ station: STATION, seq: expect.any(Number), version: 1 }]);
    await expect.poll(() => kiosk.config().balance.lowWarning).toBe('66.00');
    await cli('terminal', '--station', STATION, '--terminal-no', '12345678');
    await expect
      .poll(() => kiosk.link.terminal())
      .toMatchObject({ terminalNo: '12345678', status: 'enabled' });
    await expect
      .poll(async () => (await cli('journal', '--station', STATION)).meta.contiguous)
      .toBe(kiosk.journal.lastCounters.event);
    const stats = await cli('stats', 'monthly', '--month', '202611');
    expect(stats).toEqual([expect.objectContaining({ station: STATION, count: 0, exit: 'no-transactions' })]);
    // Eight command-line processes, each starting Node and TypeScript.
  }, 120_000);
});
