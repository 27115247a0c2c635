import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { selectAid } from '../../../devices/card-reader/apdu.ts';
import type { CardReaderConfig } from '../../../devices/card-reader/card-reader-config.ts';
import { ELECTRICITY_AID } from '../../../devices/card-reader/electricity-card-format.ts';
import { PcscCardReader } from '../../../devices/card-reader/pcsc-card-reader.ts';
import { VirtualElectricityCard } from '../../../devices/card-reader/virtual-electricity-card.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { FakePcscBus } from './fake-pcsclite.ts';

const READER = 'ACS ACR39U ICC Reader 00 00';
const config: Omit<CardReaderConfig, 'driver'> = {
  readerNamePattern: '^ACS ACR39U',
  transmitTimeoutMs: 1000,
  retryIntervalMs: 500,
  removalSettleMs: 300,
  pcscdSocket: '/nonexistent/pcscd.comm',
  simCard: null,
};
const card = () =>
  new VirtualElectricityCard({
    cardSerial: '0011223344556677',
    customerNo: '42',
    masterKey: new Uint8Array(16),
  });
/** Lets the binding's setImmediate callbacks (not faked) run. */
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

let bus: FakePcscBus;
let reader: PcscCardReader;
let events: string[];

function make(extra: Partial<typeof config> = {}, loadPcsc = async () => bus.factory) {
  reader = new PcscCardReader(
    { ...config, ...extra },
    { clock: systemClock, logger: silentLogger(), loadPcsc, probe: bus.probe },
  );
  events = [];
  for (const ev of ['reader-attached', 'reader-detached', 'card-inserted', 'card-removed'] as const) {
    reader.on(ev, (e: { reader: string }) => events.push(`${ev}:${e.reader}`));
  }
  return reader;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  bus = new FakePcscBus();
});
afterEach(async () => {
  await reader?.stop();
  await flush();
  vi.useRealTimers();
});

