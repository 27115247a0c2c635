/**
 * Outbox drain benchmark: a backlog of journal events relayed to a local Mosquitto and
 * acknowledged by the reference HQ (stored durably), against a bare mqtt QoS 1 publish loop of the
 * same number of messages of the same size to the same broker, in the same run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { BalanceService } from '../src/balance/balance-service.ts';
import { loadConfig } from '../src/config/load.ts';
import { systemClock } from '../src/core/clock.ts';
import { HqLink } from '../src/hq-link/link.ts';
import { Journal } from '../src/journal/journal.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { HqServer } from '../src/reference-hq/server.ts';
import { LevelHqStore } from '../src/reference-hq/store-level.ts';

const STATION = '33019901';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startBroker(dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const conf = join(dir, 'bench.conf');
  await writeFile(
    conf,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\nset_tcp_nodelay true\nuser root\n`,
  );
  const proc = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return { url: `mqtt://127.0.0.1:${port}`, proc };
}

function sampleEvent(i: number): Record<string, unknown> {
  return {
    serial: String(i).padStart(10, '0'),
    txn: {
      v: 1,
      serial: String(i).padStart(10, '0'),
      idempotencyKey: '0b6d8f0e-5a57-4b2e-9a43-2a1f2c9d7e11',
      service: 'mobile-topup',
      state: 'querying',
      fields: { phone: '13800138000' },
      amountFen: 5000,
      feeFen: 0,
      data: { billerRef: 'MOBLX2A9F000123' },
      attempts: 1,
      generation: 0,
      alerts: [],
    },
  };
}

async function barePublish(
  url: string,
  n: number,
  size: number,
): Promise<{ sequentialMs: number; pipelinedMs: number }> {
  const client = await mqtt.connectAsync(url, { clientId: 'bench-bare', protocolVersion: 5, clean: true });
  const body = Buffer.alloc(size, 'x');
  let t = performance.now();
  for (let i = 0; i < n; i++) await client.publishAsync('bench/bare', body, { qos: 1 });
  const sequentialMs = performance.now() - t;
  t = performance.now();
  const window: Array<Promise<unknown>> = [];
  for (let i = 0; i < n; i++) {
    window.push(client.publishAsync('bench/bare', body, { qos: 1 }));
    if (window.length >= 100) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
  const pipelinedMs = performance.now() - t;
  await client.endAsync();
  return { sequentialMs, pipelinedMs };
}

/** Runs the benchmark; returns the figures (events per second). */
export async function benchOutbox(n = 10_000): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-outbox-'));
  const broker = await startBroker(dir);
  const logger = silentLogger();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const store = new LevelHqStore(join(dir, 'hq'));
  const journal = new Journal({ path: join(dir, 'journal'), stationId: STATION, clock: systemClock });
  let link: HqLink | undefined;
  let hq: HqServer | undefined;
  try {
    await store.open();
    await journal.open();
    for (let i = 0; i < n; i += 100) {
      await journal.commit((b) => {
        for (let j = i; j < Math.min(n, i + 100); j++) b.event({ type: 'system', info: sampleEvent(j + 1) });
      });
    }
    const first = await journal.getEvent(1);
    const size = Buffer.byteLength(JSON.stringify(first));
    const bare = await barePublish(broker.url, n, size);

    hq = new HqServer({
      url: broker.url,
      protocolVersion: 5,
      clientId: 'bench-hq',
      topicPrefix: 'kiosk',
      shareGroup: 'hq',
      signingKey: privateKey,
      store,
      clock: systemClock,
      logger,
      billerLatencyMs: 0,
      settleMs: 1000,
      reversalIntervalMin: 30,
      openingBalanceFen: 0,
    });
    await hq.start();
    const { config } = await loadConfig({
      overrides: {
        stationId: STATION,
        dataDir: dir,
        hq: {
          mode: 'broker',
          brokerUrl: broker.url,
          publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        },
      },
    });
    const l = new HqLink({
      config: () => config,
      journal,
      balance: new BalanceService(journal, () => config, logger),
      clock: systemClock,
      logger,
    });
    link = l;
    const t0 = performance.now();
    await l.start();
    while ((await journal.outboxSeqs(0, 1)).length > 0) await new Promise((r) => setTimeout(r, 5));
    const drainMs = performance.now() - t0;
    const rate = (ms: number) => Math.round((n / ms) * 1000);
    return {
      figure: 'hq.outbox_drain_vs_bare_qos1',
      events: n,
      eventBytes: size,
      unit: 'events/s',
      value: rate(drainMs),
      baseline: rate(bare.sequentialMs),
      ratio: Number((bare.sequentialMs / drainMs).toFixed(3)),
      barePipelined: rate(bare.pipelinedMs),
      ratioPipelined: Number((bare.pipelinedMs / drainMs).toFixed(3)),
      batchMax: config.hq.relay.batchMax,
      inflightMax: config.hq.relay.inflightMax,
      note: 'drain: until HQ (same process) acknowledged every event after storing it durably; baseline: bare loop publish + await PUBACK; barePipelined: 100 publishes in flight',
      target: '>= 0.8',
    };
  } finally {
    await link?.stop();
    await hq?.stop();
    await journal.close();
    await store.close();
    broker.proc.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-outbox.ts'))
  process.stdout.write(`${JSON.stringify(await benchOutbox())}\n`);
