import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDisplay } from '../../devices/display/sim-display.ts';
import type { SimGpio } from '../../devices/gpio/sim-gpio.ts';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

/**
 * The kiosk as `npm start` runs it — simulated devices, the embedded broker and the reference HQ —
 * driven end to end: a payment through the real billers with its receipt, an HQ notice on the
 * sign with its proof of display relayed back, and the GPIO alarms.
 */
describe('kiosk on its embedded defaults, end to end', () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({
      prefix: 'kiosk-e2e-',
      // Closed all day, so an opened door is always outside business hours.
      config: { business: { dayCut: '21:00', hours: { open: '00:00', close: '00:00' } } },
    });
    app = kiosk.app;
  });
  afterAll(async () => {
    await kiosk.stop();
  });

  it("sells only what HQ enabled: the reference HQ enables the demo operator's trained services", async () => {
    const trained = [...app.config.hq.embedded.trainedServices].sort();
    await expect.poll(() => [...app.config.services.enabled].sort(), { timeout: 10_000 }).toEqual(trained);
    expect(trained).toContain('unicom-cash');
    expect(app.config.services.fees).toEqual({});
  });

  it('gets its opening balance from HQ', async () => {
    await expect.poll(() => app.balance.summary().balance, { timeout: 10_000 }).toBe('1000.00');
  });

  it('tops up only mobile numbers of the cities HQ opened in its province: 安徽, so 安庆 only', async () => {
    expect(app.config.region).toMatchObject({ province: '安徽', city: '安庆' });
    await expect.poll(() => app.config.services.mobileRegions, { timeout: 10_000 }).toEqual(['安庆']);
    expect(await app.engine.inquire('mobile-topup', { phone: '13812345678' }, TELLER)).toMatchObject({
      city: '安庆',
    });
    const before = app.balance.summary();
    const err = await app.engine
      .create('mobile-topup', { phone: '19912345678', amount: '50' }, TELLER)
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^phone: .*开通地区/);
    expect(app.balance.summary()).toEqual(before);
  });

  it('pays a Unicom bill through the reference HQ and prints a masked receipt', async () => {
    const t = await app.engine.create('unicom-cash', { phone: '13812345678', amount: '50' }, TELLER);
    const done = await app.engine.waitFor(t.serial, (x) => x.terminal);
    expect(done.state).toBe('succeeded');
    expect(app.balance.summary().balance).toBe('950.00');
    const printer = app.devices!.printer as SimPrinter;
    await expect.poll(() => printer.jobs().length, { timeout: 5000 }).toBeGreaterThan(0);
    const text = printedText(decodeEscPos(printer.jobs().at(-1)!.bytes));
    expect(text).toContain('联通现金代收');
    expect(text).toContain('138****5678');
    expect(text).toContain(t.serial);
    expect(text).not.toContain('13812345678');
  });

  it('refuses a number outside the enabled regions before holding anything', async () => {
    const err = await app.engine
      .create('mobile-topup', { phone: '19912345678', amount: '50' }, TELLER)
      .catch((e) => e);
    expect(err).toMatchObject({ field: 'phone' });
    expect(app.balance.summary().held).toBe('0.00');
  });

  it('relays every journal event to HQ', async () => {
    await expect.poll(() => app.journal.outboxDepth(), { timeout: 10_000 }).toBe(0);
  });

  it('shows an HQ emergency notice on the sign and relays its proof of display', async () => {
    await app.hq.embedded!.server.commands.send(app.config.stationId, 'notice', {
      id: 'storm-1',
      text: '暴雨预警 请注意安全',
      priority: 'emergency',
      kind: 'first',
      followUpOf: null,
      startAt: null,
      endAt: null,
    });
    await expect
      .poll(() => app.devices!.sign.snapshot().showing?.id ?? null, { timeout: 5000 })
      .toBe('storm-1');
    const display = app.devices!.display as SimDisplay;
    expect(display.latestPreview()).toBeTruthy();
    const sign = (await (await fetch(`${app.url}api/display`)).json()) as {
      showing: { id: string; text: string };
    };
    expect(sign.showing).toMatchObject({ id: 'storm-1', text: '暴雨预警 请注意安全' });
    const png = await fetch(`${app.url}api/display/preview.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    await app.hq.embedded!.server.commands.send(app.config.stationId, 'notice-withdraw', { id: 'storm-1' });
    await expect
      .poll(
        async () => {
          for await (const ev of app.journal.events())
            if (ev.info?.kind === 'display-proof' && ev.info.noticeId === 'storm-1') return true;
          return false;
        },
        { timeout: 5000 },
      )
      .toBe(true);
  });

  it('raises the networked alarm when the door opens outside business hours', async () => {
    const gpio = app.devices!.gpio as SimGpio;
    gpio.openDoor();
    await expect
      .poll(
        async () => {
          for await (const ev of app.journal.events()) if (ev.info?.kind === 'door-alarm') return true;
          return false;
        },
        { timeout: 5000 },
      )
      .toBe(true);
    gpio.closeDoor();
  });

  it('stops selling and asks for a clean shutdown on power failure', async () => {
    const asked = new Promise((r) => app.once('shutdown-requested', r));
    (app.devices!.gpio as SimGpio).setInput('powerFail', true);
    expect(await asked).toBe('power-fail');
    await expect(
      app.engine.create('mobile-topup', { phone: '13812345678', amount: '10' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_SAFE_MODE',
    });
  });
});
