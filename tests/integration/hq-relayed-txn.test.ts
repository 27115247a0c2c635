import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TxnRecord } from '../../src/core/transaction/types.ts';
import { journalBatchSchema } from '../../src/protocol/schemas/index.ts';
import type { EmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { type EmbeddedHqRig, startEmbeddedHqRig } from '../support/embedded-hq-rig.ts';

/** A station of its own (no kiosk of the rig uses it), relaying under its own login. */
const STATION = '33019997';
const AT = Date.parse('2026-11-26T10:00:00+08:00');

const TXN: TxnRecord = {
  v: 1,
  serial: `${STATION}-20261126-000001`,
  idempotencyKey: 'c0ffee00-0000-4000-8000-000000000001',
  stationId: STATION,
  service: 'water-bill',
  channel: 'operator',
  operator: 'A001',
  businessDate: '20261126',
  createdAt: AT,
  updatedAt: AT + 2_000,
  state: 'succeeded',
  stateSince: AT + 2_000,
  terminal: true,
  result: 'succeeded',
  fields: { account: 'W1234567', amount: '50.00' },
  amountFen: 5000,
  feeFen: 0,
  data: { billerRef: 'WB-1' },
  attempts: 1,
  generation: 0,
  alerts: [],
};

const batch = (txn: unknown): string =>
  JSON.stringify({
    v: 1,
    station: STATION,
    events: [
      {
        seq: 1,
        at: AT + 2_000,
        stationId: STATION,
        type: 'txn.transition',
        serial: TXN.serial,
        from: 'paying',
        outcome: 'ok',
        txn,
      },
    ],
  });

/** Malformed snapshots, each with the path HQ's check names. */
const MALFORMED: Array<[unknown, string]> = [
  [{ ...TXN, amountFen: 50.5 }, 'events.0.txn.amountFen'],
  [{ ...TXN, amountFen: '5000' }, 'events.0.txn.amountFen'],
  [{ ...TXN, feeFen: -1 }, 'events.0.txn.feeFen'],
  [{ ...TXN, result: 'won' }, 'events.0.txn.result'],
  [{ ...TXN, channel: 'robot' }, 'events.0.txn.channel'],
  [{ ...TXN, businessDate: '2026-11-26' }, 'events.0.txn.businessDate'],
  [{ ...TXN, fields: { amount: 50 } }, 'events.0.txn.fields.amount'],
  [{ ...TXN, serial: undefined }, 'events.0.txn.serial'],
  [{}, 'events.0.txn.v'],
];

describe('a relayed transaction snapshot is checked whole by the reference HQ', () => {
  it('the wire schema refuses each malformed snapshot naming its path, and takes a well-formed one', () => {
    for (const [txn, path] of MALFORMED) {
      const r = journalBatchSchema.safeParse(JSON.parse(batch(txn)));
      expect(r.success, path).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(path);
    }
    expect(journalBatchSchema.safeParse(JSON.parse(batch(TXN))).success).toBe(true);
  });

  describe('over the broker', () => {
    let rig: EmbeddedHqRig;
    let hq: EmbeddedHq;
    let client: MqttClient;

    beforeAll(async () => {
      rig = await startEmbeddedHqRig('hq-relayed-txn-');
      hq = rig.hq;
      client = await mqtt.connectAsync(hq.url, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        clientId: STATION,
        ...(await hq.kioskLogin(STATION)),
      });
    });
    afterAll(async () => {
      await client?.endAsync(true).catch(() => undefined);
      await rig?.stop();
    });

    it('a malformed snapshot is refused and stores nothing; the well-formed one after it is stored as sent', async () => {
      const topic = `kiosk/v1/${STATION}/up/journal`;
      for (const [txn] of MALFORMED) await client.publishAsync(topic, batch(txn), { qos: 1 });
      await client.publishAsync(topic, batch(TXN), { qos: 1 });
      await expect
        .poll(async () => (await hq.server.archive.meta(STATION)).stored, { timeout: 20_000 })
        .toBe(1);
      // Had any malformed one been stored as event 1, the well-formed one would be its duplicate.
      expect(await hq.server.archive.meta(STATION)).toMatchObject({
        contiguous: 1,
        stored: 1,
        duplicates: 0,
      });
      const [stored] = await hq.server.archive.events(STATION);
      expect(stored).toMatchObject({ seq: 1, type: 'txn.transition', txn: TXN });
    });
  });
});
