import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgHqStore } from '../../src/reference-hq/store-pg.ts';
import { Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';
import { type PostgresCluster, startPostgres } from '../support/postgres.ts';
import { until } from '../support/wait.ts';

const run = promisify(execFile);

describe('kiosk-hq serve --store', () => {
  let dir: string;
  let pki: Pki;
  let broker: Mosquitto;
  let pg: PostgresCluster;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-serve-store-'));
    pki = await makePki(join(dir, 'pki'), ['hq']);
    broker = new Mosquitto(pki);
    await broker.start();
    pg = await startPostgres();
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await broker?.stop();
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a store that is not a PostgreSQL URL, naming the option', async () => {
    const r = await run(
      'node',
      ['bin/kiosk-hq.js', 'serve', '--broker', broker.hqUrl, '--store', 'mysql://hq@db/hq'],
      {
        timeout: 120_000,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).not.toBe(0);
    expect((r as { stderr: string }).stderr).toContain(
      '--store: 须为 postgres:// 或 postgresql:// 地址 / must be',
    );
  });

  it('runs two instances on one database, both serving from the shared store', async () => {
    const url = await pg.createDatabase('serve');
    const hq = pki.client('hq');
    const start = (name: string) => {
      const c = spawn(
        'node',
        [
          'bin/kiosk-hq.js',
          'serve',
          '--broker',
          broker.hqUrl,
          '--ca',
          pki.ca,
          '--cert',
          hq.cert,
          '--key',
          hq.key,
          '--data',
          join(dir, 'data'),
          '--instance',
          name,
          '--store',
          url,
          '--json',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(c);
      let out = '';
      let err = '';
      let exited: number | null = null;
      c.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      c.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      c.once('exit', (code) => {
        exited = code ?? -1;
      });
      /** Started: printed its facts; an instance that exits first fails the test with what it said. */
      const started = () => {
        if (exited !== null) throw new Error(`instance ${name} exited ${exited} before starting:\n${err}`);
        return out.includes('"publicKey"');
      };
      return { c, out: () => out, started };
    };
    const [a, b] = [start('a'), start('b')];
    await until(() => a.started() && b.started(), 120_000, 'both');
    // The start-up facts name the store, and both serve with the one signing key they created together.
    for (const x of [a, b]) expect(x.out()).toMatch(/"store":\s*"postgresql"/);
    const key = (x: typeof a) => /"publicKey":\s*"([^"]+)"/.exec(x.out())?.[1];
    expect(key(a)).toBeDefined();
    expect(key(a)).toBe(key(b));
    // Both created the one schema at once without tripping over each other; it takes writes.
    const store = new PgHqStore(url);
    await store.open();
    await store.put('st:33010001', { station: '33010001' });
    expect(await store.list('st:')).toEqual([['st:33010001', { station: '33010001' }]]);
    await store.close();
    for (const x of [a, b]) {
      const gone = new Promise((r) => x.c.once('exit', r));
      x.c.kill('SIGTERM');
      expect(await gone).toBe(0);
    }
  });
});
