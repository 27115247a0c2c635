/**
 * Fleet simulation (`npm run fleet -- --kiosks N [--txns T] [--workers W]`): N simulated kiosks (a
 * few processes, no devices) over a real Mosquitto with the shipped configuration and a certificate
 * each, against two reference HQ instances sharing one PostgreSQL database and the broker's shared
 * subscription; a mixed load of T sales per kiosk; one HQ instance SIGKILLed when half the sales are
 * done. Then every kiosk's balance is compared with HQ's account of it, to the fen.
 * Prints ONE JSON line: throughput, p50/p99 transaction latency (sale created to final state),
 * outcomes (a sale refused before it started, e.g. its inquiry timing out while HQ died, is counted
 * as `refused:<code>`) and the ledger check; exits 1 on any ledger difference, on a sale that never
 * resolves, or when nothing succeeded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Accounts } from '../src/reference-hq/accounts.ts';
import { PgHqStore } from '../src/reference-hq/store-pg.ts';
import { atChosenTime } from '../tests/support/chosen-time.ts';
import { testSigningKey } from '../tests/support/hq-instance.ts';
import { Mosquitto, makePki } from '../tests/support/mosquitto.ts';
import { type PostgresCluster, startPostgres } from '../tests/support/postgres.ts';
import { until } from '../tests/support/wait.ts';
import { parseFleetArgs } from './fleet/fleet-args.ts';
import { ledgerCheck, percentile } from './fleet/fleet-ledger.ts';
import { kioskProcessFiles, parseOpenFilesLimit } from './fleet/fleet-limits.ts';
import type { WorkerMessage, WorkerOptions } from './fleet/fleet-protocol.ts';

const OPENING_FEN = 1000_00;
const HQ_CHILD = join(import.meta.dirname, '..', 'tests', 'support', 'hq-child.ts');
const WORKER = join(import.meta.dirname, 'fleet', 'fleet-worker.ts');
const started = performance.now();
/** Progress on stderr, with the seconds since the start. */
const log = (s: string) =>
  process.stderr.write(`fleet: [${((performance.now() - started) / 1000).toFixed(1)} s] ${s}\n`);

const args = parseFleetArgs(process.argv.slice(2));
if ('errors' in args) {
  for (const e of args.errors) process.stderr.write(`${e}\n`);
  process.exit(2);
}
const { kiosks: N, txns, workers: W } = args;
const limit = parseOpenFilesLimit(await readFile('/proc/self/limits', 'utf8').catch(() => ''));
const files = limit ? kioskProcessFiles(Math.ceil(N / W), limit) : { raiseTo: null };
if ('error' in files) {
  process.stderr.write(`${files.error}\n`);
  process.exit(2);
}
const dir = await mkdtemp(join(tmpdir(), 'kiosk-fleet-'));
const children: ChildProcess[] = [];
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
let broker: Mosquitto | undefined;
let pg: PostgresCluster | undefined;

/**
 * Stops everything this run started. Each child also ends by itself when this process dies
 * (SIGKILL included): the kiosk processes and HQ instances when their IPC channel closes, Mosquitto
 * and PostgreSQL by their parent-death signal; this removes the files as well.
 */
let cleaning: Promise<void> | undefined;
const cleanup = () => {
  cleaning ??= (async () => {
    for (const c of children) if (alive(c)) c.kill('SIGKILL');
    await broker?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  })();
  return cleaning;
};
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.once(signal, () => {
    log(`${signal}: stopping everything`);
    void cleanup().finally(() => process.exit(code));
  });

