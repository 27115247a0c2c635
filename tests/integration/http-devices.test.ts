import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCardReader } from '../../devices/card-reader/sim-card-reader.ts';
import { VirtualForeignCard } from '../../devices/card-reader/virtual-electricity-card.ts';
import type { SimDisplay } from '../../devices/display/sim-display.ts';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/**
 * The operator's device actions over the local API, on the simulated devices behind the same
 * interfaces as the real drivers: each device's state, a printer test page (printed, or failed
 * and never queued) and reconnecting the printer, the card reader and the LED sign — each
 * journaled with the operator before and after it touches the device.
 */
describe('local HTTP API: device state and actions', () => {
  let k: TestKiosk;
  let teller: string;

  beforeAll(async () => {
    k = await startTestKiosk({
      overrides: {
        devices: {
          display: {
            sim: { pngPath: join(tmpdir(), `led-preview-devices-${process.pid}.png`) },
            // The sign's own retry waits a minute: only an operator's reconnect brings it back sooner.
            reconnect: { initialDelayMs: 60_000, maxDelayMs: 600_000 },
          },
        },
      },
    });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    teller = await k.login('A001', '123456');
  });
  afterAll(async () => {
    await k.stop();
  });

  /** The journaled device actions, oldest first. */
  const actions = async () => {
    const out: Array<Record<string, unknown>> = [];
    for await (const ev of k.app.journal.events())
      if (ev.type === 'operator' && ev.info?.kind === 'device-action') out.push(ev.info);
    return out;
  };

  it('shows each device’s state and actions to an operator only', async () => {
    expect((await k.api('GET', '/api/devices')).status).toBe(401);
    expect((await k.api('POST', '/api/devices/printer/test-page')).status).toBe(401);
    expect((await k.api('POST', '/api/devices/led/reconnect')).status).toBe(401);
    const r = await k.api('GET', '/api/devices', { token: teller });
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.items.map((d: { name: string }) => [d.name, d]));
    expect(Object.keys(byName)).toEqual(['printer', 'card-reader', 'led', 'gpio']);
    expect(byName.printer).toMatchObject({
      state: 'ok',
      driver: 'sim',
      detail: { paper: 'ok', needsReprint: 0 },
      actions: [{ name: 'test-page' }, { name: 'reconnect' }],
    });
    expect(byName['card-reader'].actions.map((a: { name: string }) => a.name)).toEqual(['reconnect']);
    expect(byName.gpio.actions).toEqual([]);
    expect(await actions()).toEqual([]);
  });

  it('prints a test page, journaled before and after; a printer out of paper says so and queues nothing', async () => {
    const printer = k.app.devices!.printer as SimPrinter;
    const before = printer.jobs().length;
    const ok = await k.api('POST', '/api/devices/printer/test-page', { token: teller });
    expect(ok.body).toMatchObject({
      outcome: 'printed',
      reason: null,
      device: { name: 'printer', state: 'ok' },
    });
    expect(printer.jobs()).toHaveLength(before + 1);
    const text = printedText(decodeEscPos(printer.jobs().at(-1)!.bytes));
    expect(text).toContain('打印测试页');
    expect(text).toContain('0123456789');
    printer.paperOut();
    const out = await k.api('POST', '/api/devices/printer/test-page', { token: teller });
    expect(out.body).toMatchObject({
      outcome: 'failed',
      reason: { code: 'DEVICE_E_PAPER_OUT' },
      device: { state: 'offline', detail: { paper: 'out', needsReprint: 0 } },
    });
    expect(k.app.devices!.printQueue.pending()).toHaveLength(0);
    printer.loadPaper();
    const log = await actions();
    expect(log.map((a) => [a.action, a.phase, a.outcome ?? null, a.operator])).toEqual([
      ['test-page', 'intent', null, 'A001'],
      ['test-page', 'outcome', 'printed', 'A001'],
      ['test-page', 'intent', null, 'A001'],
      ['test-page', 'outcome', 'failed', 'A001'],
    ]);
  });

  it('reconnects the LED sign at once instead of waiting for its retry', async () => {
    const display = k.app.devices!.display as SimDisplay;
    display.disconnect();
    await expect.poll(() => display.health().state).toBe('offline');
    display.plugIn();
    // Plugged back, but the driver's next try is a minute away.
    expect((await k.api('GET', '/api/devices', { token: teller })).body.items[2]).toMatchObject({
      name: 'led',
      state: 'offline',
    });
    const r = await k.api('POST', '/api/devices/led/reconnect', { token: teller });
    expect(r.status).toBe(200);
    expect(r.body.device).toMatchObject({ name: 'led', state: 'ok', reason: null });
    expect((await actions()).slice(-2)).toMatchObject([
      { device: 'led', action: 'reconnect', phase: 'intent', operator: 'A001' },
      { device: 'led', action: 'reconnect', phase: 'outcome', outcome: 'ok' },
    ]);
  });

  it('reconnects the printer and the card reader; refuses the reader while a card session is open', async () => {
    const p = await k.api('POST', '/api/devices/printer/reconnect', { token: teller });
    expect(p.body.device).toMatchObject({ name: 'printer', state: 'ok' });
    const reader = k.app.devices!.cardReader as SimCardReader;
    // The simulator starts with a card in the slot; a known one goes in instead.
    if (reader.cardPresent()) reader.removeCard();
    reader.insertCard(new VirtualForeignCard());
    const session = await reader.connect();
    const busy = await k.api('POST', '/api/devices/card-reader/reconnect', { token: teller });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'KIOSK_E_ACTION_NOT_ALLOWED', field: 'device' });
    expect(busy.body.en).toContain('session');
    // The session was left alone.
    await expect(
      session.transmit({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: new Uint8Array([1]) }),
    ).resolves.toBeDefined();
    await session.close();
    reader.removeCard();
    const again = await k.api('POST', '/api/devices/card-reader/reconnect', { token: teller });
    expect(again.body.device).toMatchObject({
      name: 'card-reader',
      state: 'ok',
      detail: { cardPresent: false },
    });
    const unknown = await k.api('POST', '/api/devices/gpio/reconnect', { token: teller });
    expect(unknown).toMatchObject({ status: 404, body: { field: 'device' } });
    expect((await actions()).slice(-6).map((a) => [a.device, a.phase, a.outcome ?? null])).toEqual([
      ['printer', 'intent', null],
      ['printer', 'outcome', 'ok'],
      ['card-reader', 'intent', null],
      ['card-reader', 'outcome', 'refused'],
      ['card-reader', 'intent', null],
      ['card-reader', 'outcome', 'ok'],
    ]);
  });
});
