import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskApp, type KioskAppOptions } from '../../src/app/kiosk-app.ts';
import type { Clock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { BrokerLogin } from '../../src/reference-hq/broker-credentials.ts';
import { type EmbeddedHq, type EmbeddedHqOptions, startEmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { clockStartingAt } from './chosen-time.ts';
import { mergeDeep } from './kiosk-harness.ts';

export interface EmbeddedKiosk {
  app: KioskApp;
  dir: string;
  stop: () => Promise<void>;
}

/**
 * A real kiosk on its embedded defaults (in-process broker, reference HQ, simulated devices) in a
 * fresh temporary folder: journal, HQ store and the sign's preview all inside it, the local server
 * on a free loopback port, the clock starting at the chosen time. `config` is layered over that.
 */
export async function startEmbeddedKiosk(
  opts: { prefix?: string; config?: Record<string, unknown> } & Omit<KioskAppOptions, 'configFile'> = {},
): Promise<EmbeddedKiosk> {
  const { prefix = 'kiosk-embedded-', config = {}, ...appOpts } = opts;
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const configFile = join(dir, 'kiosk.json');
  await writeFile(
    configFile,
    JSON.stringify(
      mergeDeep(
        {
          dataDir: join(dir, 'data'),
          http: { host: '127.0.0.1', port: 0 },
          hq: { mode: 'embedded', embedded: { dataDir: join(dir, 'hq'), billerLatencyMs: 5 } },
          devices: { display: { sim: { pngPath: join(dir, 'led-preview.png') } } },
        },
        config,
      ),
    ),
  );
  const app = new KioskApp({ logger: silentLogger(), clock: clockStartingAt(), ...appOpts, configFile });
  await app.start();
  return {
    app,
    dir,
    stop: async () => {
      await app.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The reference HQ over its own broker, and a kiosk configuration that talks to it as a station. */
export interface ReferenceHqRig {
  dir: string;
  hq: EmbeddedHq;
  station: string;
  /** The station's broker login, given to each kiosk with the connection. */
  login: BrokerLogin;
  /** The kiosk's configuration file: broker mode against `hq`, short timeouts, no sign preview. */
  configFile: string;
  /** A new kiosk on that configuration and the rig's clock, started. */
  startKiosk: () => Promise<KioskApp>;
  /** Stops HQ and removes the folder (stop the kiosks first). */
  stop: () => Promise<void>;
}

/**
 * Starts the reference HQ (simulated billers, fast settling and reversal runs) on a free port in a
 * fresh temporary folder, with the kiosk configuration every suite against it shares; `hq` and
 * `kiosk` are layered over those defaults.
 */
export async function startReferenceHqRig(opts: {
  prefix: string;
  clock: Clock;
  hq?: Partial<EmbeddedHqOptions>;
  kiosk?: Record<string, unknown>;
  station?: string;
}): Promise<ReferenceHqRig> {
  const { prefix, clock, station = '33010001' } = opts;
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const hq = await startEmbeddedHq({
    dataDir: join(dir, 'hq'),
    port: 0,
    topicPrefix: 'kiosk',
    logger: silentLogger(),
    billerLatencyMs: 5,
    settleMs: 300,
    reversalIntervalMin: 0.01,
    clock,
    ...opts.hq,
  });
  const login = await hq.kioskLogin(station);
  const configFile = join(dir, 'kiosk.json');
  const base = {
    dataDir: join(dir, 'data'),
    http: { host: '127.0.0.1', port: 0 },
    hq: {
      mode: 'broker',
      brokerUrl: hq.url,
      protocolVersion: 4,
      publicKey: hq.publicKey,
      requestTimeoutMs: 1500,
    },
    engine: { requestTimeoutMs: 1000, statusQueryIntervalMs: 150 },
    devices: { display: { sim: { pngPath: null } } },
  };
  await writeFile(configFile, JSON.stringify(mergeDeep(base, opts.kiosk ?? {})));
  return {
    dir,
    hq,
    station,
    login,
    configFile,
    startKiosk: async () => {
      // The broker takes logins only; this station's is given with the connection.
      const app = new KioskApp({ configFile, logger: silentLogger(), clock, hqConnection: { login } });
      await app.start();
      return app;
    },
    stop: async () => {
      await hq.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
