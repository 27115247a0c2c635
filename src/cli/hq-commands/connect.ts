import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AdminClient, type AdminConnection } from '../../reference-hq/admin-client.ts';

/** Where `npm start` (embedded HQ) writes its broker address. */
export const DEFAULT_CONNECTION_FILE = 'var/hq/connection.json';

export interface ConnectOptions {
  broker?: string;
  connect?: string;
  protocol?: string;
  ca?: string;
  cert?: string;
  key?: string;
}

export function addConnectOptions(cmd: Command): Command {
  return cmd
    .option('--broker <url>', 'broker url (mqtts://host:8883); else KIOSK_HQ_BROKER, else --connect')
    .option('--connect <file>', 'connection file written by the embedded HQ', DEFAULT_CONNECTION_FILE)
    .option('--protocol <4|5>', 'MQTT protocol version (default 5 with --broker, 4 for the embedded broker)')
    .option('--ca <file>', 'CA certificate (PEM)')
    .option('--cert <file>', 'HQ client certificate (PEM, CN=hq)')
    .option('--key <file>', 'HQ client key (PEM)');
}

export async function resolveAdminConnection(o: ConnectOptions): Promise<AdminConnection> {
  const tls = {
    ...(o.ca ? { ca: o.ca } : {}),
    ...(o.cert ? { cert: o.cert } : {}),
    ...(o.key ? { key: o.key } : {}),
  };
  const url = o.broker ?? process.env.KIOSK_HQ_BROKER;
  if (url) return { url, protocolVersion: o.protocol === '4' ? 4 : 5, ...tls };
  const file = o.connect ?? DEFAULT_CONNECTION_FILE;
  let conn: { url: string; protocolVersion?: number; login?: { username: string; password: string } };
  try {
    conn = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new Error(
      `no broker given and no connection file at ${file} (is the kiosk running with the embedded HQ?)`,
    );
  }
  return {
    url: conn.url,
    protocolVersion: o.protocol === '5' ? 5 : conn.protocolVersion === 5 ? 5 : 4,
    ...tls,
    // The embedded broker's login for this tool; the file is readable only by the kiosk's user.
    ...(conn.login ? { login: conn.login } : {}),
  };
}

/** Connects, runs one admin exchange, disconnects. */
export async function withAdmin<T>(o: ConnectOptions, fn: (c: AdminClient) => Promise<T>): Promise<T> {
  const client = new AdminClient(await resolveAdminConnection(o));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** --station / --group / --all as an admin target. */
export function targetOf(o: { station?: string; group?: string; all?: boolean }): Record<string, unknown> {
  const n = [o.station, o.group, o.all].filter(Boolean).length;
  if (n !== 1) throw new Error('give exactly one of --station <id>, --group <name>, --all');
  return o.station ? { station: o.station } : o.group ? { group: o.group } : { all: true };
}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--station <id>', '8-digit station id')
    .option('--group <name>', 'kiosk group (or city)')
    .option('--all', 'every known kiosk');
}
