/**
 * Start-up figures of the command lines, as ratios to `node -e 0` measured in the same run: a
 * counter command against a running kiosk (`kiosk query`), and the kiosk itself until it serves.
 * Whether the compiled build or the sources ran is part of each figure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error the launcher is plain JavaScript without type declarations
import { buildIsCurrent } from '../bin/launch.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/kiosk.js');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function timeRun(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  return performance.now() - t;
}

/** Starts `kiosk start` and resolves with the ms until it prints its URL, and the URL. */
function startKiosk(configFile: string): Promise<{ ms: number; url: string; stop: () => Promise<void> }> {
  const t = performance.now();
  const child = spawn(process.execPath, [BIN, '--config', configFile, 'start', '--log-format', 'json'], {
    env: { ...process.env, KIOSK_CONFIG: '' },
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /kiosk running: (http:\/\/\S+)/.exec(buf);
      if (m?.[1]) {
        const stop = () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          });
        resolve({ ms: performance.now() - t, url: m[1], stop });
      }
    });
    child.once('exit', (c) => reject(new Error(`kiosk exited ${c}: ${buf}`)));
  });
}

export async function benchStartup(runs = 5): Promise<Record<string, unknown>[]> {
  const mode = buildIsCurrent() ? 'compiled' : 'source';
  const nodeMs = median(Array.from({ length: runs }, () => timeRun(['-e', '0'])));
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-bench-start-'));
  const configFile = join(dir, 'kiosk.json');
  await writeFile(
    configFile,
    JSON.stringify({
      dataDir: join(dir, 'data'),
      http: { host: '127.0.0.1', port: 0 },
      hq: { mode: 'off' },
      devices: { display: { sim: { pngPath: null } } },
    }),
  );
  const ready: number[] = [];
  const counter: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const k = await startKiosk(configFile);
      ready.push(k.ms);
      counter.push(timeRun([BIN, 'query', '0000000001', '--url', k.url, '--json']));
      await k.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const figure = (name: string, value: number, target: string) => ({
    figure: name,
    mode,
    unit: 'ms',
    value: Math.round(value),
    baseline: Math.round(nodeMs),
    ratio: Number((value / nodeMs).toFixed(2)),
    target,
  });
  return [
    figure('cli.counter_command_vs_node', median(counter), '<= 5'),
    figure('kiosk.ready_vs_node', median(ready), '<= 10'),
  ];
}
