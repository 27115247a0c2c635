import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { localInstant } from '../../src/core/business-day.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { Journal } from '../../src/journal/journal.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { StationMonthlyReport } from '../../src/reference-hq/journals.ts';
import { type MonthlyPushRecord, monthlyPushKey } from '../../src/settlement/monthly-push.ts';
import { atChosenTime } from '../support/chosen-time.ts';
import type { HqChildOptions } from '../support/hq-child.ts';
import { testSigningKey } from '../support/hq-instance.ts';
import { KioskProcess } from '../support/kiosk-process.ts';
import { Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';
import { until } from '../support/wait.ts';
import { txn } from '../unit/reports/fixtures.ts';

const HQ_CHILD = join(import.meta.dirname, '../support/hq-child.ts');
const KIOSK_HQ = join(import.meta.dirname, '../../bin/kiosk-hq.js');
const run = promisify(execFile);

/** One station per point of the push at which its kiosk is SIGKILLed. */
const BEFORE_SEND = '33010011';
const BEFORE_ACK = '33010012';
const AFTER_ACK = '33010013';
const STATIONS = [BEFORE_SEND, BEFORE_ACK, AFTER_ACK];

/**
 * Chosen times: November's sales are written on the 15th; every kiosk process starts just after the
 * 21:00 cut on 30 November (the first business date of December, so November is due), and each
 * restart ten minutes later than the run before it, so a station's clock never goes back.
 */
const CUT = localInstant('20261130', '21:00');
const startAt = (run: number) => CUT + 5_000 + run * 600_000;

/** What a message on the broker says about the monthly report and the outbox, if anything. */
function monthlySeqIn(payload: unknown): number | null {
  if (!payload || typeof payload !== 'object') return null;
  const o = payload as Record<string, unknown>;
  const info = o.info as { kind?: string; period?: string } | undefined;
  if (info?.kind === 'monthly-report' && info.period === '202611' && typeof o.seq === 'number') return o.seq;
  for (const v of Object.values(o)) {
    const found = monthlySeqIn(v);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The monthly report (每月结报) under a real SIGKILL of the real kiosk process at each point of its
 * push: recorded but not sent (broker down), sent but not acknowledged (HQ down), acknowledged.
 * Every station's November is stored at HQ exactly once (`kiosk-hq stats reported`), and no kiosk
 * records it a second time after its restart.
 */
describe('monthly report survives a SIGKILL at each point of its push', () => {
  let dir: string;
  let pki: Pki;
  let broker: Mosquitto;
  let hq: ChildProcess | undefined;
  let hqOpts: HqChildOptions;
  let publicPem: string;
  let observer: mqtt.MqttClient | undefined;
  const seen: Array<{ topic: string; body: unknown }> = [];
  const kiosks = new Map<string, KioskProcess>();

  const startHq = async (at: number) => {
    const cmd = atChosenTime(
      process.execPath,
      ['--import', 'tsx', HQ_CHILD, JSON.stringify(hqOpts)],
      process.env,
      at,
    );
    const child = spawn(cmd.cmd, cmd.args, { env: cmd.env, stdio: ['ignore', 'pipe', 'pipe'] });
    hq = child;
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
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`HQ exited: ${err}`);
        return out.includes('ready');
      },
      60_000,
      'HQ to start',
    );
  };

  const killHq = async () => {
    const c = hq;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };

  /** The kiosk's journal, read while its process is down. */
  const offline = async <T>(station: string, fn: (j: Journal) => Promise<T>): Promise<T> => {
    const j = new Journal({
      path: join(dir, station, 'data'),
      stationId: station,
      clock: new ManualClock(startAt(2)),
    });
    await j.open();
    try {
      return await fn(j);
    } finally {
      await j.close();
    }
  };

  const monthlyEvents = (station: string) =>
    offline(station, async (j) => {
      const seqs: number[] = [];
      for await (const ev of j.events(1))
        if ((ev.info as { kind?: string } | undefined)?.kind === 'monthly-report') seqs.push(ev.seq);
      return seqs;
    });

  const reported = async (): Promise<StationMonthlyReport[]> => {
    const hqCert = pki.client('hq');
    const { stdout } = await run(
      process.execPath,
      [
        KIOSK_HQ,
        'stats',
        'reported',
        '--month',
        '202611',
        '--json',
        '--broker',
        broker.hqUrl,
        '--ca',
        pki.ca,
        '--cert',
        hqCert.cert,
        '--key',
        hqCert.key,
      ],
      { timeout: 60_000 },
    );
    return JSON.parse(stdout) as StationMonthlyReport[];
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-monthly-kill-'));
    pki = await makePki(join(dir, 'pki'), [...STATIONS, 'hq']);
    broker = new Mosquitto(pki);
    await broker.start();
    const key = testSigningKey();
    publicPem = key.publicPem;
    const signingKeyFile = join(dir, 'hq-signing.key');
    await writeFile(signingKeyFile, key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), {
      mode: 0o600,
    });
    const hqCert = pki.client('hq');
    hqOpts = {
      url: broker.hqUrl,
      ca: pki.ca,
      cert: hqCert.cert,
      key: hqCert.key,
      dataDir: join(dir, 'hq'),
      signingKeyFile,
      openingBalanceFen: 1000_00,
      name: 'monthly',
    };
    await startHq(CUT);
    for (const station of STATIONS) {
      const cert = pki.client(station);
      const k = new KioskProcess(join(dir, station, 'kiosk.json'), {
        stationId: station,
        dataDir: join(dir, station, 'data'),
        hq: {
          mode: 'broker',
          brokerUrl: broker.url,
          protocolVersion: 5,
          tls: { ca: pki.ca, cert: cert.cert, key: cert.key },
          publicKey: publicPem,
          requestTimeoutMs: 3000,
          telemetryIntervalMs: 1000,
        },
      });
      await mkdir(join(dir, station), { recursive: true });
      await k.prepare({ teller: false });
      // Two November sales, written at their own time before any process runs.
      const clock = new ManualClock(localInstant('20261115', '10:00'));
      const app = new KioskApp({ configFile: k.configFile, logger: silentLogger(), http: false, clock });
      await app.open();
      for (const amountFen of [30_00, 12_50])
        await app.journal.commit((b) => {
          const serial = b.nextSerial();
          const t = txn({
            serial,
            idempotencyKey: `k${serial}`,
            stationId: station,
            service: 'water-bill',
            businessDate: '20261115',
            createdAt: b.at,
            updatedAt: b.at,
            stateSince: b.at,
            fields: { account: '12345678' },
            amountFen,
            feeFen: 100,
          });
          b.event({ type: 'txn.transition', serial, from: 'paying', outcome: 'ok', txn: t });
          b.putTxn(t);
        });
      await app.journal.close();
      kiosks.set(station, k);
    }
    const hqCertFiles = pki.client('hq');
    observer = await mqtt.connectAsync(broker.hqUrl, {
      protocolVersion: 5,
      clientId: 'hq-observer',
      ca: await readFile(pki.ca),
      cert: await readFile(hqCertFiles.cert),
      key: await readFile(hqCertFiles.key),
      reconnectPeriod: 500,
    });
    observer.on('message', (topic, payload) => {
      try {
        seen.push({ topic, body: JSON.parse(payload.toString()) });
      } catch {
        // not JSON: not a message this suite follows
      }
    });
    await observer.subscribeAsync(STATIONS.map((s) => `kiosk/v1/${s}/up/#`));
  }, 180_000);

  afterAll(async () => {
    for (const k of kiosks.values()) await k.kill().catch(() => undefined);
    await observer?.endAsync(true).catch(() => undefined);
    await killHq().catch(() => undefined);
    await broker?.stop().catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sentMonthly = (station: string): number | null => {
    for (const m of seen)
      if (m.topic === `kiosk/v1/${station}/up/journal`) {
        const seq = monthlySeqIn(m.body);
        if (seq !== null) return seq;
      }
    return null;
  };

  it('is reported once per station whether killed before sending, before the ack or after it', async () => {
    // After the ack: HQ and broker up. Killed once a telemetry shows the outbox past the report.
    const afterAck = kiosks.get(AFTER_ACK)!;
    await afterAck.start(60_000, startAt(0));
    await until(() => sentMonthly(AFTER_ACK) !== null, 60_000, 'the report on the wire');
    const ackedSeq = sentMonthly(AFTER_ACK)!;
    await until(
      () =>
        seen.some((m) => {
          if (m.topic !== `kiosk/v1/${AFTER_ACK}/up/telemetry`) return false;
          const o = (m.body as { outbox?: { oldestSeq: number | null; lastSeq: number } }).outbox;
          return !!o && o.lastSeq >= ackedSeq && (o.oldestSeq === null || o.oldestSeq > ackedSeq);
        }),
      60_000,
      'the kiosk to take HQ’s ack',
    );
    await afterAck.kill();
    await offline(AFTER_ACK, async (j) => {
      expect(await j.getJson<MonthlyPushRecord>(monthlyPushKey('202611'))).toMatchObject({ event: ackedSeq });
      expect(await j.outboxSeqs()).not.toContain(ackedSeq);
    });

    // Before sending: the broker is down, so the report is only in the journal when the kiosk dies.
    await broker.stop();
    const beforeSend = kiosks.get(BEFORE_SEND)!;
    await beforeSend.start(60_000, startAt(0));
    await beforeSend.kill();
    await broker.start();
    await offline(BEFORE_SEND, async (j) => {
      const rec = await j.getJson<MonthlyPushRecord>(monthlyPushKey('202611'));
      expect(rec).toMatchObject({ period: '202611', count: 2 });
      expect(await j.outboxSeqs()).toContain(rec!.event);
    });
    expect(sentMonthly(BEFORE_SEND)).toBeNull();

    // Sent, never acknowledged: HQ is down; the kiosk dies once the report is on the wire.
    await killHq();
    const beforeAck = kiosks.get(BEFORE_ACK)!;
    await until(() => observer!.connected, 60_000, 'the observer back on the broker');
    await beforeAck.start(60_000, startAt(0));
    await until(() => sentMonthly(BEFORE_ACK) !== null, 60_000, 'the report on the wire');
    await beforeAck.kill();
    await offline(BEFORE_ACK, async (j) => {
      expect(await j.outboxSeqs()).toContain(sentMonthly(BEFORE_ACK));
    });

    // Everything back: each kiosk resumes by itself and HQ ends with one report per station.
    await startHq(startAt(1));
    await Promise.all([...kiosks.values()].map((k) => k.start(60_000, startAt(1))));
    await until(async () => (await reported()).length >= STATIONS.length, 90_000, 'HQ to hold every report');
    const rows = await reported();
    expect(rows.map((r) => r.station).sort()).toEqual(STATIONS);
    for (const r of rows)
      expect(r).toMatchObject({
        period: '202611',
        count: 2,
        byService: { 'water-bill': { succeeded: { count: 2, amountFen: 42_50, feeFen: 200 } } },
      });
    for (const k of kiosks.values()) await k.kill();
    // Recorded once by each kiosk, and HQ's record is that one event.
    for (const station of STATIONS) {
      const seqs = await monthlyEvents(station);
      expect(seqs).toHaveLength(1);
      expect(rows.find((r) => r.station === station)?.seq).toBe(seqs[0]);
    }
  }, 600_000);
});
