import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { AdminClient } from '../../src/reference-hq/admin-client.ts';
import { type EmbeddedHq, startEmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { makeTestKiosk, type TestKiosk } from './hq-kiosk.ts';

/** The station the rig's kiosk runs as. */
export const RIG_STATION = '33010001';

export interface EmbeddedHqRig {
  /** The rig's temporary folder; HQ keeps its data in `<dir>/hq`. */
  dir: string;
  hq: EmbeddedHq;
  /**
   * A kiosk (real journal + HQ link, not started) logged in to the rig's broker as `station`;
   * `dir` keeps its data in a chosen folder that outlives the kiosk.
   */
  kiosk(opts?: { station?: string; dir?: string; clock?: Clock }): Promise<TestKiosk>;
  /** The `kiosk-hq` admin tool's client, connected with the login HQ wrote into its connection file. */
  admin(): Promise<AdminClient>;
  stop(): Promise<void>;
}

/**
 * A reference HQ on the embedded (authenticated aedes) broker in a fresh temporary folder, with an
 * opening balance of 100.00 for every new station and billers that answer at once.
 */
export async function startEmbeddedHqRig(prefix: string): Promise<EmbeddedHqRig> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const hq = await startEmbeddedHq({
    dataDir: join(dir, 'hq'),
    topicPrefix: 'kiosk',
    logger: silentLogger(),
    billerLatencyMs: 0,
    settleMs: 50,
    openingBalance: '100.00',
  });
  const admins: AdminClient[] = [];
  return {
    dir,
    hq,
    kiosk: async ({ station = RIG_STATION, dir: kioskDir, clock } = {}) =>
      makeTestKiosk({
        station,
        ...(clock ? { clock } : {}),
        ...(kioskDir ? { dir: kioskDir } : {}),
        hq: { mode: 'embedded', requestTimeoutMs: 3000, telemetryIntervalMs: 60_000 },
        connection: {
          url: hq.url,
          protocolVersion: 4,
          publicKeys: [hq.publicKey],
          clientId: station,
          login: await hq.kioskLogin(station),
        },
      }),
    admin: async () => {
      const conn = JSON.parse(await readFile(hq.connectionFile, 'utf8'));
      const admin = new AdminClient({ url: conn.url, protocolVersion: 4, login: conn.login });
      await admin.connect();
      admins.push(admin);
      return admin;
    },
    stop: async () => {
      for (const a of admins) await a.close().catch(() => undefined);
      await hq.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
