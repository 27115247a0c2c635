import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localInstant } from '../../src/core/business-day.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { AdminClient } from '../../src/reference-hq/admin-client.ts';
import type { StationMonthlyReport } from '../../src/reference-hq/journals.ts';
import { MonthlyPush, monthlyPushKey } from '../../src/settlement/monthly-push.ts';
import { type EmbeddedHqRig, RIG_STATION, startEmbeddedHqRig } from '../support/embedded-hq-rig.ts';
import type { TestKiosk } from '../support/hq-kiosk.ts';
import { txn } from '../unit/reports/fixtures.ts';

/**
 * The monthly report (每月结报) a kiosk sends at the month cut: journaled once with its marker,
 * delivered by the journal relay even when HQ was unreachable when it was made (the kiosk stopped
 * before sending it and sends it after the restart), stored once at HQ and shown by kiosk-hq.
 */
describe('monthly report pushed at the month cut', () => {
  let rig: EmbeddedHqRig;
  let admin: AdminClient;
  let dir: string;
  let kiosk: TestKiosk | undefined;
  // Chosen times: sales in November 2026, then the first business date of December.
  const clock = new ManualClock(localInstant('20261115', '10:00'));

  const sell = (k: TestKiosk, amountFen: number) =>
    k.journal.commit((b) => {
      const serial = b.nextSerial();
      const t = txn({
        serial,
        idempotencyKey: `k${serial}`,
        stationId: RIG_STATION,
        service: 'water-bill',
        businessDate: '20261115',
        createdAt: b.at,
        updatedAt: b.at,
        stateSince: b.at,
        fields: { account: '12345678' },
        amountFen,
        feeFen: 100,
      });
      b.event({ type: 'txn.transition', serial, from: 'paying', outcome: 'ok', txn: t });
      b.putTxn(t);
    });

  beforeAll(async () => {
    rig = await startEmbeddedHqRig('hq-monthly-');
    admin = await rig.admin();
    dir = await mkdtemp(join(tmpdir(), 'kiosk-monthly-'));
  });

  afterAll(async () => {
    await kiosk?.stop();
    await rig?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the month once at the cut, and HQ stores it after the kiosk comes back', async () => {
    const offline = await rig.kiosk({ clock, dir });
    const push = new MonthlyPush(offline.journal, clock, () => '21:00', silentLogger());
    // October is before the journal's first event; November is not over.
    await sell(offline, 30_00);
    await sell(offline, 12_50);
    expect(await push.check()).toBeNull();
    clock.set(localInstant('20261130', '20:59'));
    expect(await push.check()).toBeNull();

    // 21:00 on the 30th is the first business date of December: November is reported.
    clock.set(localInstant('20261130', '21:00'));
    const rec = await push.check();
    expect(rec).toMatchObject({ period: '202611', count: 2 });
    expect(await push.check()).toBeNull();
    // Never connected: the report waits in the journal's outbox.
    expect(await offline.journal.outboxSeqs()).toContain(rec?.event);
    await offline.stop();

    kiosk = await rig.kiosk({ clock, dir });
    expect(await kiosk.journal.getJson(monthlyPushKey('202611'))).toEqual(rec);
    expect(await new MonthlyPush(kiosk.journal, clock, () => '21:00', silentLogger()).check()).toBeNull();
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    await expect
      .poll(() => admin.request<StationMonthlyReport[]>('monthly-reports', { month: '202611' }), {
        timeout: 15_000,
      })
      .toEqual([
        expect.objectContaining({
          station: RIG_STATION,
          period: '202611',
          seq: rec?.event,
          count: 2,
          lastDate: '20261130',
          byService: { 'water-bill': { succeeded: { count: 2, amountFen: 42_50, feeFen: 200 } } },
        }),
      ]);
    // Sent again (a resend HQ asks for): stored once.
    await kiosk.link.stop();
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    expect(
      await admin.request<StationMonthlyReport[]>('monthly-reports', { station: RIG_STATION }),
    ).toHaveLength(1);
  });
});
