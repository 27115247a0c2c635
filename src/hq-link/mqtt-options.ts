import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { HqConfig } from '../config/hq-config.ts';
import type { KioskConfig } from '../config/schema.ts';
import type { Presence } from '../protocol/schemas/index.ts';
import { upTopic } from '../protocol/topics.ts';

export interface ConnectionSettings {
  url: string;
  protocolVersion: 4 | 5;
  clientId: string;
  topicPrefix: string;
  tls: { ca: string | null; cert: string | null; key: string | null };
  /** HQ's public keys (PEM or base64); at least one is needed to accept anything from HQ. */
  publicKeys: string[];
  /** User name and password, on a broker that asks for them (the embedded one). */
  login?: { username: string; password: string };
}

/** Connection settings from config, with the embedded-mode overrides on top. */
export function resolveConnection(
  cfg: KioskConfig,
  station: string,
  over: Partial<ConnectionSettings> = {},
): ConnectionSettings {
  const hq = cfg.hq;
  const keys = [...(hq.publicKey ? [hq.publicKey] : []), ...hq.extraPublicKeys];
  return {
    url: over.url ?? hq.brokerUrl,
    protocolVersion: over.protocolVersion ?? hq.protocolVersion,
    clientId: over.clientId ?? hq.clientId ?? station,
    topicPrefix: over.topicPrefix ?? hq.topicPrefix,
    tls: over.tls ?? hq.tls,
    publicKeys: over.publicKeys ?? keys,
    ...(over.login ? { login: over.login } : {}),
  };
}

/** mqtt.js options: clean session, our own reconnect backoff, retained Last Will, mutual TLS. */
export function mqttOptions(conn: ConnectionSettings, hq: HqConfig, will: Presence): IClientOptions {
  const read = (p: string | null): Buffer | undefined => (p ? readFileSync(p) : undefined);
  const ca = read(conn.tls.ca);
  const cert = read(conn.tls.cert);
  const key = read(conn.tls.key);
  return {
    clientId: conn.clientId,
    protocolVersion: conn.protocolVersion,
    clean: true,
    keepalive: hq.keepaliveSec,
    reconnectPeriod: hq.reconnect.minDelayMs,
    connectTimeout: Math.max(5000, hq.requestTimeoutMs),
    resubscribe: false,
    queueQoSZero: false,
    // mqtt-packet otherwise builds a table of all 65,536 two-byte packet ids on the first write
    // (65,536 Buffer objects, ~6 MB of heap held for the life of the process) to save one 2-byte
    // allocation per packet; the link sends a few packets per transaction.
    writeCache: false,
    will: {
      topic: upTopic(conn.topicPrefix, will.station, 'presence'),
      payload: Buffer.from(JSON.stringify(will)),
      qos: 1,
      retain: true,
    },
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(conn.login ?? {}),
    rejectUnauthorized: true,
  };
}
