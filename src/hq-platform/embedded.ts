import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { type Clock, systemClock } from '../core/clock.ts';
import { Money } from '../core/money.ts';
import { loadPrivateKey } from '../hq/signed.ts';
import { PROTOCOL_VERSION } from '../hq/topics.ts';
import type { Logger } from '../platform/logger.ts';
import { ensureSigningKey } from './keys.ts';
import { HqServer } from './server.ts';
import { HqStore } from './store.ts';

export interface EmbeddedHqOptions {
  /** HQ's own folder (LevelDB, signing key, connection file). */
  dataDir: string;
  /** Broker port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  topicPrefix: string;
  logger: Logger;
  clock?: Clock;
  billerLatencyMs?: number;
  settleMs?: number;
  reversalIntervalMin?: number;
  /** Opening prepaid balance for a station HQ has never seen, yuan. */
  openingBalance?: string;
}

export interface EmbeddedHq {
  /** mqtt://127.0.0.1:<port> (MQTT 3.1.1). */
  url: string;
  port: number;
  /** HQ's Ed25519 public key (PEM) for the kiosk's link. */
  publicKey: string;
  /** `<dataDir>/connection.json`, read by `kiosk-hq` to find this broker. */
  connectionFile: string;
  server: HqServer;
  store: HqStore;
  stop(): Promise<void>;
}

/** Kiosk clients (client id = 8-digit station id) may publish and subscribe only in their own tree. */
function allowedForKiosk(clientId: string, prefix: string, topic: string, dir: 'up' | 'down'): boolean {
  if (!/^\d{8}$/.test(clientId)) return true;
  return topic.startsWith(`${prefix}/${PROTOCOL_VERSION}/${clientId}/${dir}/`);
}

/**
 * The embedded default (`hq.mode = embedded`): an in-process aedes broker on a loopback port
 * (MQTT 3.1.1 only, no TLS, so it never listens beyond 127.0.0.1) with the same per-station
 * topic ACL as the shipped Mosquitto config, and one reference HQ instance connected to it.
 */
export async function startEmbeddedHq(opts: EmbeddedHqOptions): Promise<EmbeddedHq> {
  await mkdir(opts.dataDir, { recursive: true });
  const key = await ensureSigningKey(join(opts.dataDir, 'hq-signing.key'));
  const prefix = opts.topicPrefix;
  const broker = await Aedes.createBroker({
    authorizePublish: (client, packet, cb) => {
      if (client && !allowedForKiosk(client.id, prefix, packet.topic, 'up'))
        return cb(new Error('not authorised'));
      cb(null);
    },
    authorizeSubscribe: (client, sub, cb) => {
      if (!allowedForKiosk(client.id, prefix, sub.topic, 'down')) return cb(new Error('not authorised'));
      cb(null, sub);
    },
  });
  const net: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject);
    net.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (net.address() as { port: number }).port;
  const url = `mqtt://127.0.0.1:${port}`;
  const store = new HqStore(join(opts.dataDir, 'db'));
  await store.open();
  const server = new HqServer({
    url,
    protocolVersion: 4,
    clientId: `hq-embedded-${process.pid}`,
    topicPrefix: prefix,
    shareGroup: null,
    signingKey: loadPrivateKey(key.privatePem),
    store,
    clock: opts.clock ?? systemClock,
    logger: opts.logger,
    billerLatencyMs: opts.billerLatencyMs ?? 300,
    settleMs: opts.settleMs ?? 5000,
    reversalIntervalMin: opts.reversalIntervalMin ?? 30,
    openingBalanceFen: Money.of(opts.openingBalance ?? '0').toFen(),
  });
  await server.start();
  const connectionFile = join(opts.dataDir, 'connection.json');
  await writeFile(
    connectionFile,
    `${JSON.stringify({ url, protocolVersion: 4, pid: process.pid, topicPrefix: prefix }, null, 2)}\n`,
  );
  return {
    url,
    port,
    publicKey: key.publicPem,
    connectionFile,
    server,
    store,
    async stop() {
      await server.stop();
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => net.close(() => r()));
      await store.close();
    },
  };
}
