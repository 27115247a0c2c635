import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Aedes, type Client } from 'aedes';
import { type Clock, systemClock } from '../core/clock.ts';
import { Money } from '../core/money.ts';
import type { Logger } from '../platform/logger.ts';
import { loadPrivateKey } from '../protocol/signed.ts';
import { type BrokerIdentity, identityOf, mayPublish, maySubscribe } from './broker-acl.ts';
import { BrokerCredentials, type BrokerLogin } from './broker-credentials.ts';
import { ensureSigningKey } from './keys.ts';
import { HqServer } from './server.ts';
import type { HqStore } from './store.ts';
import { LevelHqStore } from './store-level.ts';

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
  /** Day cut (日切, HH:MM); the kiosk's own `business.dayCut`. */
  dayCut?: string;
  /** Services enabled at a station HQ has never seen (its operator's training, for the demo). */
  trainedServices?: readonly string[];
}

export interface EmbeddedHq {
  /** mqtt://127.0.0.1:<port> (MQTT 3.1.1). */
  url: string;
  port: number;
  /** HQ's Ed25519 public key (PEM) for the kiosk's link. */
  publicKey: string;
  /**
   * `<dataDir>/connection.json` (mode 0600), read by `kiosk-hq` to find this broker: its address
   * and the admin tool's login.
   */
  connectionFile: string;
  /** The broker login of a kiosk station (created at its first use). */
  kioskLogin(station: string): Promise<BrokerLogin>;
  /** The `kiosk-hq` tool's login. */
  adminLogin: BrokerLogin;
  server: HqServer;
  store: HqStore;
  stop(): Promise<void>;
}

/**
 * The embedded default (`hq.mode = embedded`): an in-process aedes broker on a loopback port
 * (MQTT 3.1.1 only, no TLS, so it never listens beyond 127.0.0.1) and one reference HQ instance
 * connected to it. Every client must log in with an account from `<dataDir>/broker-credentials.json`
 * (generated at first start, mode 0600) and is held to its identity's client id and topics — the
 * same rules as the shipped Mosquitto configuration; anything else is refused and logged.
 */
export async function startEmbeddedHq(opts: EmbeddedHqOptions): Promise<EmbeddedHq> {
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const key = await ensureSigningKey(join(opts.dataDir, 'hq-signing.key'));
  const credentials = await BrokerCredentials.open(join(opts.dataDir, 'broker-credentials.json'));
  const prefix = opts.topicPrefix;
  const identities = new WeakMap<Client, BrokerIdentity>();
  const refuse = (client: Client | null, what: string, topic: string): Error => {
    opts.logger.warn({ clientId: client?.id, topic }, `embedded broker: ${what} refused`);
    return new Error('not authorised');
  };
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, cb) => {
      const who = credentials.check(username, password) ? identityOf(username ?? '', client.id) : null;
      if (!who) {
        opts.logger.warn({ clientId: client.id, username }, 'embedded broker: login refused');
        return cb(Object.assign(new Error('not authorised'), { returnCode: 5 as const }), false);
      }
      identities.set(client, who);
      cb(null, true);
    },
    authorizePublish: (client, packet, cb) => {
      // Messages the broker itself publishes ($SYS) have no client.
      if (!client) return cb(null);
      const who = identities.get(client);
      if (!who || !mayPublish(who, prefix, packet.topic)) return cb(refuse(client, 'publish', packet.topic));
      cb(null);
    },
    authorizeSubscribe: (client, sub, cb) => {
      const who = identities.get(client);
      if (!who || !maySubscribe(who, prefix, sub.topic)) {
        refuse(client, 'subscribe', sub.topic);
        // A null subscription answers the client with the failure code (0x80) in its SUBACK.
        return cb(null, null);
      }
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
  const store = new LevelHqStore(join(opts.dataDir, 'db'));
  const hqLogin = credentials.hq;
  await store.open();
  const server = new HqServer({
    url,
    protocolVersion: 4,
    clientId: `hq-embedded-${process.pid}`,
    login: hqLogin,
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
    ...(opts.dayCut ? { dayCut: opts.dayCut } : {}),
    trainedServices: opts.trainedServices ?? [],
  });
  await server.start();
  const connectionFile = join(opts.dataDir, 'connection.json');
  await writeFile(
    connectionFile,
    `${JSON.stringify({ url, protocolVersion: 4, pid: process.pid, topicPrefix: prefix, login: credentials.admin }, null, 2)}\n`,
    { mode: 0o600 },
  );
  await chmod(connectionFile, 0o600);
  return {
    url,
    port,
    publicKey: key.publicPem,
    connectionFile,
    kioskLogin: (station) => credentials.kiosk(station),
    adminLogin: credentials.admin,
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
