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

/**
 * The broker's administrator on the kiosk listener (certificate CN, issued by `kiosk-hq keys
 * broker-admin` from the kiosks' CA and kept on HQ): the one client allowed on the plugin's control
 * topic, through which HQ adds a station while the broker runs. Never an 8-digit station id.
 */
export const DYNSEC_ADMIN = 'broker-admin';
export const DYNSEC_CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const ADMIN_ROLE = 'dynsec-admin';

function addAdmin(config: DynsecConfig): void {
  if (config.clients.some((c) => c.username === DYNSEC_ADMIN)) return;
  const allow = (acltype: string, topic: string) => ({ acltype, topic, priority: 0, allow: true });
  config.roles.push({
    rolename: ADMIN_ROLE,
    acls: [
      allow('publishClientSend', `${DYNSEC_CONTROL_TOPIC}`),
      allow('publishClientReceive', `${DYNSEC_CONTROL_TOPIC}/response`),
      allow('subscribePattern', `${DYNSEC_CONTROL_TOPIC}/response`),
    ],
  });
  config.clients.push({ username: DYNSEC_ADMIN, roles: [{ rolename: ADMIN_ROLE }] });
}

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
  addAdmin(config);
  for (const s of stations) addStation(config, s, prefix);
  return config;
}

/** A station's role: its own topic tree only. Pure. */
function stationRole(station: string, prefix: string): DynsecConfig['roles'][number] {
  if (!STATION_RE.test(station)) throw new Error(`station id must be 8 digits: ${station}`);
  const root = `${prefix}/${PROTOCOL_VERSION}/${station}`;
  const allow = (acltype: string, topic: string) => ({ acltype, topic, priority: 0, allow: true });
  return {
    rolename: roleOf(station),
    acls: [
      allow('publishClientSend', `${root}/up/#`),
      allow('publishClientReceive', `${root}/down/#`),
      allow('subscribePattern', `${root}/down/#`),
    ],
  };
}

/** Adds `station` (its client and role) to `config` unless it is there already. Mutates `config`. */
export function addStation(config: DynsecConfig, station: string, prefix = 'kiosk'): DynsecConfig {
  const role = stationRole(station, prefix);
  if (config.clients.some((c) => c.username === station)) return config;
  config.roles.push(role);
  config.clients.push({ username: station, roles: [{ rolename: role.rolename }] });
  return config;
}

/**
 * The control-topic commands that add `station` to a running broker: the same role and client as
 * `addStation` writes to the file. Pure.
 */
export function addStationCommands(
  station: string,
  prefix = 'kiosk',
): Array<{ command: string } & Record<string, unknown>> {
  const role = stationRole(station, prefix);
  return [
    { command: 'createRole', rolename: role.rolename, acls: role.acls },
    { command: 'createClient', username: station, roles: [{ rolename: role.rolename, priority: 0 }] },
  ];
}

/**
 * Adds `station` to the plugin's file at `path` (created when missing), written by rename so the
 * broker never reads half a file. The broker reads it at start; a running broker is told through
 * its control topic instead (`applyStation`), and writes the file itself.
 */
export async function addStationToFile(path: string, station: string, prefix = 'kiosk'): Promise<void> {
  let config: DynsecConfig;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as DynsecConfig;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    config = kioskDynsecConfig([], prefix);
  }
  addAdmin(config);
  addStation(config, station, prefix);
  await writeFile(`${path}.tmp`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}
