import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/reference-hq/admin-client.ts';
import { atChosenTime } from '../support/chosen-time.ts';
import { tempDir } from '../support/kiosk-harness.ts';

const BIN = join(import.meta.dirname, '../../bin/kiosk.js');

/**
 * SIGTERM bounds the shutdown: a real `kiosk start` (embedded HQ) with a sale waiting on a slow
 * inquiry (the biller answers after 10 minutes, and every timeout is longer than that) is stopped;
 * nothing new starts, the waiting sale is refused, no transaction is created, and the process
 * exits by itself with 0.
 */
describe('kiosk start: SIGTERM during a slow inquiry', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let configFile: string;
  let proc: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await tempDir('kiosk-sigterm-');
    configFile = join(dir.path, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: join(dir.path, 'data'),
        http: { host: '127.0.0.1', port: 0 },
        devices: { display: { sim: { pngPath: join(dir.path, 'led-preview.png') } } },
        log: { level: 'debug' },
        engine: { requestTimeoutMs: 600_000 },
        hq: {
          mode: 'embedded',
          requestTimeoutMs: 600_000,
          embedded: { dataDir: join(dir.path, 'hq'), billerLatencyMs: 0 },
        },
      }),
    );
  });
  afterAll(async () => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    await dir.cleanup();
  });

  it('refuses new work at once, abandons the waiting inquiry and exits 0', async () => {
    const add = spawnSync(
      process.execPath,
      [BIN, '--config', configFile, 'operator', 'add', 'A001', '--name', '张三', '--role', 'teller'],
      { encoding: 'utf8', input: '135790\n', env: { ...process.env, KIOSK_CONFIG: '' }, timeout: 60_000 },
    );
    expect(add.status, add.stderr).toBe(0);
    const at = atChosenTime(process.execPath, [BIN, '--config', configFile, 'start'], {
      ...process.env,
      KIOSK_CONFIG: '',
      KIOSK_LOG_LEVEL: 'debug',
    });
    const child = spawn(at.cmd, at.args, { env: at.env, stdio: ['ignore', 'pipe', 'pipe'] });
    proc = child;
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const check = (): void => {
        const m = /kiosk running: (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      };
      child.stdout?.on('data', check);
      child.once('exit', () => reject(new Error(`kiosk exited before it ran:\n${out}`)));
    });

    // The water biller answers inquiries only after 10 minutes.
    const conn = JSON.parse(await readFile(join(dir.path, 'hq', 'connection.json'), 'utf8'));
    const admin = new AdminClient({ url: conn.url, protocolVersion: 4, login: conn.login });
    await admin.connect();
    await admin.request('fault', { service: 'water-bill', mode: 'slow', latencyMs: 600_000 });
    await admin.close();

    const login = await fetch(new URL('api/session', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'A001', password: '135790' }),
    });
    expect(login.status).toBe(201);
    const { token } = (await login.json()) as { token: string };
    const post = (body: unknown) =>
      fetch(new URL('api/services/water-bill/transactions', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
        (e: unknown) => ({ status: 0, body: { error: String(e) } }),
      );
    const waiting = post({ account: '3301234567', amount: '30' });
    // The sale is waiting on its inquiry (logged at debug level when it is sent to HQ).
    await expect
      .poll(() => out, { timeout: 60_000 })
      .toMatch(/"service":"water-bill","op":"[a-z-]+","msg":"inquiry sent to HQ"/);
    child.kill('SIGTERM');
    const later = await post({ account: '3301234567', amount: '20' });
    // Refused at once (503 from the kiosk, or the server already closed).
    expect([0, 503]).toContain(later.status);
    const first = await waiting;
    expect(first.status, JSON.stringify(first.body)).toBe(503);
    expect(first.body).toMatchObject({ code: 'KIOSK_E_SERVICE_UNAVAILABLE' });
    expect(await exited, out).toBe(0);

    // Nothing was created: the journal has no transaction and no hold.
    const list = spawnSync(process.execPath, [BIN, '--config', configFile, 'journal', 'list', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, KIOSK_CONFIG: '' },
      timeout: 60_000,
    });
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 180_000);
});
