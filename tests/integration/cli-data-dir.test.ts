import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/kiosk-harness.ts';

const BIN = join(import.meta.dirname, '../../bin/kiosk.js');

/**
 * The kiosk runs as an unprivileged user in production; root may write anywhere, so as root the
 * commands run as `nobody` (setpriv) to meet the permissions a real kiosk user meets.
 */
function asKioskUser(args: string[]): { code: number | null; out: string; err: string } {
  const node = [process.execPath, BIN, ...args];
  const cmd =
    process.getuid?.() === 0
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node]
      : node;
  const r = spawnSync(cmd[0] as string, cmd.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, KIOSK_CONFIG: '' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('kiosk CLI: an unusable data folder is reported with its path, not a stack', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let readOnly: string;

  const configWith = async (name: string, dataDir: string): Promise<string> => {
    const file = join(dir.path, `${name}.json`);
    await writeFile(
      file,
      JSON.stringify({ dataDir, http: { host: '127.0.0.1', port: 0 }, hq: { mode: 'off' } }),
    );
    await chmod(file, 0o644);
    return file;
  };

  beforeAll(async () => {
    dir = await tempDir('kiosk-datadir-');
    await chmod(dir.path, 0o755);
    readOnly = join(dir.path, 'ro');
    await mkdir(join(readOnly, 'data'), { recursive: true });
    await chmod(join(readOnly, 'data'), 0o555);
    await chmod(readOnly, 0o555);
  });
  afterAll(async () => {
    await chmod(join(readOnly, 'data'), 0o755);
    await chmod(readOnly, 0o755);
    await dir.cleanup();
  });

  it('a read-only data folder: exit 4, the folder named, no stack trace', async () => {
    const data = join(readOnly, 'data');
    for (const args of [['journal', 'list'], ['start']]) {
      const r = asKioskUser(['--config', await configWith('ro', data), ...args]);
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.err).toContain(`dataDir: 数据目录 ${data} 不可用`);
      expect(r.err).toContain(`data folder ${data} is not usable: the folder is read-only or not writable`);
      expect(r.err).not.toContain('Database failed to open');
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  }, 120_000);

  it('a missing data folder under a read-only parent: exit 4, the parent named, no stack trace', async () => {
    const data = join(readOnly, 'missing', 'data');
    for (const args of [['journal', 'list'], ['start']]) {
      const r = asKioskUser(['--config', await configWith('missing', data), ...args]);
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.err).toContain(`data folder ${data} is not usable`);
      expect(r.err).toContain(`because ${readOnly} is read-only or not writable`);
      expect(r.err).not.toContain('EACCES: permission denied, mkdir');
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
