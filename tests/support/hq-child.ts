/**
 * A reference HQ instance in its own process, for suites that SIGKILL HQ:
 * `node --import tsx hq-child.ts <json options>`. It connects to a test Mosquitto's HQ listener with
 * the PKI's `hq` certificate, keeps its state in `store` (PostgreSQL) or its LevelDB in `dataDir`, signs with the Ed25519 key in
 * `signingKeyFile`, gives a new station `openingBalanceFen` and every catalogue service, and prints
 * `ready` once subscribed. SIGTERM stops it cleanly; spawned with an IPC channel, it exits when the
 * channel closes (its parent died).
 */
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FaultController } from '../../src/reference-hq/faults.ts';
import { HqServer } from '../../src/reference-hq/server.ts';
import { openHqStore } from '../../src/reference-hq/store-open.ts';

export interface HqChildOptions {
  url: string;
  ca: string;
  cert: string;
  key: string;
  dataDir: string;
  signingKeyFile: string;
  openingBalanceFen: number;
  name: string;
  /** A postgres:// URL shared with other instances; else LevelDB in `dataDir`. */
  store?: string;
  /** Simulated biller latency, ms (default 20). */
  billerLatencyMs?: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as HqChildOptions;
const store = await openHqStore(o.store ?? join(o.dataDir, 'db'));
const server = new HqServer({
  url: o.url,
  protocolVersion: 5,
  tls: { ca: await readFile(o.ca), cert: await readFile(o.cert), key: await readFile(o.key) },
  clientId: `hq-${o.name}`,
  topicPrefix: 'kiosk',
  shareGroup: 'hq',
  signingKey: createPrivateKey(await readFile(o.signingKeyFile)),
  store,
  clock: systemClock,
  logger: silentLogger(),
  faults: new FaultController(),
  billerLatencyMs: o.billerLatencyMs ?? 20,
  settleMs: 300,
  reversalIntervalMin: 30,
  openingBalanceFen: o.openingBalanceFen,
  trainedServices: SERVICE_CATALOGUE.map((d) => d.id),
});
await server.start();
process.stdout.write('ready\n');
// Started with an IPC channel (the fleet): the parent's death closes it, and this instance goes too.
if (process.channel) process.once('disconnect', () => process.exit(1));
process.once('SIGTERM', () => {
  void server
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
