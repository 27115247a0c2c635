import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskValue } from '../../src/core/mask.ts';
import type { HqServer } from '../../src/reference-hq/server.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import { openStore, startHqInstance, testSigningKey } from '../support/hq-instance.ts';
import { makeTestKiosk, type TestKiosk } from '../support/hq-kiosk.ts';
import { Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';

const A = '33010001';
const B = '33010002';
/** A third station whose certificate plays the hostile kiosk. */
const C = '33010003';
/** A station whose session the hostile certificate tries to take over. */
const D = '33010004';

/** Connects with a certificate: kiosks on the kiosk listener, `hq` on HQ's. */
async function client(m: Mosquitto, pki: Pki, cn: string, clientId?: string): Promise<MqttClient> {
  const c = pki.client(cn);
  return mqtt.connectAsync(cn === 'hq' ? m.hqUrl : m.url, {
    protocolVersion: 5,
    clientId: clientId ?? `test-${cn}-${Math.random().toString(36).slice(2, 8)}`,
    ca: await readFile(pki.ca),
    cert: await readFile(c.cert),
    key: await readFile(c.key),
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
}

describe('real Mosquitto with the shipped TLS + ACL configuration', () => {
  let dir: string;
  let pki: Pki;
  let broker: Mosquitto;
  let store: HqStore;
  let hq: HqServer;
  let kiosk: TestKiosk;
  const clients: MqttClient[] = [];
  const key = testSigningKey();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-acl-'));
    pki = await makePki(join(dir, 'pki'), [A, B, C, D, 'hq']);
    broker = new Mosquitto(pki);
    await broker.start();
    store = await openStore(dir);
    hq = await startHqInstance({ url: broker.hqUrl, pki, store, signingKey: key.privateKey, name: 'acl' });
    const certA = pki.client(A);
    kiosk = await makeTestKiosk({
      station: A,
      hq: {
        mode: 'broker',
        brokerUrl: broker.url,
        protocolVersion: 5,
        tls: { ca: pki.ca, cert: certA.cert, key: certA.key },
        publicKey: key.publicPem,
        requestTimeoutMs: 3000,
      },
    });
    await kiosk.link.start();
    await kiosk.link.whenOnline();
  });

  afterAll(async () => {
    // Some were taken over by a later session with the same station id: end without waiting.
    for (const c of clients) c.end(true);
    await kiosk?.stop();
    await hq?.stop();
    await store?.close();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the kiosk link connects with its client certificate and HQ sees it online', async () => {
    await expect.poll(async () => (await hq.stations.get(A))?.online).toBe(true);
    const r = await kiosk.link.port.request(
      {
        op: 'query',
        service: 'water-bill',
        serial: '',
        stationId: A,
        idempotencyKey: 'q1:query:0',
        payload: { fields: { account: '55501234' } },
      },
      new AbortController().signal,
    );
    // HQ's answer masks the customer number the kiosk sent (declared sensitivity).
    expect(r).toMatchObject({ outcome: 'ok', data: { account: maskValue('account', '55501234') } });
  });

  it('kiosk C cannot publish as kiosk B', async () => {
    const a = await client(broker, pki, C);
    clients.push(a);
    const seen: string[] = [];
    const spy = await client(broker, pki, 'hq');
    clients.push(spy);
    spy.on('message', (t) => seen.push(t));
    await spy.subscribeAsync('kiosk/v1/+/up/#', { qos: 1 });
    await expect(a.publishAsync(`kiosk/v1/${B}/up/telemetry`, '{}', { qos: 1 })).rejects.toThrow(
      /not authori[sz]ed/i,
    );
    await a.publishAsync(`kiosk/v1/${C}/up/report`, '{}', { qos: 1 });
    await expect.poll(() => seen).toContain(`kiosk/v1/${C}/up/report`);
    expect(seen).not.toContain(`kiosk/v1/${B}/up/telemetry`);
    // Nor into HQ's own channels, nor down to another kiosk.
    await expect(a.publishAsync('hq/v1/control', '{}', { qos: 1 })).rejects.toThrow(/not authori[sz]ed/i);
    await expect(a.publishAsync(`kiosk/v1/${B}/down/cmd/notice`, '{}', { qos: 1 })).rejects.toThrow(
      /not authori[sz]ed/i,
    );
  });

  it('kiosk C cannot read kiosk B’s commands', async () => {
    const a = await client(broker, pki, C);
    const b = await client(broker, pki, B);
    clients.push(a, b);
    const gotA: string[] = [];
    const gotB: string[] = [];
    a.on('message', (t) => gotA.push(t));
    b.on('message', (t) => gotB.push(t));
    await a.subscribeAsync([`kiosk/v1/${B}/down/#`, 'kiosk/#'], { qos: 1 }).catch(() => undefined);
    await b.subscribeAsync(`kiosk/v1/${B}/down/#`, { qos: 1 });
    await hq.commands.send(B, 'notice-withdraw', { id: 'x' });
    await expect.poll(() => gotB).toContain(`kiosk/v1/${B}/down/cmd/notice-withdraw`);
    expect(gotA.filter((t) => t.includes(B))).toEqual([]);
  });

  it('a kiosk certificate cannot join HQ’s shared subscription nor receive anything meant for HQ', async () => {
    const c = await client(broker, pki, C);
    clients.push(c);
    const got: string[] = [];
    c.on('message', (t) => got.push(t));
    for (const filter of [
      '$share/hq/kiosk/v1/+/up/req',
      '$share/hq/kiosk/v1/+/up/#',
      `$share/hq/kiosk/v1/${A}/up/req`,
      'kiosk/v1/+/up/req',
      `kiosk/v1/${A}/down/#`,
      'hq/#',
      '#',
    ]) {
      await expect(c.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(
        /Subscribe error|not authori/i,
      );
    }
    // Its own tree is granted, and the connection stays up: it is still there while HQ works.
    expect((await c.subscribeAsync(`kiosk/v1/${C}/down/#`, { qos: 1 }))[0]?.qos).toBe(1);
    expect(c.connected).toBe(true);
    for (let i = 1; i <= 6; i++) {
      const r = await kiosk.link.port.request(
        {
          op: 'query',
          service: 'water-bill',
          serial: '',
          stationId: A,
          idempotencyKey: `share-${i}:query:0`,
          payload: { fields: { account: '55501234' } },
        },
        new AbortController().signal,
      );
      expect(r.outcome, `request ${i}`).toBe('ok');
    }
    expect(got).toEqual([]);
  });

  it('a kiosk certificate cannot take over another station’s or HQ’s session by client id', async () => {
    const b = await client(broker, pki, D, D);
    clients.push(b);
    let bClosed = false;
    b.on('close', () => {
      bClosed = true;
    });
    const logBefore = broker.log.length;
    // The broker replaces the client id with the certificate's station id.
    for (const id of [D, 'hq-acl']) {
      const evil = await client(broker, pki, C, id);
      clients.push(evil);
      expect(evil.connected).toBe(true);
    }
    // A round trip through the broker after the takeovers would have happened.
    await b.publishAsync(`kiosk/v1/${D}/up/report`, '{}', { qos: 1 });
    expect(bClosed).toBe(false);
    expect(b.connected).toBe(true);
    const after = broker.log.slice(logBefore);
    expect(after).not.toMatch(/Client (33010004|hq-acl) already connected/);
    await expect.poll(async () => (await hq.stations.get(A))?.online).toBe(true);
  });

  it('a kiosk certificate is refused on HQ’s listener', async () => {
    const c = pki.client(C);
    await expect(
      mqtt.connectAsync(broker.hqUrl, {
        clientId: 'hq-evil',
        ca: await readFile(pki.ca),
        cert: await readFile(c.cert),
        key: await readFile(c.key),
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    ).rejects.toThrow();
  });

  it('a message above the size limit closes the sender’s connection and never reaches HQ', async () => {
    const c = await client(broker, pki, C);
    clients.push(c);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(`kiosk/v1/${C}/up/journal`, Buffer.alloc(2 * 1024 * 1024, 0x20), { qos: 1 });
    await closed;
    // The broker's log reaches us through a pipe: it may arrive after the connection closed.
    await expect.poll(() => broker.log, { timeout: 10_000 }).toMatch(/oversize packet/);
  });

  it('a client without a certificate is refused', async () => {
    await expect(
      mqtt.connectAsync(broker.url, { ca: await readFile(pki.ca), reconnectPeriod: 0, connectTimeout: 3000 }),
    ).rejects.toThrow();
  });
});
