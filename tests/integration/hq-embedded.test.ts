import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../src/reference-hq/admin-client.ts';
import type { EmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { type EmbeddedHqRig, RIG_STATION, startEmbeddedHqRig } from '../support/embedded-hq-rig.ts';
import type { TestKiosk } from '../support/hq-kiosk.ts';

const STATION = RIG_STATION;

describe('embedded HQ (aedes, MQTT 3.1.1) end to end', () => {
  let rig: EmbeddedHqRig;
  let hq: EmbeddedHq;
  let kiosk: TestKiosk;
  let admin: AdminClient;

  beforeAll(async () => {
    rig = await startEmbeddedHqRig('hq-embedded-');
    hq = rig.hq;
    kiosk = await rig.kiosk();
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    admin = await rig.admin();
  });

  afterAll(async () => {
    await kiosk?.stop();
    await rig?.stop();
  });

  it('shows the kiosk online with its birth data', async () => {
    await expect
      .poll(async () => (await admin.request<Array<{ station: string; online: boolean }>>('kiosks', {}))[0])
      .toMatchObject({
        station: STATION,
        online: true,
      });
  });

  it('credits the opening balance, then a counter top-up raises the balance', async () => {
    await expect.poll(() => kiosk.balance.summary().balance).toBe('100.00');
    const r = await admin.request<{ ref: string }>('topup', { station: STATION, amount: '250.50' });
    expect(r.ref).toMatch(/^DEP/);
    await expect.poll(() => kiosk.balance.summary().balance).toBe('350.50');
  });

  it('delivers a notice and a withdrawal', async () => {
    await admin.request('notice-send', {
      target: { station: STATION },
      notice: { id: 'n1', text: '暴雨预警', priority: 'emergency' },
    });
    await expect.poll(() => kiosk.link.notices().map((n) => n.id)).toEqual(['n1']);
    await admin.request('notice-withdraw', { target: { all: true }, id: 'n1' });
    await expect.poll(() => kiosk.link.notices().length).toBe(0);
  });

  it('answers a transaction request through the engine port, repeat gives the first answer', async () => {
    const req = {
      op: 'pay',
      service: 'water-bill',
      serial: '0000000001',
      stationId: STATION,
      idempotencyKey: 'k-water-1:pay:0',
      payload: { fields: { account: '12345678' }, amount: '30.00' },
    };
    const first = await kiosk.link.port.request(req, new AbortController().signal);
    expect(first.outcome).toBe('ok');
    const again = await kiosk.link.port.request(req, new AbortController().signal);
    expect(again).toEqual(first);
    const status = await kiosk.link.port.request(
      { ...req, op: 'status', idempotencyKey: 'k-water-1:status:0', payload: { ref: null } },
      new AbortController().signal,
    );
    expect(status).toMatchObject({ outcome: 'ok', data: { billerRef: first.data?.billerRef } });
  });

  it('relays the journal and HQ acknowledges it', async () => {
    await expect.poll(async () => (await kiosk.journal.outboxSeqs()).length).toBe(0);
    const kiosks = await admin.request<Array<{ journal: { contiguous: number } }>>('kiosks', {});
    expect(kiosks[0]?.journal.contiguous).toBe(kiosk.journal.lastCounters.event);
  });

  it('a silent biller leaves the request unanswered (the engine makes it unknown); duplicates are harmless', async () => {
    const base = {
      service: 'gas-bill',
      serial: '0000000002',
      stationId: STATION,
      payload: { fields: { account: '12345678' }, amount: '10.00' },
    };
    await admin.request('fault', { service: 'gas-bill', mode: 'silent' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(
      kiosk.link.port.request({ ...base, op: 'pay', idempotencyKey: 'k-gas:pay:0' }, ac.signal),
    ).rejects.toThrow();
    await admin.request('fault', { service: 'gas-bill', mode: 'duplicate' });
    const status = await kiosk.link.port.request(
      { ...base, op: 'status', idempotencyKey: 'k-gas:status:0', payload: { ref: null } },
      new AbortController().signal,
    );
    // The silent request was processed: the status query finds the payment.
    expect(status.outcome).toBe('ok');
    await admin.request('fault', { service: '*', mode: 'normal' });
  });

  it('resends the journal when HQ asks, and HQ stores nothing twice', async () => {
    const before = await hq.server.archive.meta(STATION);
    await hq.server.commands.send(STATION, 'journal-resend', { fromSeq: 1, toSeq: null });
    await expect
      .poll(async () => (await hq.server.archive.meta(STATION)).duplicates)
      .toBeGreaterThan(before.duplicates);
    const after = await hq.server.archive.meta(STATION);
    expect(after.stored).toBe(after.highest);
  });

  it('receives telemetry with balance, outbox and certificate facts', async () => {
    await kiosk.link.sendTelemetry();
    await expect
      .poll(async () => (await hq.server.stations.get(STATION))?.telemetry?.balance.balance)
      .toBe(kiosk.balance.summary().balance);
  });
});
