/**
 * Outbox drain benchmark: journal events relayed to a local Mosquitto and acknowledged by the
 * reference HQ (stored durably), against a bare mqtt QoS 1 publish loop of the same number of
 * messages of one event's size to the same broker, in alternating rounds of the same run.
 * `BENCH_RELAY='{"batchMax":200,"inflightMax":8,"ackTimeoutMs":15000}'` replaces `hq.relay` (to
 * compare window settings); the figure names the settings it ran with.
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

/** `n` QoS 1 publishes of `body`, each awaited (PUBACK) before the next. */
async function bareSequential(client: mqtt.MqttClient, n: number, body: Buffer): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) await client.publishAsync('bench/bare', body, { qos: 1 });
  return performance.now() - t;
}

/** `n` QoS 1 publishes of `body` with up to 100 awaiting their PUBACK. */
async function barePipelined(client: mqtt.MqttClient, n: number, body: Buffer): Promise<number> {
  const t = performance.now();
  const window: Array<Promise<unknown>> = [];
  for (let i = 0; i < n; i++) {
    window.push(client.publishAsync('bench/bare', body, { qos: 1 }));
    if (window.length >= 100) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
  return performance.now() - t;
}

/**
 * Resolves once the outbox is empty, as soon as the acknowledgement that empties it is recorded
 * (the journal's `ackOutbox` is wrapped: no polling interval in the figure).
 */
function drained(journal: Journal): Promise<void> {
  if (journal.outboxDepth() === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const original = journal.ackOutbox;
    journal.ackOutbox = async (seqs) => {
      await original.call(journal, seqs);
      if (journal.outboxDepth() === 0) {
        journal.ackOutbox = original;
        resolve();
      }
    };
  });
}

/**
 * Runs the benchmark; returns the figure (events per second). Each round drains `perRound` events
 * committed in one batch (timed from the commit's resolution, when the relay hears of them, to the
 * acknowledgement that empties the outbox), and publishes `perRound` messages of one event's size
 * in a bare loop, awaiting each PUBACK, and with 100 in flight; the three alternate in order from
 * round to round, so load on the machine falls on all of them alike.
 */
export async function benchOutbox(rounds = 20, perRound = 1000): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-outbox-'));
  const broker = await startBroker(dir);
  const logger = silentLogger();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const store = new LevelHqStore(join(dir, 'hq'));
  const journal = new Journal({ path: join(dir, 'journal'), stationId: STATION, clock: systemClock });
  let link: HqLink | undefined;
  let hq: HqServer | undefined;
  let bare: mqtt.MqttClient | undefined;
  try {
    await store.open();
    await journal.open();
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
          ...(process.env.BENCH_RELAY ? { relay: JSON.parse(process.env.BENCH_RELAY) } : {}),
        },
      },
    });
    link = new HqLink({
      config: () => config,
      journal,
      balance: new BalanceService(journal, () => config, logger),
      clock: systemClock,
      logger,
    });
    await link.start();
    bare = await mqtt.connectAsync(broker.url, { clientId: 'bench-bare', protocolVersion: 5, clean: true });
    let next = 1;
    const drainRound = async (): Promise<number> => {
      await journal.commit((b) => {
        for (let j = 0; j < perRound; j++) b.event({ type: 'system', info: sampleEvent(next++) });
      });
      const t = performance.now();
      await drained(journal);
      return performance.now() - t;
    };
    await link.whenOnline();
    await drainRound();
    const first = await journal.getEvent(1);
    const body = Buffer.alloc(Buffer.byteLength(JSON.stringify(first)), 'x');
    await bareSequential(bare, 100, body);
    await barePipelined(bare, 100, body);
    const ms = { drain: 0, sequential: 0, pipelined: 0 };
    const order = [
      ['drain', 'sequential', 'pipelined'],
      ['sequential', 'pipelined', 'drain'],
      ['pipelined', 'drain', 'sequential'],
    ] as const;
    for (let r = 0; r < rounds; r++) {
      for (const what of order[r % order.length] ?? []) {
        if (what === 'drain') ms.drain += await drainRound();
        else if (what === 'sequential') ms.sequential += await bareSequential(bare, perRound, body);
        else ms.pipelined += await barePipelined(bare, perRound, body);
      }
    }
    const n = rounds * perRound;
    const rate = (t: number) => Math.round((n / t) * 1000);
    return {
      figure: 'hq.outbox_drain_vs_bare_qos1',
      events: n,
      rounds,
      eventBytes: body.length,
      unit: 'events/s',
      value: rate(ms.drain),
      baseline: rate(ms.sequential),
      ratio: Number((ms.sequential / ms.drain).toFixed(3)),
      target: '>= 0.8',
      barePipelined: rate(ms.pipelined),
      ratioPipelined: Number((ms.pipelined / ms.drain).toFixed(3)),
      batchMax: config.hq.relay.batchMax,
      inflightMax: config.hq.relay.inflightMax,
      note: 'drain: journal events through the relay until HQ (same process, real Mosquitto) acknowledged every one after storing it durably; baseline: bare loop, one message of one event size per publish, each PUBACK awaited; barePipelined: 100 publishes in flight; measured in alternating rounds',
    };
  } finally {
    await bare?.endAsync();
    await link?.stop();
    await hq?.stop();
    await journal.close();
    await store.close();
    broker.proc.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-outbox.ts'))
  process.stdout.write(`${JSON.stringify(await benchOutbox(process.argv.includes('--quick') ? 6 : 20))}\n`);
