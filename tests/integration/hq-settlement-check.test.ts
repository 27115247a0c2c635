import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../src/core/business-day.ts';
import { ManualClock } from '../../src/core/clock.ts';
import type { TxnRecord } from '../../src/core/transaction/types.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { AdminClient } from '../../src/reference-hq/admin-client.ts';
import type { SettlementCheck } from '../../src/reference-hq/settlement-checks.ts';
import { pad16 } from '../../src/reference-hq/store.ts';
import { SettlementBook } from '../../src/settlement/settlement-book.ts';
import { type EmbeddedHqRig, RIG_STATION, startEmbeddedHqRig } from '../support/embedded-hq-rig.ts';
import type { TestKiosk } from '../support/hq-kiosk.ts';
import { lookup, txn } from '../unit/reports/fixtures.ts';

/**
 * The settlement digest compared at HQ: a kiosk records settlements, relays them with its journal
 * over the embedded broker, HQ recomputes each digest from the events it stored, answers with a
 * signed `settlement-check`, and a difference (an archived event altered at HQ) is an alert on
 * both sides.
 */
describe('settlement digest checked by HQ', () => {
  let rig: EmbeddedHqRig;
  let kiosk: TestKiosk;
  let admin: AdminClient;
  let book: SettlementBook;
  // The kiosk's clock stands still at the moment the suite starts: HQ signs its commands with the
  // machine's time, and the business date of the sales and settlements never moves in between.
  const clock = new ManualClock(Date.now());

  const sell = async (operator: string, amountFen: number): Promise<TxnRecord> =>
    kiosk.journal.commit((b) => {
      const serial = b.nextSerial();
      const at = b.at;
      const t = txn({
        serial,
        idempotencyKey: `k${serial}`,
        stationId: RIG_STATION,
        service: 'water-bill',
        operator,
        businessDate: businessDate(at, kiosk.config().business.dayCut),
        createdAt: at,
        updatedAt: at,
        stateSince: at,
        fields: { account: '12345678' },
        amountFen,
        feeFen: 0,
      });
      b.event({ type: 'txn.transition', serial, from: 'paying', outcome: 'ok', txn: t });
      b.putTxn(t);
      return t;
    });

  const checked = async (id: number): Promise<SettlementCheck | undefined> =>
    (await admin.request<SettlementCheck[]>('settlements', { station: RIG_STATION })).find(
      (c) => c.id === id,
    );

  beforeAll(async () => {
    rig = await startEmbeddedHqRig('hq-settlement-');
    kiosk = await rig.kiosk({ clock });
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    admin = await rig.admin();
    book = new SettlementBook(kiosk.journal, clock, kiosk.config, lookup, silentLogger());
  });

  afterAll(async () => {
    await kiosk?.stop();
    await rig?.stop();
  });

  it('HQ computes the same digest from the relayed events and the kiosk records the agreement', async () => {
    await sell('A001', 30_00);
    await sell('A002', 12_50);
    const station = await book.record({ kind: 'station' }, 'S001');
    const teller = await book.record({ kind: 'teller', operator: 'A001' }, 'A001');
    for (const s of [station, teller]) {
      await expect
        .poll(() => checked(s.record.id), { timeout: 15_000 })
        .toMatchObject({
          match: true,
          kioskDigest: s.record.digest,
          hqDigest: s.record.digest,
        });
      await expect
        .poll(async () => (await book.list(s.record.businessDate)).find((r) => r.id === s.record.id)?.hq, {
          timeout: 15_000,
        })
        .toMatchObject({ match: true, digest: s.record.digest });
    }
    expect((await checked(teller.record.id))?.hqTransactions).toBe(1);
    expect(await admin.request('settlements', { station: RIG_STATION, mismatch: true })).toEqual([]);
  });

  it('a transaction HQ holds differently is a mismatch at HQ and on the kiosk', async () => {
    const t = await sell('A001', 8_00);
    await expect.poll(async () => (await kiosk.journal.outboxSeqs()).length, { timeout: 15_000 }).toBe(0);
    // Alter HQ's archived copy of that sale: the amount HQ holds is no longer the kiosk's.
    const seq = kiosk.journal.lastCounters.event;
    const key = `j:${RIG_STATION}:${pad16(seq)}`;
    const archived = await rig.hq.store.get<{ txn: TxnRecord }>(key);
    expect(archived?.txn.serial).toBe(t.serial);
    await rig.hq.store.put(key, { ...archived, txn: { ...archived?.txn, amountFen: 80_00 } });

    const s = await book.record({ kind: 'station' }, 'S001');
    await expect
      .poll(() => checked(s.record.id), { timeout: 15_000 })
      .toMatchObject({
        match: false,
        kioskDigest: s.record.digest,
      });
    const alert = await checked(s.record.id);
    expect(alert?.hqDigest).not.toBe(s.record.digest);
    expect(
      (await admin.request<SettlementCheck[]>('settlements', { mismatch: true })).map((c) => c.id),
    ).toEqual([s.record.id]);

    await expect
      .poll(async () => (await book.list(s.record.businessDate)).find((r) => r.id === s.record.id)?.hq, {
        timeout: 15_000,
      })
      .toMatchObject({ match: false, digest: alert?.hqDigest });
    const events = [];
    for (let i = s.record.id + 1; i <= kiosk.journal.lastCounters.event; i++)
      events.push(await kiosk.journal.getEvent(i));
    expect(events.map((e) => e?.info)).toContainEqual(
      expect.objectContaining({ kind: 'settlement-mismatch', id: s.record.id, hqDigest: alert?.hqDigest }),
    );
  });
});
