import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = '/usr/lib/postgresql';

/** A throw-away PostgreSQL cluster in a temporary folder, reached over its Unix socket only. */
export interface PostgresCluster {
  dir: string;
  /** The postmaster's process id. */
  pid: number;
  /** Connection URL of the `postgres` database as the superuser `kiosk`. */
  url: string;
  /** A new, empty database's URL (one per store under test). */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The newest PostgreSQL server binaries of Debian's `postgresql` package. Throws, naming the
 * package and the installer, when there are none: suites that need PostgreSQL fail, never skip.
 */
export async function postgresBinDir(): Promise<string> {
  const versions = (await readdir(ROOT).catch(() => [] as string[]))
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(ROOT, v, 'bin');
    if ((await readdir(bin).catch(() => [] as string[])).includes('pg_ctl')) return bin;
  }
  throw new Error(
    `PostgreSQL server not found under ${ROOT}/<version>/bin: install Debian's "postgresql" package ` +
      '(bash scripts/system-deps.sh --install, or: sudo apt-get install --no-install-recommends postgresql)',
  );
}

/**
 * initdb, then the postmaster in the foreground as this process's child, in a fresh temporary folder
 * (inside `parent` when given), trust authentication, no TCP listener (the socket is in the folder, so
 * clusters of parallel suites never meet). PostgreSQL refuses to run as root: as root the cluster
 * runs as the `postgres` user (created by the package), else as the caller. The postmaster is
 * started through `setpriv --pdeathsig SIGQUIT`, so it shuts down (immediate mode) when this process
 * dies, however it dies: a killed suite or fleet leaves no database server behind.
 */
export async function startPostgres(opts: { parent?: string } = {}): Promise<PostgresCluster> {
  const bin = await postgresBinDir();
  const dir = await mkdtemp(join(opts.parent ?? tmpdir(), 'kiosk-pg-'));
  const asUser = process.getuid?.() === 0 ? postgresUser() : null;
  if (asUser) {
    await chown(dir, asUser.uid, asUser.gid);
    await chmod(dir, 0o700);
  }
  // PostgreSQL runs on the real clock: it only stores what HQ writes (HQ's times come from HQ's own
  // clock), and a suite started at a chosen time through a preloaded libfaketime would otherwise
  // hand it to the postgres user, who cannot open the shared-memory semaphore root's libfaketime made.
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'LD_PRELOAD' || k.startsWith('FAKETIME')) delete env[k];
  const pgRun = async (tool: string, args: string[]) => {
    const cmd = asUser ? 'runuser' : join(bin, tool);
    const argv = asUser ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    try {
      await run(cmd, argv, { cwd: dir, env, timeout: 120_000 });
    } catch (e) {
      const log = await readFile(join(dir, 'log'), 'utf8').catch(() => '');
      throw new Error(`${tool} failed: ${(e as { stderr?: string }).stderr ?? e}\n${log.slice(-2000)}`);
    }
  };
  await pgRun('initdb', ['-D', join(dir, 'db'), '-A', 'trust', '-U', 'kiosk', '-E', 'UTF8', '--no-sync']);
  const server = [
    join(bin, 'postgres'),
    '-D',
    join(dir, 'db'),
    '-k',
    dir,
    '-c',
    'listen_addresses=',
    '-c',
    'fsync=on',
    '-c',
    'max_connections=200',
  ];
  // setpriv execs the postmaster in place (no process in between), so its pid is the postmaster's.
  const user = asUser ? ['--reuid=postgres', '--regid=postgres', '--init-groups'] : [];
  const proc = spawn('setpriv', [...user, '--pdeathsig', 'SIGQUIT', '--', ...server], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const running = () => proc.exitCode === null && proc.signalCode === null;
  const ready = async () => {
    if (!running()) throw new Error(`postgres exited (${proc.exitCode ?? proc.signalCode}): ${log}`);
    const r = await run(join(bin, 'pg_isready'), ['-h', dir, '-U', 'kiosk', '-q'], { env }).then(
      () => true,
      () => false,
    );
    return r;
  };
  const end = Date.now() + 120_000;
  while (!(await ready())) {
    if (Date.now() > end) {
      proc.kill('SIGKILL');
      throw new Error(`postgres did not accept connections within 120 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const urlOf = (db: string) => `postgresql://kiosk@/${db}?host=${encodeURIComponent(dir)}`;
  return {
    dir,
    pid: proc.pid ?? 0,
    url: urlOf('postgres'),
    async createDatabase(name) {
      await pgRun('createdb', ['-h', dir, '-U', 'kiosk', name]);
      return urlOf(name);
    },
    async stop() {
      // SIGQUIT: immediate shutdown, as `pg_ctl -m immediate stop`; the data is thrown away anyway.
      if (running()) {
        proc.kill('SIGQUIT');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0)
    throw new Error(
      'PostgreSQL will not run as root and there is no "postgres" user: install Debian\'s "postgresql" package',
    );
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}
