import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.ts';
import { systemClock } from '../../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FaultController } from '../../src/reference-hq/faults.ts';
import { HqServer } from '../../src/reference-hq/server.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import { LevelHqStore } from '../../src/reference-hq/store-level.ts';
import type { Pki } from './mosquitto.ts';

export function testSigningKey(): { privateKey: KeyObject; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

/** A reference HQ instance connected to a test Mosquitto with the `hq` client certificate. */
export async function startHqInstance(opts: {
  url: string;
  pki: Pki;
  store: HqStore;
  signingKey: KeyObject;
  name: string;
  clock?: Clock;
  faults?: FaultController;
  openingBalanceFen?: number;
  settleMs?: number;
  gapResendAfterMs?: number;
}): Promise<HqServer> {
  const hq = opts.pki.client('hq');
  const server = new HqServer({
    url: opts.url,
    protocolVersion: 5,
    tls: { ca: await readFile(opts.pki.ca), cert: await readFile(hq.cert), key: await readFile(hq.key) },
    clientId: `hq-${opts.name}`,
    topicPrefix: 'kiosk',
    shareGroup: 'hq',
    signingKey: opts.signingKey,
    store: opts.store,
    clock: opts.clock ?? systemClock,
    logger: silentLogger(),
    faults: opts.faults ?? new FaultController(),
    billerLatencyMs: 0,
    settleMs: opts.settleMs ?? 50,
    reversalIntervalMin: 30,
    openingBalanceFen: opts.openingBalanceFen ?? 0,
    // A station new to this HQ gets every service of the catalogue (its operator is trained).
    trainedServices: SERVICE_CATALOGUE.map((d) => d.id),
    ...(opts.gapResendAfterMs !== undefined ? { gapResendAfterMs: opts.gapResendAfterMs } : {}),
  });
  await server.start();
  return server;
}

export async function openStore(dir: string): Promise<HqStore> {
  const store = new LevelHqStore(join(dir, 'hq-db'));
  await store.open();
  return store;
}
