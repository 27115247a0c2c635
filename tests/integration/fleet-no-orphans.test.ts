import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProcessEntry, processGroup, stillRunning } from '../support/process-group.ts';
import { until } from '../support/wait.ts';

const FLEET = join(import.meta.dirname, '..', '..', 'scripts', 'fleet.ts');
/** Generous bounds for a loaded machine: set-up of the whole fleet, and every process's exit. */
const STARTED_MS = 300_000;
const GONE_MS = 120_000;
const TEST_MS = STARTED_MS + GONE_MS + 60_000;

interface Run {
  child: ChildProcess;
  err: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let run: Run | undefined;

/** The fleet in a process group of its own (its pid is the group's id), with a load that lasts. */
function startFleet(): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', FLEET, '--kiosks', '2', '--workers', '2', '--txns', '1000'],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const r: Run = {
    child,
    err: '',
    exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.stderr?.on('data', (d: Buffer) => {
    r.err += d.toString();
  });
  return r;
}

/** Once the load runs: every process of the fleet's group, and the folders it announced. */
async function midway(r: Run): Promise<{ procs: ProcessEntry[]; dirs: string[] }> {
  await until(
    () => {
      if (r.child.exitCode !== null) throw new Error(`the fleet exited early: ${r.err}`);
      return r.err.includes('load:');
    },
    STARTED_MS,
    'the fleet to start its load',
  );
  const dirs = [...r.err.matchAll(/(?:files|PostgreSQL \(pid \d+\)) in (\S+)/g)].map((m) => m[1]!);
  return { procs: processGroup(r.child.pid ?? 0), dirs };
}

/** Waits (bounded) for every one of `procs` to exit; returns those still running. */
async function survivors(procs: ProcessEntry[]): Promise<string[]> {
  await until(() => procs.every((p) => !stillRunning(p)), GONE_MS, 'the fleet’s processes to exit').catch(
    () => undefined,
  );
  return procs.filter(stillRunning).map((p) => `${p.pid} ${p.command.slice(0, 100)}`);
}

afterEach(async () => {
  // A case that failed midway leaves its group running; a group already gone is nothing to clean.
  const pid = run?.child.pid;
  if (pid && processGroup(pid).length > 0) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  run = undefined;
});

describe('npm run fleet leaves nothing running when it is killed', () => {
  it(
    'SIGKILL of the fleet process: the kiosk processes, both HQ instances, Mosquitto and PostgreSQL exit',
    async () => {
      run = startFleet();
      const { procs, dirs } = await midway(run);
      const commands = procs.map((p) => p.command).join('\n');
      // The whole fleet is in the group: what must go away is really listed.
      expect(commands.match(/fleet-worker\.ts/g)).toHaveLength(2);
      expect(commands.match(/hq-child\.ts/g)).toHaveLength(2);
      expect(commands).toMatch(/^mosquitto /m);
      expect(commands).toMatch(/postgres -D/);
      process.kill(run.child.pid ?? 0, 'SIGKILL');
      await run.exit;
      expect(await survivors(procs)).toEqual([]);
      expect(processGroup(run.child.pid ?? 0).map((p) => p.command)).toEqual([]);
      // Nothing cleans up after a SIGKILL: the announced folders are the only remains.
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
    TEST_MS,
  );

  it(
    'SIGTERM: it stops everything, removes its files and exits 143',
    async () => {
      run = startFleet();
      const { procs } = await midway(run);
      expect(procs.length).toBeGreaterThanOrEqual(6);
      process.kill(run.child.pid ?? 0, 'SIGTERM');
      expect(await run.exit).toEqual({ code: 143, signal: null });
      expect(await survivors(procs)).toEqual([]);
      expect(run.err).toContain('SIGTERM: stopping everything');
    },
    TEST_MS,
  );
});
