/**
 * Resident memory of the kiosk process after many transactions: in broker mode (Mosquitto and the
 * reference HQ in their own processes, as in production) against the target, with the embedded
 * mode (broker and reference HQ inside the kiosk process) beside it. The kiosk is the real
 * `bin/kiosk.js start` process; transactions go through its local API, 16 at a time, each
 * followed to its final state; RSS is read from /proc/<pid>/status once every one is final.
 *
 * `node --import tsx scripts/bench-memory.ts [N]` runs it alone.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error the launcher is plain JavaScript without type declarations
import { buildIsCurrent } from '../bin/launch.js';
import { ChaosStack } from '../tests/support/chaos-stack.ts';
import { KioskProcess } from '../tests/support/kiosk-process.ts';
import { unitSettings } from '../tests/support/unit-settings.ts';
import { until } from '../tests/support/wait.ts';

const LANES = 16;

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
}

/** Refused sales, counted by HTTP status and error code ("503 KIOSK_E_…"). */
type Refusals = Record<string, number>;

/** Sells `n` water bills of 0.01 through the kiosk's API, each followed until it is final. */
async function sell(
  kiosk: KioskProcess,
  n: number,
): Promise<{ ms: number; failed: number; refusals: Refusals }> {
  let next = 0;
  let failed = 0;
  const refusals: Refusals = {};
  const lane = async () => {
    while (next < n) {
      next++;
      const r = await kiosk.api('POST', '/api/services/water-bill/transactions', {
        account: '55501234',
        amount: '0.01',
      });
      if (r.status !== 201) {
        failed++;
        const why = `${r.status} ${(r.body as { code?: string } | undefined)?.code ?? ''}`.trim();
        refusals[why] = (refusals[why] ?? 0) + 1;
        continue;
      }
      const serial = r.body.serial as string;
      for (;;) {
        const t = await kiosk.api('GET', `/api/transactions/${serial}`);
        if (t.body?.terminal === true) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: LANES }, lane));
  return { ms: performance.now() - t0, failed, refusals };
}

async function measure(
  mode: 'broker' | 'embedded',
  n: number,
  nodeArgs: string[],
): Promise<{ idle: number; after: number; ms: number; failed: number; refusals: Refusals }> {
  const dir = await mkdtemp(join(tmpdir(), `kiosk-bench-mem-${mode}-`));
  const stack = new ChaosStack(dir, nodeArgs);
  let kiosk: KioskProcess | undefined;
  try {
    if (mode === 'broker') {
      await stack.start();
      kiosk = stack.kiosk;
    } else {
      kiosk = new KioskProcess(join(dir, 'kiosk.json'), {
        stationId: '33010001',
        dataDir: join(dir, 'data'),
        hq: { mode: 'embedded', embedded: { dataDir: join(dir, 'hq'), openingBalance: '1000.00' } },
      });
      kiosk.nodeArgs = nodeArgs;
      await kiosk.prepare();
      await kiosk.start();
    }
    const k = kiosk;
    await until(
      async () => Number((await k.api('GET', '/api/balance').catch(() => null))?.body?.balance ?? 0) > 0,
      120_000,
      'the opening balance',
    ).catch((e: unknown) => {
      throw new Error(`${(e as Error).message} (${mode}): ${k.stderr}`);
    });
    const pid = k.child?.pid as number;
    const idle = await rssBytes(pid);
    const run = await sell(k, n);
    const after = await rssBytes(pid);
    return { idle, after, ms: run.ms, failed: run.failed, refusals: run.refusals };
  } finally {
    if (kiosk && kiosk !== stack.kiosk) await kiosk.kill().catch(() => undefined);
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (b: number) => Number((b / 1024 / 1024).toFixed(1));

/** The figure for `npm run bench`. */
export async function benchMemory(n: number): Promise<Record<string, unknown>> {
  // The kiosk processes inherit it (KioskProcess passes this process's environment on).
  const { env: unitEnv, nodeArgs } = await unitSettings();
  Object.assign(process.env, unitEnv);
  const broker = await measure('broker', n, nodeArgs);
  const embedded = await measure('embedded', n, nodeArgs);
  return {
    figure: 'kiosk.rss_after_transactions',
    transactions: n,
    unit: 'MB',
    value: mb(broker.after),
    idle: mb(broker.idle),
    embedded: mb(embedded.after),
    embeddedIdle: mb(embedded.idle),
    failed: broker.failed + embedded.failed,
    refusals: { broker: broker.refusals, embedded: embedded.refusals },
    transactionsPerSecond: Math.round((n / broker.ms) * 1000),
    env: unitEnv,
    nodeArgs,
    run: buildIsCurrent() ? 'compiled' : 'source (tsx in the process: build first for the production figure)',
    target: '< 120 (broker mode)',
    note: 'value: broker mode (Mosquitto and the reference HQ in their own processes); embedded: broker and HQ inside the kiosk process; resident set of the kiosk process once every transaction is final',
  };
}

if (process.argv[1]?.endsWith('bench-memory.ts'))
  process.stdout.write(`${JSON.stringify(await benchMemory(Number(process.argv[2] ?? 10_000)))}\n`);
