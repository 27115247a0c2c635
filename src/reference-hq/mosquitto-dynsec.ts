import { readFile, rename, writeFile } from 'node:fs/promises';
import { PROTOCOL_VERSION, STATION_RE } from '../protocol/topics.ts';

/**
 * The kiosk listener's access rules for Mosquitto's dynamic-security plugin
 * (mosquitto_dynamic_security.so, shipped with Debian's mosquitto 2.0). Mosquitto 2.0's `acl_file`
 * grants every SUBSCRIBE and filters only at delivery, so a kiosk certificate could join HQ's shared
 * subscription (`$share/hq/…`) and swallow HQ's share of the requests. The plugin checks the
 * subscription itself; it has no `%u` patterns, so every station is a client of its own (user
 * name = certificate CN = station id) with a role naming its own topic tree. Nothing else is
 * granted: no shared subscription, no other station's tree, no HQ channel.
 */
export interface DynsecConfig {
  defaultACLAccess: {
    publishClientSend: boolean;
    publishClientReceive: boolean;
    subscribe: boolean;
    unsubscribe: boolean;
  };
  clients: Array<{ username: string; roles: Array<{ rolename: string }> }>;
  groups: unknown[];
  roles: Array<{
    rolename: string;
    acls: Array<{ acltype: string; topic: string; priority: number; allow: boolean }>;
  }>;
}

const roleOf = (station: string) => `station-${station}`;

/** The rules for `stations` on topic prefix `prefix` (deny by default). Pure. */
export function kioskDynsecConfig(stations: readonly string[], prefix = 'kiosk'): DynsecConfig {
  const config: DynsecConfig = {
    defaultACLAccess: {
      publishClientSend: false,
      publishClientReceive: false,
      subscribe: false,
      unsubscribe: true,
    },
    clients: [],
    groups: [],
    roles: [],
  };
  for (const s of stations) addStation(config, s, prefix);
  return config;
}

/** Adds `station` (its client and role) to `config` unless it is there already. Mutates `config`. */
export function addStation(config: DynsecConfig, station: string, prefix = 'kiosk'): DynsecConfig {
  if (!STATION_RE.test(station)) throw new Error(`station id must be 8 digits: ${station}`);
  if (config.clients.some((c) => c.username === station)) return config;
  const root = `${prefix}/${PROTOCOL_VERSION}/${station}`;
  const allow = (acltype: string, topic: string) => ({ acltype, topic, priority: 0, allow: true });
  config.roles.push({
    rolename: roleOf(station),
    acls: [
      allow('publishClientSend', `${root}/up/#`),
      allow('publishClientReceive', `${root}/down/#`),
      allow('subscribePattern', `${root}/down/#`),
    ],
  });
  config.clients.push({ username: station, roles: [{ rolename: roleOf(station) }] });
  return config;
}

/**
 * Adds `station` to the plugin's file at `path` (created when missing), written by rename so the
 * broker never reads half a file. The broker reads it at start: restart it after adding stations.
 */
export async function addStationToFile(path: string, station: string, prefix = 'kiosk'): Promise<void> {
  let config: DynsecConfig;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as DynsecConfig;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    config = kioskDynsecConfig([], prefix);
  }
  addStation(config, station, prefix);
  await writeFile(`${path}.tmp`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}
