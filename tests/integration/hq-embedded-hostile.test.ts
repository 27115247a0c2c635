import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../src/reference-hq/admin-client.ts';
import type { EmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { type EmbeddedHqRig, RIG_STATION, startEmbeddedHqRig } from '../support/embedded-hq-rig.ts';
import { forgedControl, forgedJournal, forgedPay, forgedTopup } from '../support/forged-messages.ts';
import type { TestKiosk } from '../support/hq-kiosk.ts';

const STATION = RIG_STATION;
/** A second station: its login is what a hostile kiosk (or whoever took its login) holds. */
const OTHER = '33019999';
const PHONE = '13800138000';

async function connect(url: string, opts: IClientOptions): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
}

/** Publishes and waits for the broker to drop the connection (its answer to a refused publish). */
async function publishRefused(c: MqttClient, topic: string, payload: string): Promise<void> {
  const closed = new Promise<void>((r) => c.once('close', () => r()));
  c.publish(topic, payload, { qos: 1 }, () => undefined);
  await closed;
}

describe('embedded broker: a hostile local client', () => {
  let rig: EmbeddedHqRig;
  let dir: string;
  let hq: EmbeddedHq;
  let kiosk: TestKiosk;
  let admin: AdminClient;
  const opened: MqttClient[] = [];

  const open = async (opts: IClientOptions): Promise<MqttClient> => {
    const c = await connect(hq.url, opts);
    opened.push(c);
    return c;
  };
  const asOther = async (): Promise<MqttClient> => open({ clientId: OTHER, ...(await hq.kioskLogin(OTHER)) });
  const balanceFen = async (): Promise<number> => (await hq.server.accounts.get(STATION)).balanceFen;

  beforeAll(async () => {
    rig = await startEmbeddedHqRig('hq-hostile-');
    ({ dir, hq } = rig);
    kiosk = await rig.kiosk();
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    admin = await rig.admin();
  });

  afterAll(async () => {
    for (const c of opened) await c.endAsync(true).catch(() => undefined);
    await kiosk?.stop();
    await rig?.stop();
  });

  it('keeps the generated logins in files only the kiosk user can read', async () => {
    await expect.poll(() => kiosk.balance.summary().balance).toBe('100.00');
    for (const f of ['broker-credentials.json', 'connection.json']) {
      expect((await stat(join(dir, 'hq', f))).mode & 0o777, f).toBe(0o600);
    }
    expect((await stat(join(dir, 'hq'))).mode & 0o777).toBe(0o700);
  });

  it('refuses a client without a login, with a wrong one, or with a login under another client id', async () => {
    const kioskLogin = await hq.kioskLogin(STATION);
    await expect(connect(hq.url, { clientId: 'evil' })).rejects.toThrow(/Not authorized/i);
    await expect(connect(hq.url, { clientId: STATION })).rejects.toThrow(/Not authorized/i);
    await expect(
      connect(hq.url, { clientId: STATION, username: STATION, password: 'guess' }),
    ).rejects.toThrow(/Not authorized/i);
    // Kicking the kiosk off by its client id: with another station's, the admin's or HQ's login.
    for (const login of [await hq.kioskLogin(OTHER), hq.adminLogin]) {
      await expect(connect(hq.url, { clientId: STATION, ...login })).rejects.toThrow(/Not authorized/i);
    }
    // A kiosk's login under HQ's or the admin tool's client id.
    for (const clientId of [`hq-embedded-${process.pid}`, 'kiosk-hq-cli-evil0001']) {
      await expect(connect(hq.url, { clientId, ...kioskLogin })).rejects.toThrow(/Not authorized/i);
    }
    expect(kiosk.link.online).toBe(true);
    expect((await admin.request<Array<{ station: string; online: boolean }>>('kiosks', {}))[0]).toMatchObject(
      {
        station: STATION,
        online: true,
      },
    );
  });

  it('refuses a forged top-up on the admin topic from anyone but the admin tool and HQ', async () => {
    const before = await balanceFen();
    await publishRefused(await asOther(), 'hq/v1/admin/req', forgedTopup(STATION));
    expect(await balanceFen()).toBe(before);
    expect(kiosk.balance.summary().balance).toBe('100.00');
  });

  it('refuses a notice or a biller fault on the control topic', async () => {
    await publishRefused(await asOther(), 'hq/v1/control', forgedControl());
    expect(hq.server.faults.list()).toEqual({});
  });

  it('refuses a payment request or journal events published as the kiosk', async () => {
    const before = await balanceFen();
    const journalBefore = await hq.server.archive.meta(STATION);
    await publishRefused(await asOther(), `kiosk/v1/${STATION}/up/req`, forgedPay(STATION));
    const fake = forgedJournal(STATION, journalBefore.contiguous + 1);
    await publishRefused(await asOther(), `kiosk/v1/${STATION}/up/journal`, fake);
    // The admin tool may not publish as a kiosk either.
    const tool = await open({ clientId: 'kiosk-hq-cli-evil0001', ...hq.adminLogin });
    await publishRefused(tool, `kiosk/v1/${STATION}/up/req`, forgedPay(STATION));
    expect(await balanceFen()).toBe(before);
    expect(await hq.server.archive.meta(STATION)).toEqual(journalBefore);
  });

  it("refuses subscriptions that would read the kiosk's numbers or HQ's traffic", async () => {
    const other = await asOther();
    const tool = await open({ clientId: 'kiosk-hq-cli-evil0002', ...hq.adminLogin });
    for (const [c, filter] of [
      [other, '#'],
      [other, 'kiosk/#'],
      [other, `kiosk/v1/${STATION}/down/#`],
      [other, 'kiosk/v1/+/up/req'],
      [other, '$share/hq/kiosk/v1/+/up/req'],
      [other, 'hq/v1/admin/res/#'],
      [tool, 'kiosk/#'],
      [tool, 'hq/v1/admin/res/kiosk-hq-cli-evil0001'],
    ] as const) {
      // The SUBACK carries the failure code 0x80, which mqtt.js reports as an error.
      await expect(c.subscribeAsync(filter, { qos: 1 }), `${c.options.clientId} ${filter}`).rejects.toThrow(
        /Subscribe error/,
      );
    }
    // Its own tree is granted, and a payment by the real kiosk shows nothing on it.
    expect((await other.subscribeAsync(`kiosk/v1/${OTHER}/down/#`, { qos: 1 }))[0]?.qos).toBe(1);
    const seen: string[] = [];
    other.on('message', (_t, p) => seen.push(p.toString()));
    tool.on('message', (_t, p) => seen.push(p.toString()));
    const r = await kiosk.link.port.request(
      {
        op: 'pay',
        service: 'mobile-topup',
        serial: '0000000001',
        stationId: STATION,
        idempotencyKey: 'k-mobile-1:pay:0',
        payload: { fields: { phone: PHONE }, amount: '10.00' },
      },
      new AbortController().signal,
    );
    expect(r.outcome).toBeDefined();
    expect(seen.join('\n')).not.toContain(PHONE);
  });

  it('the admin tool with its own login still does its work', async () => {
    const r = await admin.request<{ ref: string }>('topup', { station: STATION, amount: '1.00' });
    expect(r.ref).toMatch(/^DEP/);
    await expect.poll(() => kiosk.balance.summary().balance).toBe('101.00');
  });
});
