import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseTopic } from '../../src/protocol/topics.ts';
import type { HqServer } from '../../src/reference-hq/server.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import { openStore, startHqInstance, testSigningKey } from '../support/hq-instance.ts';
import { makeTestKiosk, type TestKiosk } from '../support/hq-kiosk.ts';
import { Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';
import { until } from '../support/wait.ts';

const STATION = '33010003';
const N = 40;

describe('two HQ instances sharing the subscription', () => {
  let dir: string;
  let pki: Pki;
  let broker: Mosquitto;
  let store: HqStore;
  let hqA: HqServer;
  let hqB: HqServer;
  let kiosk: TestKiosk;
  let spy: MqttClient;
  const answers = new Map<string, number>();
  const key = testSigningKey();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-share-'));
    pki = await makePki(join(dir, 'pki'), [STATION, 'hq']);
    broker = new Mosquitto(pki);
    await broker.start();
    store = await openStore(dir);
    hqA = await startHqInstance({
      url: broker.hqUrl,
      pki,
      store,
      signingKey: key.privateKey,
      name: 'a',
      openingBalanceFen: 1_000_000,
    });
    hqB = await startHqInstance({
      url: broker.hqUrl,
      pki,
      store,
      signingKey: key.privateKey,
      name: 'b',
      openingBalanceFen: 1_000_000,
    });
    const hqCert = pki.client('hq');
    spy = await mqtt.connectAsync(broker.hqUrl, {
      protocolVersion: 5,
      clientId: 'spy',
      ca: await readFile(pki.ca),
      cert: await readFile(hqCert.cert),
      key: await readFile(hqCert.key),
    });
    spy.on('message', (_t, p) => {
      const id = (JSON.parse(JSON.parse(p.toString()).payload) as { id: string }).id;
      answers.set(id, (answers.get(id) ?? 0) + 1);
    });
    await spy.subscribeAsync(responseTopic('kiosk', STATION), { qos: 1 });
    const cert = pki.client(STATION);
    kiosk = await makeTestKiosk({
      station: STATION,
      hq: {
        mode: 'broker',
        brokerUrl: broker.url,
        tls: { ca: pki.ca, cert: cert.cert, key: cert.key },
        publicKey: key.publicPem,
        requestTimeoutMs: 5000,
      },
    });
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    // HQ opens the station's account when it sees the station come online; pay after that.
    await until(() => hqA.accounts.exists(STATION), 10_000, 'the station account at HQ');
  });

  afterAll(async () => {
    await spy?.endAsync();
    await kiosk?.stop();
    await hqA?.stop();
    await hqB?.stop();
    await store?.close();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('both serve requests and none is answered twice', async () => {
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        kiosk.link.port.request(
          {
            op: 'pay',
            service: 'gas-bill',
            serial: String(i + 1).padStart(10, '0'),
            stationId: STATION,
            idempotencyKey: `share-${i}:pay:0`,
            payload: { fields: { account: `8800${String(i).padStart(4, '1')}` }, amount: '10.00' },
          },
          new AbortController().signal,
        ),
      ),
    );
    expect(results.filter((r) => r.outcome !== 'ok')).toEqual([]);
    expect(hqA.counters.requests).toBeGreaterThan(0);
    expect(hqB.counters.requests).toBeGreaterThan(0);
    expect(hqA.counters.requests + hqB.counters.requests).toBe(N);
    await expect.poll(() => [...answers.values()].reduce((a, b) => a + b, 0)).toBe(N);
    expect([...answers.values()].every((n) => n === 1)).toBe(true);
    // Each payment charged the station's HQ account exactly once.
    expect((await hqA.accounts.get(STATION)).balanceFen).toBe(1_000_000 - N * 1000);
  });

  it('a repeat reaching the other instance gets the first answer', async () => {
    const req = {
      op: 'pay',
      service: 'water-bill',
      serial: '0000000099',
      stationId: STATION,
      idempotencyKey: 'share-repeat:pay:0',
      payload: { fields: { account: '77771234' }, amount: '15.00' },
    };
    const first = await kiosk.link.port.request(req, new AbortController().signal);
    const repeats = await Promise.all(
      Array.from({ length: 6 }, () => kiosk.link.port.request(req, new AbortController().signal)),
    );
    for (const r of repeats) expect(r).toEqual(first);
    expect(hqA.counters.replays + hqB.counters.replays).toBe(6);
  });
});