try {
  log(`files in ${dir}`);
  pg = await startPostgres();
  log(`PostgreSQL (pid ${pg.pid}) in ${pg.dir}`);
  const storeUrl = await pg.createDatabase('hq');
  const stations = Array.from({ length: N }, (_, i) => String(33_010_001 + i));
  log(`issuing ${N} kiosk certificates`);
  // EC P-256 keys: a fraction of RSA-2048's cost to make, the same mutual TLS and CN identity.
  const pki = await makePki(join(dir, 'pki'), [...stations, 'hq'], { key: 'ec-p256' });
  broker = new Mosquitto(pki);
  await broker.start();
  const brokerUrls = { kiosks: broker.url, hq: broker.hqUrl };
  const key = testSigningKey();
  const signingKeyFile = join(dir, 'hq-signing.key');
  await writeFile(signingKeyFile, key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), {
    mode: 0o600,
  });
  const hqCert = pki.client('hq');
  const startHq = async (name: string): Promise<ChildProcess> => {
    const opts = {
      url: brokerUrls.hq,
      ca: pki.ca,
      cert: hqCert.cert,
      key: hqCert.key,
      dataDir: join(dir, `hq-${name}`),
      signingKeyFile,
      openingBalanceFen: OPENING_FEN,
      name,
      store: storeUrl,
      billerLatencyMs: 20,
    };
    const at = atChosenTime(process.execPath, ['--import', 'tsx', HQ_CHILD, JSON.stringify(opts)]);
    // The IPC channel only tells the instance when this process is gone.
    const child = spawn(at.cmd, at.args, { env: at.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    await until(
      () => {
        if (!alive(child)) throw new Error(`HQ ${name} exited: ${err}`);
        return out.includes('ready');
      },
      120_000,
      `HQ ${name} to start`,
    );
    return child;
  };
  const [hqA] = await Promise.all([startHq('a'), startHq('b')]);
  log(`2 HQ instances on PostgreSQL; starting ${N} kiosks in ${W} processes`);

  const workers = Array.from({ length: W }, (_, w) => {
    const mine = stations.filter((_, i) => i % W === w);
    const opts: WorkerOptions = {
      dir: join(dir, 'kiosks'),
      brokerUrl: brokerUrls.kiosks,
      ca: pki.ca,
      hqPublicKey: key.publicPem,
      stations: mine.map((s) => ({ station: s, ...pki.client(s) })),
      openingFen: OPENING_FEN,
      txnsPerKiosk: txns,
      thinkMs: 300,
      startSpreadMs: 200,
    };
    const node = [process.execPath, '--import', 'tsx', WORKER, JSON.stringify(opts)];
    // A process may raise its own soft limit up to the hard one: the shell does, then becomes node.
    const argv = files.raiseTo
      ? ['/bin/sh', '-c', `ulimit -n ${files.raiseTo} && exec "$0" "$@"`, ...node]
      : node;
    const at = atChosenTime(argv[0]!, argv.slice(1));
    const child = spawn(at.cmd, at.args, { env: at.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    children.push(child);
    const state = { child, ready: false, done: 0, result: undefined as WorkerMessage | undefined, err: '' };
    child.stderr?.on('data', (d: Buffer) => {
      state.err = (state.err + d.toString()).slice(-4000);
    });
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') state.ready = true;
      if (m.type === 'progress') state.done = m.done;
      if (m.type === 'result') state.result = m;
    });
    return state;
  });
  await mkdir(join(dir, 'kiosks'), { recursive: true });
  const check = () => {
    for (const w of workers) if (!alive(w.child)) throw new Error(`a kiosk process exited: ${w.err}`);
  };
  await until(
    () => {
      check();
      return workers.every((w) => w.ready);
    },
    900_000,
    'every kiosk online and funded',
  );

  const total = N * txns;
  log(`load: ${total} sales; HQ a is killed at ${Math.ceil(total / 2)}`);
  const t0 = performance.now();
  for (const w of workers) w.child.send({ type: 'go' });
  let killedAt: number | null = null;
  let loadEnd = 0;
  await until(
    () => {
      check();
      const done = workers.reduce((n, w) => n + w.done, 0);
      if (killedAt === null && done >= total / 2) {
        hqA.kill('SIGKILL');
        killedAt = done;
      }
      if (done >= total && loadEnd === 0) loadEnd = performance.now();
      return workers.every((w) => w.result);
    },
    1_800_000,
    'the load to finish and settle',
  );
  const results = workers.map((w) => w.result as Extract<WorkerMessage, { type: 'result' }>);
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const outcomes: Record<string, number> = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;

  const store = new PgHqStore(storeUrl);
  await store.open();
  const accounts = new Accounts(store, Date.now, OPENING_FEN);
  const hqFen = new Map<string, number>();
  for (const s of stations) hqFen.set(s, (await accounts.get(s)).balanceFen);
  await store.close();
  const ledger = ledgerCheck(Object.assign({}, ...results.map((r) => r.balances)), hqFen);
  for (const d of ledger.details) log(`ledger difference: ${JSON.stringify(d)}`);
  const seconds = ((loadEnd || performance.now()) - t0) / 1000;
  const report = {
    kiosks: N,
    processes: W,
    hqInstances: 2,
    store: 'postgresql',
    sales: total,
    transactions: latencies.length,
    outcomes,
    hqKilledAfter: killedAt,
    seconds: Math.round(seconds * 10) / 10,
    throughputPerSec: Math.round((latencies.length / seconds) * 10) / 10,
    latencyMs: { p50: Math.round(percentile(latencies, 0.5)), p99: Math.round(percentile(latencies, 0.99)) },
    ledger: { checked: ledger.checked, differences: ledger.differences, diffFen: ledger.diffFen },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  for (const w of workers) if (alive(w.child)) w.child.send({ type: 'stop' });
  await until(() => workers.every((w) => !alive(w.child)), 60_000, 'the kiosks to stop').catch(
    () => undefined,
  );
  await cleanup();
  process.exit(ledger.differences === 0 && (outcomes.succeeded ?? 0) > 0 ? 0 : 1);
} catch (e) {
  process.stderr.write(`fleet: ${e instanceof Error ? e.message : String(e)}\n`);
  await cleanup().catch(() => undefined);
  process.exit(1);
}
