import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GUIDE_PATH, readDemoGuide } from '../../src/reference-hq/demo-guide.ts';
import { atChosenTime } from '../support/chosen-time.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';

const run = promisify(execFile);
const PHONE = '13912345678';

/**
 * A real kiosk with its embedded reference HQ: the guide HQ publishes to a new station, a bad one
 * refused by the kiosk with every problem listed, and a request followed through every state by
 * `kiosk-hq request update` (signed commands), seen from HQ with the citizen's numbers masked, with
 * the monthly statistics the station sends.
 */
describe('assisted requests driven by the reference HQ', () => {
  let k: EmbeddedKiosk;
  let station: string;

  const cli = async (...args: string[]) => {
    const at = atChosenTime(process.execPath, [
      'bin/kiosk-hq.js',
      ...args,
      '--connect',
      join(k.dir, 'hq', 'connection.json'),
      '--json',
    ]);
    const { stdout } = await run(at.cmd, at.args, { cwd: process.cwd(), env: at.env });
    return JSON.parse(stdout);
  };
  const cliFails = async (...args: string[]) => {
    const at = atChosenTime(process.execPath, [
      'bin/kiosk-hq.js',
      ...args,
      '--connect',
      join(k.dir, 'hq', 'connection.json'),
    ]);
    return run(at.cmd, at.args, { cwd: process.cwd(), env: at.env }).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
  };

  beforeAll(async () => {
    k = await startEmbeddedKiosk({ prefix: 'kiosk-assist-hq-' });
    station = k.app.config.stationId;
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('publishes the guide with kiosk-hq guide push; a bad guide is refused listing every problem', async () => {
    expect(k.app.assist.guide).toBeUndefined();
    const first = join(k.dir, 'guide-1.json');
    await writeFile(first, await readFile(DEMO_GUIDE_PATH, 'utf8'));
    await expect.poll(async () => (await cli('kiosks'))[0]?.online, { timeout: 15_000 }).toBe(true);
    expect(await cli('guide', 'push', first, '--all')).toEqual([
      { station, seq: expect.any(Number), version: 1 },
    ]);
    await expect.poll(() => k.app.assist.guide?.version, { timeout: 15_000 }).toBe(1);
    const guide = (await readDemoGuide()) as { version: number; matters: Array<Record<string, unknown>> };
    const bad = structuredClone(guide);
    bad.version = 5;
    bad.matters[0]!.fee = '-1';
    bad.matters[3]!.inPerson = true;
    bad.matters[3]!.mode = 'proxy';
    // Checked by HQ's tool first ...
    const file = join(k.dir, 'bad-guide.json');
    await writeFile(file, JSON.stringify(bad));
    const err = await cliFails('guide', 'push', file, '--station', station);
    expect(err).toContain('guide.matters.0.fee');
    expect(err).toContain('guide.matters.3.mode');
    // ... and by the kiosk, for a command that reaches it anyway.
    const server = k.app.hq.embedded!.server;
    const sent = await server.commands.send(station, 'guide', bad);
    await expect.poll(() => server.commands.resultOf(station, sent.seq), { timeout: 15_000 }).toBeDefined();
    const result = await server.commands.resultOf(station, sent.seq);
    expect(result?.status).toBe('rejected');
    expect(result?.reason?.en).toContain('matters.0.fee');
    expect(result?.reason?.en).toContain('matters.3.mode');
    expect(k.app.assist.guide?.version).toBe(1);
    const good = join(k.dir, 'guide.json');
    await writeFile(good, JSON.stringify({ ...guide, version: 2 }));
    expect(await cli('guide', 'push', good, '--station', station)).toEqual([
      { station, seq: expect.any(Number), version: 2 },
    ]);
    await expect.poll(() => k.app.assist.guide?.version, { timeout: 15_000 }).toBe(2);
  }, 120_000);

  it('follows a request through every state by kiosk-hq request update, and HQ sees the statistics', async () => {
    const { request } = await k.app.assist.register(
      { matter: 'household-transfer', name: '李四', phone: PHONE, materials: [0, 1], consent: true },
      { channel: 'operator', code: 'T001' },
      'hq-test-key-01',
    );
    const id = request.id;
    const seenAtHq = async () =>
      (
        (await cli('request', 'list', '--station', station)) as Array<{
          id: string;
          state: string;
          citizen: { phone: string };
        }>
      ).find((r) => r.id === id);
    await expect
      .poll(seenAtHq, { timeout: 20_000 })
      .toMatchObject({ state: 'registered', citizen: { phone: '139****5678' } });
    const steps: Array<[string, string[]]> = [
      ['verified', []],
      ['submitted', []],
      ['result-received', ['--result', '准予迁移', '--result-en', 'transfer approved']],
      ['notified', ['--method', 'phone', '--note', '已电话告知']],
      ['closed', []],
    ];
    for (const [state, extra] of steps) {
      const r = await cli('request', 'update', id, state, '--station', station, ...extra);
      expect(r).toMatchObject({ id, to: state });
      await expect.poll(async () => (await k.app.assist.get(id)).state, { timeout: 15_000 }).toBe(state);
    }
    const done = await k.app.assist.get(id);
    expect(done.result).toEqual({ zh: '准予迁移', en: 'transfer approved' });
    expect(done.notice).toMatchObject({ method: 'phone', by: 'hq', note: '已电话告知' });
    expect(done.history.map((s) => s.by)).toEqual(['operator:T001', 'hq', 'hq', 'hq', 'hq', 'hq']);
    await expect.poll(seenAtHq, { timeout: 20_000 }).toMatchObject({ state: 'closed' });
    // A finished request moves no more: the kiosk rejects the command and nothing changes.
    const server = k.app.hq.embedded!.server;
    const again = await server.commands.send(station, 'request', {
      id,
      to: 'refused',
      reason: { zh: '迟到', en: 'late' },
    });
    await expect
      .poll(() => server.commands.resultOf(station, again.seq), { timeout: 15_000 })
      .toMatchObject({
        status: 'rejected',
      });
    expect((await k.app.assist.get(id)).state).toBe('closed');

    const stats = await k.app.assist.sendStats('202612', 'T001', false);
    expect(stats.totals).toMatchObject({ closed: 1, total: 1 });
    await expect
      .poll(
        async () => (await cli('request', 'stats', '--station', station, '--month', '202612')).stats.totals,
        {
          timeout: 20_000,
        },
      )
      .toEqual(stats.totals);
  }, 180_000);
});
