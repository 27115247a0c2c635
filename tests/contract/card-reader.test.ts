/**
 * Card-reader contract, run against every implementation:
 *  - the simulator, always;
 *  - PcscCardReader → real pcscd → vpcd → Node virtual card, when KIOSK_TEST_CARD_READER=vpcd.
 *    That needs a private network namespace; tests/integration/card-reader-pcsc.test.ts runs it as
 *    `unshare -n bash scripts/pcsc-harness.sh npx vitest run tests/contract/card-reader.test.ts`;
 *  - a real reader on a kiosk or Pi, when KIOSK_TEST_CARD_READER=pcsc: install pcscd and the
 *    reader's driver (e.g. libccid), put any ISO 7816 contact card in the reader, then run
 *      KIOSK_TEST_CARD_READER=pcsc KIOSK_TEST_CARD_READER_NAME='^ACS ACR39U' npx vitest run tests/contract/card-reader.test.ts
 *    Only the reader-level part runs there (no virtual card to fault-inject).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectAid } from '../../devices/card-reader/apdu.ts';
import type { CardReader } from '../../devices/card-reader/card-reader.ts';
import { classifyWriteFailure, ElectricityCardApp } from '../../devices/card-reader/electricity-card.ts';
import { ELECTRICITY_AID, signPurchaseWrite } from '../../devices/card-reader/electricity-card-format.ts';
import { PcscCardReader } from '../../devices/card-reader/pcsc-card-reader.ts';
import { SimCardReader } from '../../devices/card-reader/sim-card-reader.ts';
import {
  VirtualElectricityCard,
  VirtualForeignCard,
} from '../../devices/card-reader/virtual-electricity-card.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { CardReaderFixture } from '../support/pcsc-fixture.ts';

const MASTER = Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
const target = process.env.KIOSK_TEST_CARD_READER;

function simFixture(): CardReaderFixture {
  const transmitTimeoutMs = 1000;
  const reader = new SimCardReader({ transmitTimeoutMs }, { clock: systemClock });
  return {
    name: 'sim',
    reader,
    transmitTimeoutMs,
    insert: async (card) => reader.insertCard(card),
    remove: async () => reader.removeCard(),
    removalSeen: async () => {},
    unplug: async () => reader.detachReader(),
    plug: async () => reader.attachReader(),
    elapse: async (ms) => {
      await vi.advanceTimersByTimeAsync(ms);
    },
    async reset() {
      reader.removeCard();
      reader.attachReader();
      await reader.start();
    },
    dispose: () => reader.stop(),
  };
}

type Factory = () => Promise<CardReaderFixture>;
const electricityTargets: Array<[string, Factory]> = [['sim', async () => simFixture()]];
if (target === 'vpcd') {
  electricityTargets.push([
    'pcsc+vpcd',
    async () => (await import('../support/pcsc-fixture.ts')).createVpcdFixture(),
  ]);
}

function newCard(customerNo = '3301009876', serial = 'A1B2C3D4E5F60718') {
  return new VirtualElectricityCard({ cardSerial: serial, customerNo, masterKey: MASTER });
}

function writeFor(card: VirtualElectricityCard, units: number, ref: string) {
  return signPurchaseWrite(MASTER, {
    cardSerial: card.id.cardSerial,
    customerNo: card.id.customerNo,
    purchaseCounter: card.purchase.purchaseCounter + 1,
    amountFen: units * 2,
    units,
    txnRef: ref,
  });
}

const noop = async () => {};

describe.each(electricityTargets)('card reader + electricity card contract [%s]', (_name, factory) => {
  let f: CardReaderFixture;
  let app: ElectricityCardApp;
  const sim = _name === 'sim';

  beforeAll(async () => {
    if (sim) vi.useFakeTimers();
    f = await factory();
    await f.reset();
    app = new ElectricityCardApp(f.reader);
  });
  afterEach(async () => {
    await f.reset();
  });
  afterAll(async () => {
    await f.dispose();
    vi.useRealTimers();
  });

  it('is ok with a reader attached and reports no card', async () => {
    expect(f.reader.kind).toBe('card-reader');
    expect(f.reader.health().state).toBe('ok');
    expect(f.reader.readerName()).toEqual(expect.any(String));
    expect(f.reader.cardPresent()).toBe(false);
    await expect(f.reader.connect()).rejects.toMatchObject({ code: 'DEVICE_E_NO_CARD' });
    await expect(app.read()).rejects.toMatchObject({ code: 'DEVICE_E_NO_CARD' });
  });

  it('reports insertion with the ATR and reads the card', async () => {
    const card = newCard();
    const seen = new Promise<Uint8Array>((r) => f.reader.once('card-inserted', (e) => r(e.atr)));
    await f.insert(card);
    expect(Buffer.from(await seen).equals(Buffer.from(card.atr))).toBe(true);
    expect(f.reader.cardPresent()).toBe(true);
    const info = await app.read();
    expect(info).toMatchObject({
      cardSerial: 'A1B2C3D4E5F60718',
      customerNo: '3301009876',
      purchaseCounter: 0,
    });
    expect(info.lastPurchase).toBeNull();
  });

  it('writes a purchase, verifies it and reads it back; a repeat is not written twice', async () => {
    const card = newCard();
    card.loadIntoMeter(4_200, '20260101');
    await f.insert(card);
    const w = writeFor(card, 10_050, '0000000000000A01');
    const order: string[] = [];
    const res = await app.writePurchase(w, {
      beforeWrite: async () => void order.push(`before@${card.commits}`),
    });
    expect(order).toEqual(['before@0']);
    expect(res.alreadyApplied).toBe(false);
    expect(res.card).toMatchObject({ purchaseCounter: 1, pendingUnits: 10_050, totalUnits: 10_050 });
    expect(res.card.lastPurchase).toEqual({
      amountFen: 20_100,
      units: 10_050,
      txnRef: '0000000000000A01',
      kind: 'purchase',
    });
    expect(res.card.meter).toMatchObject({ meterRemainingUnits: 4_200, returnDate: '20260101' });
    const again = await app.writePurchase(w, { beforeWrite: noop });
    expect(again.alreadyApplied).toBe(true);
    expect(card.commits).toBe(1);
    const rb = await app.readBack({ cardSerial: w.cardSerial, purchaseCounter: 1, txnRef: w.txnRef });
    expect(rb.outcome).toBe('applied');
  });

  it('writes nothing when the journal step (beforeWrite) fails', async () => {
    const card = newCard();
    await f.insert(card);
    const boom = new Error('journal full');
    await expect(
      app.writePurchase(writeFor(card, 100, '0000000000000B01'), { beforeWrite: () => Promise.reject(boom) }),
    ).rejects.toBe(boom);
    expect(card.commits).toBe(0);
  });

  it.each(['before-commit', 'after-commit'] as const)(
    'card pulled mid-write (%s): outcome unknown, read-back decides',
    async (at) => {
      const card = newCard();
      await f.insert(card);
      const w = writeFor(card, 300, '0000000000000C01');
      card.tearNextWrite(at);
      const err = await app.writePurchase(w, { beforeWrite: noop }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DEVICE_E_CARD_REMOVED' });
      expect(classifyWriteFailure(err)).toBe('unknown');
      await f.removalSeen();
      expect(f.reader.cardPresent()).toBe(false);
      await f.insert(card);
      const rb = await app.readBack({
        cardSerial: w.cardSerial,
        purchaseCounter: w.purchaseCounter,
        txnRef: w.txnRef,
      });
      expect(rb.outcome).toBe(at === 'after-commit' ? 'applied' : 'not-applied');
    },
  );

  it('card write error: refused, not applied, card unchanged', async () => {
    const card = newCard();
    await f.insert(card);
    card.failNextWrites(1);
    const w = writeFor(card, 300, '0000000000000D01');
    const err = await app.writePurchase(w, { beforeWrite: noop }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DEVICE_E_CARD_WRITE' });
    expect(classifyWriteFailure(err)).toBe('not-applied');
    expect(card.purchase.purchaseCounter).toBe(0);
    expect(
      (await app.readBack({ cardSerial: w.cardSerial, purchaseCounter: 1, txnRef: w.txnRef })).outcome,
    ).toBe('not-applied');
  });

  it("wrong cards: a foreign card, and another customer's card for this write", async () => {
    await f.insert(new VirtualForeignCard());
    await expect(app.read()).rejects.toMatchObject({ code: 'DEVICE_E_WRONG_CARD' });
    await f.remove();
    const mine = newCard();
    const other = newCard('3301000001', '0102030405060708');
    await f.insert(other);
    const before = vi.fn(noop);
    const err = await app
      .writePurchase(writeFor(mine, 100, '0000000000000E01'), { beforeWrite: before })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DEVICE_E_WRONG_CARD' });
    expect(classifyWriteFailure(err)).toBe('not-started');
    expect(before).not.toHaveBeenCalled();
    expect(other.commits).toBe(0);
    await expect(
      app.readBack({ cardSerial: mine.id.cardSerial, purchaseCounter: 1, txnRef: '0000000000000E01' }),
    ).rejects.toMatchObject({ code: 'DEVICE_E_WRONG_CARD' });
  });

  it('slow card: times out, then works once the card answers in time', async () => {
    const card = newCard();
    await f.insert(card);
    card.slowMs = f.transmitTimeoutMs * 2;
    const pending = app.read().catch((e: unknown) => e);
    await f.elapse(f.transmitTimeoutMs + 10);
    expect(await pending).toMatchObject({ code: 'DEVICE_E_TIMEOUT' });
    card.slowMs = 0;
    await f.elapse(f.transmitTimeoutMs * 2);
    expect((await app.read()).customerNo).toBe('3301009876');
  });

  it('one session at a time; a session dies with its card', async () => {
    await f.insert(newCard());
    const s = await f.reader.connect();
    await expect(f.reader.connect()).rejects.toMatchObject({ code: 'DEVICE_E_BUSY' });
    expect((await s.transmit(selectAid(ELECTRICITY_AID))).sw).toBe(0x9000);
    await f.remove();
    await expect(s.transmit(selectAid(ELECTRICITY_AID))).rejects.toMatchObject({
      code: 'DEVICE_E_CARD_REMOVED',
    });
    await s.close();
  });

  it('reader unplugged and plugged back: offline, then recovers by itself', async () => {
    const card = newCard();
    await f.insert(card);
    const events: string[] = [];
    for (const ev of ['card-removed', 'reader-detached', 'reader-attached', 'card-inserted'] as const) {
      f.reader.on(ev, () => events.push(ev));
    }
    await f.unplug();
    expect(f.reader.health()).toMatchObject({ state: 'offline' });
    expect(f.reader.readerName()).toBeNull();
    await expect(f.reader.connect()).rejects.toMatchObject({ code: 'DEVICE_E_ABSENT' });
    await f.plug();
    expect(f.reader.health().state).toBe('ok');
    expect(events.slice(0, 2)).toEqual(['card-removed', 'reader-detached']);
    expect(events).toContain('reader-attached');
    expect((await app.read()).cardSerial).toBe(card.id.cardSerial);
    f.reader.removeAllListeners('card-removed').removeAllListeners('reader-detached');
    f.reader.removeAllListeners('reader-attached').removeAllListeners('card-inserted');
  });

  it('stop makes it offline', async () => {
    await f.reader.stop();
    expect(f.reader.health().state).toBe('offline');
  });
});

describe.runIf(target === 'pcsc')('card reader contract on real hardware [pcsc]', () => {
  let reader: CardReader;
  beforeAll(async () => {
    reader = new PcscCardReader(
      {
        readerNamePattern: process.env.KIOSK_TEST_CARD_READER_NAME ?? '',
        transmitTimeoutMs: 5000,
        retryIntervalMs: 500,
        removalSettleMs: 1500,
        pcscdSocket: process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm',
        simCard: null,
      },
      { clock: systemClock, logger: silentLogger() },
    );
    await reader.start();
    await vi.waitFor(() => expect(reader.cardPresent()).toBe(true), { timeout: 10_000 });
  });
  afterAll(() => reader.stop());

  it('is ok, sees the card, exchanges APDUs in one exclusive session', async () => {
    expect(reader.health().state).toBe('ok');
    const s = await reader.connect();
    await expect(reader.connect()).rejects.toMatchObject({ code: 'DEVICE_E_BUSY' });
    const r = await s.transmit(selectAid(ELECTRICITY_AID));
    expect(r.sw).toBeGreaterThan(0x6000);
    await s.close();
  });
});
