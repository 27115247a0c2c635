import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/protocol/topics.ts';
import { applyStation } from '../../src/reference-hq/dynsec-control.ts';
import { DYNSEC_ADMIN } from '../../src/reference-hq/mosquitto-dynsec.ts';
import { Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';

const KIOSK_HQ = join(import.meta.dirname, '../../bin/kiosk-hq.js');
const run = promisify(execFile);

const A = '33010001';
/** A station added at HQ while the broker runs. */
const E = '33010005';
/** A station never added. */
const F = '33010006';

/** Connects to the kiosk listener with the certificate of `cn`. */
async function client(m: Mosquitto, pki: Pki, cn: string): Promise<MqttClient> {
  const c = pki.client(cn);
  return mqtt.connectAsync(m.url, {
    protocolVersion: 5,
    clientId: cn,
    ca: await readFile(pki.ca),
    cert: await readFile(c.cert),
    key: await readFile(c.key),
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
}

/** Whether `cn` may subscribe to its own commands (the first thing a kiosk link does). */
async function mayFollowOwnCommands(m: Mosquitto, pki: Pki, cn: string): Promise<boolean> {
  const c = await client(m, pki, cn).catch(() => null);
  if (!c) return false;
  try {
    const granted = await c.subscribeAsync(`kiosk/${PROTOCOL_VERSION}/${cn}/down/#`, { qos: 1 });
    return granted.every((g) => g.qos <= 2);
  } catch {
    // mqtt.js rejects a subscription the broker refused.
    return false;
  } finally {
    await c.endAsync(true);
  }
}

/**
 * A station added at HQ while the real Mosquitto runs: its role and client go through the
 * dynamic-security control topic (as the broker's administrator), and its kiosk connects and
 * subscribes at once, with no broker restart; the broker keeps it in its own file. Only the
 * administrator may use the control topic.
 */
describe('real Mosquitto: adding a station at runtime through dynamic security', () => {
  let dir: string;
  let pki: Pki;
  let broker: Mosquitto;
  let admin: MqttClient | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-dynsec-'));
    pki = await makePki(join(dir, 'pki'), [A, E, F, DYNSEC_ADMIN]);
    broker = new Mosquitto(pki, { stations: [A] });
    await broker.start();
  });
  afterAll(async () => {
    admin?.end(true);
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the new station’s kiosk is refused until HQ adds it, then allowed at once; a repeat changes nothing', async () => {
    expect(await mayFollowOwnCommands(broker, pki, A)).toBe(true);
    expect(await mayFollowOwnCommands(broker, pki, E)).toBe(false);
    admin = await client(broker, pki, DYNSEC_ADMIN);
    await applyStation(admin, E);
    expect(await mayFollowOwnCommands(broker, pki, E)).toBe(true);
    // Its own tree only.
    const e = await client(broker, pki, E);
    await expect(e.subscribeAsync(`kiosk/${PROTOCOL_VERSION}/${A}/down/#`, { qos: 1 })).rejects.toThrow(
      /Not authorized/,
    );
    await e.endAsync(true);
    await applyStation(admin, E);
    expect(await mayFollowOwnCommands(broker, pki, F)).toBe(false);
    // The broker saved it: after a restart the station is still there.
    await broker.stop();
    const saved = JSON.parse(await readFile(join(pki.dir, 'dynamic-security.json'), 'utf8'));
    expect(saved.clients.map((c: { username: string }) => c.username)).toContain(E);
  }, 60_000);

  it('a station’s certificate cannot use the control topic to add another', async () => {
    await broker.start().catch(() => {});
    const a = await client(broker, pki, A);
    await expect(applyStation(a, F, { timeoutMs: 3000 })).rejects.toThrow();
    await a.endAsync(true);
    expect(await mayFollowOwnCommands(broker, pki, F)).toBe(false);
  }, 60_000);

  it('kiosk-hq keys station --broker issues the certificate and adds the station to the running broker', async () => {
    const G = '33010007';
    await run(process.execPath, [KIOSK_HQ, 'keys', 'broker-admin', '--dir', pki.dir]);
    const r = await run(process.execPath, [
      KIOSK_HQ,
      'keys',
      'station',
      G,
      '--dir',
      pki.dir,
      '--broker',
      broker.url,
    ]);
    expect(r.stdout).toContain('added to the running broker');
    const c = await mqtt.connectAsync(broker.url, {
      protocolVersion: 5,
      clientId: G,
      ca: await readFile(pki.ca),
      cert: await readFile(join(pki.dir, `station-${G}.crt`)),
      key: await readFile(join(pki.dir, `station-${G}.key`)),
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    const granted = await c.subscribeAsync(`kiosk/${PROTOCOL_VERSION}/${G}/down/#`, { qos: 1 });
    expect(granted.every((g) => g.qos <= 2)).toBe(true);
    await c.endAsync(true);
  }, 60_000);
});
