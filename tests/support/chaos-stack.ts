import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Accounts } from '../../src/reference-hq/accounts.ts';
import { LevelHqStore } from '../../src/reference-hq/store-level.ts';
import { atChosenTime } from './chosen-time.ts';
import type { HqChildOptions } from './hq-child.ts';
import { testSigningKey } from './hq-instance.ts';
import { KioskProcess } from './kiosk-process.ts';
import { Mosquitto, makePki, type Pki } from './mosquitto.ts';
import { until } from './wait.ts';

const HQ_CHILD = join(import.meta.dirname, 'hq-child.ts');

/** The kiosk station of the stack, and a second station whose certificate plays the hostile kiosk. */
export const STACK_STATION = '33010001';
export const HOSTILE_STATION = '33010003';
export const OPENING_FEN = 1000_00;

/**
 * Production shape in one folder: a real Mosquitto with the shipped configuration and per-kiosk
 * certificates, the reference HQ in its own process and the kiosk in its own process, each of
 * which can be SIGKILLed and started again on its data.
 */
export class ChaosStack {
  pki!: Pki;
  broker!: Mosquitto;
  kiosk!: KioskProcess;
  private hq: ChildProcess | undefined;
  private hqOpts!: HqChildOptions;

  /** `kioskNodeArgs`: Node options for the kiosk process (the systemd unit's, in the benchmark). */
  constructor(
    readonly dir: string,
    private readonly kioskNodeArgs: string[] = [],
  ) {}

  async start(): Promise<void> {
    this.pki = await makePki(join(this.dir, 'pki'), [STACK_STATION, HOSTILE_STATION, 'hq']);
    this.broker = new Mosquitto(this.pki);
    await this.broker.start();
    const key = testSigningKey();
    const signingKeyFile = join(this.dir, 'hq-signing.key');
    await writeFile(signingKeyFile, key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), {
      mode: 0o600,
    });
    const hqCert = this.pki.client('hq');
    this.hqOpts = {
      url: this.broker.hqUrl,
      ca: this.pki.ca,
      cert: hqCert.cert,
      key: hqCert.key,
      dataDir: join(this.dir, 'hq'),
      signingKeyFile,
      openingBalanceFen: OPENING_FEN,
      name: 'chaos',
    };
    await this.startHq();
    const cert = this.pki.client(STACK_STATION);
    this.kiosk = new KioskProcess(
      join(this.dir, 'kiosk.json'),
      this.kioskConfig(join(this.dir, 'data'), {
        mode: 'broker',
        brokerUrl: this.broker.url,
        protocolVersion: 5,
        tls: { ca: this.pki.ca, cert: cert.cert, key: cert.key },
        publicKey: key.publicPem,
        requestTimeoutMs: 3000,
      }),
    );
    this.kiosk.nodeArgs = this.kioskNodeArgs;
    await this.kiosk.prepare();
    await this.kiosk.start();
  }

  /** A kiosk config on `dataDir` with the given HQ settings. */
  kioskConfig(dataDir: string, hq: Record<string, unknown>): Record<string, unknown> {
    return {
      stationId: STACK_STATION,
      dataDir,
      hq,
      engine: { requestTimeoutMs: 3000, statusQueryIntervalMs: 200 },
    };
  }

  get hqRunning(): boolean {
    return !!this.hq && this.hq.exitCode === null && this.hq.signalCode === null;
  }

  async startHq(): Promise<void> {
    const at = atChosenTime(process.execPath, ['--import', 'tsx', HQ_CHILD, JSON.stringify(this.hqOpts)]);
    const child = spawn(at.cmd, at.args, { env: at.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.hq = child;
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
        if (!this.hqRunning) throw new Error(`HQ exited: ${err}`);
        return out.includes('ready');
      },
      60_000,
      'HQ to start',
    );
  }

  async killHq(): Promise<void> {
    const c = this.hq;
    if (!c || !this.hqRunning) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  async stopHq(): Promise<void> {
    const c = this.hq;
    if (!c || !this.hqRunning) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await gone;
  }

  /** The station's prepaid balance at HQ, fen (HQ must be stopped: its store is locked while it runs). */
  async hqBalanceFen(): Promise<number> {
    const store = new LevelHqStore(join(this.hqOpts.dataDir, 'db'));
    await store.open();
    try {
      return (await new Accounts(store, Date.now, OPENING_FEN).get(STACK_STATION)).balanceFen;
    } finally {
      await store.close();
    }
  }

  async stop(): Promise<void> {
    await this.kiosk?.kill().catch(() => undefined);
    await this.killHq().catch(() => undefined);
    await this.broker?.stop().catch(() => undefined);
  }
}
