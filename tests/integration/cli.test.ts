import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atChosenTime } from '../support/chosen-time.ts';
import { tempDir } from '../support/kiosk-harness.ts';

const BIN = join(import.meta.dirname, '../../bin/kiosk.js');

describe('kiosk CLI (real processes, real LevelDB)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let configFile: string;

  const kiosk = (args: string[], input?: string) => {
    const at = atChosenTime(process.execPath, [BIN, '--config', configFile, ...args], {
      ...process.env,
      KIOSK_CONFIG: '',
    });
    const r = spawnSync(at.cmd, at.args, {
      encoding: 'utf8',
      input: input ?? '',
      env: at.env,
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(async () => {
    dir = await tempDir('kiosk-cli-');
    configFile = join(dir.path, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: join(dir.path, 'data'),
        http: { host: '127.0.0.1', port: 0 },
        hq: { mode: 'off' },
      }),
    );
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('prints help and refuses unknown commands with the usage exit code', () => {
    expect(kiosk(['--help']).code).toBe(0);
    expect(kiosk(['journal', 'verify', '--help']).out).toContain('--json');
    expect(kiosk(['nope']).code).toBe(2);
  });

  it('manages operators with passwords from stdin', () => {
    expect(
      kiosk(['operator', 'add', 'b002', '--name', '李四', '--role', 'supervisor'], '246810\n').code,
    ).toBe(0);
    const dup = kiosk(['operator', 'add', 'B002', '--name', '李四'], '246810\n');
    expect(dup.code).toBe(6);
    expect(dup.err).toContain('B002');
    const bad = kiosk(['operator', 'add', 'C003', '--name', '王五'], '12ab\n');
    expect(bad.code).toBe(5);
    expect(bad.err).toContain('password');
    expect(bad.err).toContain('密码');
    const list = JSON.parse(kiosk(['operator', 'list', '--json']).out);
    expect(list).toEqual([expect.objectContaining({ code: 'B002', role: 'supervisor' })]);
    expect(kiosk(['operator', 'passwd', 'B002'], '246810\n135790\n').code).toBe(0);
    expect(kiosk(['operator', 'passwd', 'B002'], '246810\n135790\n').code).toBe(6);
  });

  it('shows the balance as JSON', () => {
    const r = kiosk(['balance', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ balance: '0.00', available: '0.00', low: true });
  });

  it('verifies a clean store (exit 0) and names a corrupted record (exit 3)', async () => {
    const clean = kiosk(['journal', 'verify', '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out).ok).toBe(true);
    const db = new Level<string, string>(join(dir.path, 'data'), {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    const key = 'p:B002';
    const v = (await db.get(key))!;
    await db.put(key, v.replace('李四', '李五'));
    await db.close();
    const bad = kiosk(['journal', 'verify']);
    expect(bad.code).toBe(3);
    expect(bad.out).toContain('p:B002');
    expect(bad.out).toContain('checksum');
    await (async () => {
      const fix = new Level<string, string>(join(dir.path, 'data'), {
        keyEncoding: 'utf8',
        valueEncoding: 'utf8',
      });
      await fix.put(key, v);
      await fix.close();
    })();
  });

  it('refuses bad config with every error (exit 5)', async () => {
    const bad = join(dir.path, 'bad.json');
    await writeFile(bad, JSON.stringify({ stationId: 'x', business: { dayCut: '9pm' } }));
    const r = spawnSync(process.execPath, [BIN, 'config', 'check', bad], { encoding: 'utf8' });
    expect(r.status).toBe(5);
    expect(r.stderr).toContain('stationId');
    expect(r.stderr).toContain('business.dayCut');
  });

  it('starts, serves its health on loopback, refuses a second opener (exit 4), verifies through the API and stops on SIGTERM', async () => {
    const at = atChosenTime(process.execPath, [BIN, '--config', configFile, 'start'], {
      ...process.env,
      KIOSK_CONFIG: '',
    });
    const child = spawn(at.cmd, at.args, { env: at.env });
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /kiosk running: (http:\/\/\S+)/.exec(buf);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (c) => reject(new Error(`exited ${c}: ${buf}`)));
    });
    const health = (await (await fetch(`${url}api/health`)).json()) as {
      stationId: string;
      safeMode: unknown;
    };
    expect(health).toMatchObject({ stationId: '33010001', safeMode: null });
    const locked = kiosk(['balance']);
    expect(locked.code).toBe(4);
    expect(locked.err).toContain('running kiosk');
    // The store check goes through the running kiosk instead, for a supervisor only.
    const anonymous = kiosk(['journal', 'verify', '--url', url]);
    expect(anonymous.code).toBe(2);
    expect(anonymous.err).toContain('--operator');
    const verified = kiosk(['journal', 'verify', '--url', url, '--operator', 'B002', '--json'], '135790\n');
    expect(verified.code, verified.err).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ ok: true, problems: [] });
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