describe('PcscCardReader', () => {
  it('reports a missing binding as unsupported and does not throw from start', async () => {
    make({}, () => Promise.reject(new Error('Cannot find module')));
    await reader.start();
    expect(reader.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_UNSUPPORTED' } });
  });

  it('waits for pcscd without opening a context, then attaches the matching reader', async () => {
    bus.serviceUp = false;
    bus.plug('Other Reader 00 00');
    bus.plug(READER);
    make();
    await reader.start();
    expect(reader.health()).toMatchObject({
      state: 'offline',
      reason: { code: 'DEVICE_E_ABSENT', en: 'pcscd is not running' },
    });
    expect(bus.contexts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(config.retryIntervalMs * 3);
    expect(bus.contexts).toHaveLength(0);
    bus.startService();
    await vi.advanceTimersByTimeAsync(config.retryIntervalMs + 1);
    await flush();
    expect(reader.health().state).toBe('ok');
    expect(reader.readerName()).toBe(READER);
    expect(events).toEqual([`reader-attached:${READER}`]);
  });

  it('reports cards coming and going and exchanges APDUs', async () => {
    bus.plug(READER);
    make();
    await reader.start();
    await flush();
    const c = card();
    bus.insert(READER, c);
    expect(reader.cardPresent()).toBe(true);
    const s = await reader.connect();
    expect(Buffer.from(s.atr).equals(Buffer.from(c.atr))).toBe(true);
    const r = await s.transmit(selectAid(ELECTRICITY_AID));
    expect(r.sw).toBe(0x9000);
    expect(bus.transmits).toEqual(['00a4040c0af04b494f534b454c4543']);
    await s.close();
    bus.remove(READER);
    expect(events).toEqual([
      `reader-attached:${READER}`,
      `card-inserted:${READER}`,
      `card-removed:${READER}`,
    ]);
    await expect(reader.connect()).rejects.toMatchObject({ code: 'DEVICE_E_NO_CARD' });
  });

  it("a second connect while one is on its way is refused busy and cannot take the first one's handle", async () => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    // A purchase write and a customer's read reach the reader at once.
    const [first, second] = await Promise.allSettled([reader.connect(), reader.connect()]);
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'DEVICE_E_BUSY' } });
    if (first.status !== 'fulfilled') throw first.reason;
    const s = first.value;
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).resolves.toMatchObject({ sw: 0x9000 });
    await s.close();
    // The exclusive hold went with the session: the next one connects.
    expect(bus.exclusive.size).toBe(0);
    const again = await reader.connect();
    await expect(again.transmit(selectAid(ELECTRICITY_AID))).resolves.toMatchObject({ sw: 0x9000 });
    await again.close();
  });

  it('a connection the binding could not close is refused busy, never used without a protocol', async () => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    const s = await reader.connect();
    const fail = () => new Error('SCardDisconnect error: Internal error.(0x80100001)');
    bus.reader(READER).disconnectError = fail();
    await s.close();
    bus.reader(READER).disconnectError = fail();
    await expect(reader.connect()).rejects.toMatchObject({ code: 'DEVICE_E_BUSY' });
    // The next attempt closes it and connects.
    const again = await reader.connect();
    await expect(again.transmit(selectAid(ELECTRICITY_AID))).resolves.toMatchObject({ sw: 0x9000 });
    await again.close();
  });

  it('a context that fails with a session open lets go of the card before it is rebuilt', async () => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    const s = await reader.connect();
    expect(bus.exclusive.size).toBe(1);
    bus.contexts.at(-1)!.emit('error', new Error('SCardGetStatusChange error: Internal error.(0x80100001)'));
    await flush();
    expect(bus.exclusive.size).toBe(0);
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).rejects.toMatchObject({
      code: 'DEVICE_E_CARD_REMOVED',
    });
  });

  it.each([
    ['SCardConnect error: Card is unresponsive.(0x80100066)', 'DEVICE_E_WRONG_CARD'],
    ['SCardConnect error: Sharing violation.(0x8010000b)', 'DEVICE_E_BUSY'],
    ['SCardConnect error: Something new.(0x80100099)', 'DEVICE_E_IO'],
  ])('maps connect failure %s to %s', async (message, code) => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    bus.reader(READER).connectError = new Error(message);
    await expect(reader.connect()).rejects.toMatchObject({
      code,
      cause: expect.objectContaining({ message }),
    });
  });

  it('an empty answer (vpcd when the card vanishes mid-command) is a removal once the reader reports it', async () => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    const s = await reader.connect();
    const r = bus.reader(READER);
    r.transmit = (_d, _l, _p, cb) => {
      r.card = null;
      setImmediate(() => cb(null, Buffer.alloc(0)));
      setTimeout(() => r.status(), 100);
    };
    const torn = s.transmit(selectAid(ELECTRICITY_AID)).catch((e) => e);
    await vi.advanceTimersByTimeAsync(150);
    expect(await torn).toMatchObject({ code: 'DEVICE_E_CARD_REMOVED' });
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).rejects.toMatchObject({
      code: 'DEVICE_E_CARD_REMOVED',
    });
  });

  it('an empty answer with the card still present is an I/O error after the settle time', async () => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    const s = await reader.connect();
    const r = bus.reader(READER);
    r.transmit = (_d, _l, _p, cb) => setImmediate(() => cb(null, Buffer.alloc(0)));
    const p = s.transmit(selectAid(ELECTRICITY_AID)).catch((e) => e);
    await vi.advanceTimersByTimeAsync(config.removalSettleMs + 1);
    expect(await p).toMatchObject({ code: 'DEVICE_E_IO' });
  });

  it('maps SCardTransmit "card removed" to DEVICE_E_CARD_REMOVED at once', async () => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    const s = await reader.connect();
    bus.reader(READER).transmitError = new Error('SCardTransmit error: Card was removed.(0x80100069)');
    const p = s.transmit(selectAid(ELECTRICITY_AID)).catch((e) => e);
    await flush();
    expect(await p).toMatchObject({ code: 'DEVICE_E_CARD_REMOVED' });
  });

  it('times out a slow card and refuses the next command until the late answer is in', async () => {
    const c = card();
    c.slowMs = 3000;
    bus.plug(READER, c);
    make();
    await reader.start();
    await flush();
    const s = await reader.connect();
    const p = s.transmit(selectAid(ELECTRICITY_AID)).catch((e) => e);
    await vi.advanceTimersByTimeAsync(config.transmitTimeoutMs + 1);
    expect(await p).toMatchObject({ code: 'DEVICE_E_TIMEOUT' });
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).rejects.toMatchObject({ code: 'DEVICE_E_BUSY' });
    await vi.advanceTimersByTimeAsync(3000);
    c.slowMs = 0;
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).resolves.toMatchObject({ sw: 0x9000 });
  });

  it('reader unplugged: session dies, offline; plugged back: ok again', async () => {
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    const s = await reader.connect();
    bus.unplug(READER);
    await flush();
    expect(reader.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_DISCONNECTED' } });
    expect(events.slice(-2)).toEqual([`card-removed:${READER}`, `reader-detached:${READER}`]);
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).rejects.toMatchObject({
      code: 'DEVICE_E_CARD_REMOVED',
    });
    await expect(reader.connect()).rejects.toMatchObject({ code: 'DEVICE_E_ABSENT' });
    bus.plug(READER, card());
    await flush();
    expect(reader.health().state).toBe('ok');
    expect(reader.cardPresent()).toBe(true);
  });

  it('pcscd restart: closes every reader then the context, reopens, and finds the card again', async () => {
    bus.plug('Other Reader 00 00');
    bus.plug(READER, card());
    make();
    await reader.start();
    await flush();
    bus.killService();
    await flush();
    expect(reader.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_DISCONNECTED' } });
    expect(bus.allClosed()).toBe(true);
    expect(bus.closeLog.at(-1)).toBe('context');
    await vi.advanceTimersByTimeAsync(config.retryIntervalMs * 2);
    expect(bus.contexts).toHaveLength(1);
    bus.startService();
    await vi.advanceTimersByTimeAsync(config.retryIntervalMs + 1);
    await flush();
    expect(bus.contexts).toHaveLength(2);
    expect(reader.health().state).toBe('ok');
    expect(reader.cardPresent()).toBe(true);
    expect(events.filter((e) => e.startsWith('reader-attached'))).toHaveLength(2);
  });

  it('stop closes all readers before the context and swallows the cancellation error', async () => {
    bus.plug('Other Reader 00 00');
    bus.plug(READER);
    make();
    await reader.start();
    await flush();
    await reader.stop();
    await flush();
    expect(bus.allClosed()).toBe(true);
    expect(bus.closeLog).toEqual(['reader:Other Reader 00 00', `reader:${READER}`, 'context']);
    expect(reader.health().state).toBe('offline');
  });
});

describe('PcscCardReader reader selection', () => {
  it('a second matching reader takes over with the card it already holds; a swapped card is a removal', async () => {
    const SECOND = 'ACS ACR39U ICC Reader 01 00';
    bus.plug(READER);
    bus.plug(SECOND, card());
    make();
    await reader.start();
    await flush();
    expect(reader.readerName()).toBe(READER);
    expect(reader.cardPresent()).toBe(false);
    bus.unplug(READER);
    await flush();
    expect(reader.readerName()).toBe(SECOND);
    expect(reader.health().state).toBe('ok');
    expect(reader.cardPresent()).toBe(true);
    const s = await reader.connect();
    const other = new VirtualElectricityCard({
      cardSerial: '8899AABBCCDDEEFF',
      customerNo: '43',
      masterKey: new Uint8Array(16),
    });
    Object.defineProperty(other, 'atr', { value: Uint8Array.from([0x3b, 0x00]) });
    bus.insert(SECOND, other);
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).rejects.toMatchObject({
      code: 'DEVICE_E_CARD_REMOVED',
    });
    expect(events.slice(-2)).toEqual([`card-removed:${SECOND}`, `card-inserted:${SECOND}`]);
  });
});
