import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CardWriteError,
  classifyWriteFailure,
  ElectricityCardApp,
} from '../../../devices/card-reader/electricity-card.ts';
import { signPurchaseWrite } from '../../../devices/card-reader/electricity-card-format.ts';
import { SimCardReader } from '../../../devices/card-reader/sim-card-reader.ts';
import {
  type CardReply,
  VirtualElectricityCard,
} from '../../../devices/card-reader/virtual-electricity-card.ts';
import { ManualClock } from '../../../src/core/clock.ts';

const MASTER = Uint8Array.from(Buffer.from('aa'.repeat(16), 'hex'));
const noop = async () => {};

/** A faulty card that answers 9000 to PURCHASE without storing anything. */
class ForgetfulCard extends VirtualElectricityCard {
  override process(capdu: Uint8Array): CardReply {
    if (capdu[0] === 0x80 && capdu[1] === 0xd0) {
      return { kind: 'reply', rapdu: Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0x90, 0x00]), delayMs: 0 };
    }
    return super.process(capdu);
  }
}

let reader: SimCardReader;
let app: ElectricityCardApp;
beforeEach(async () => {
  reader = new SimCardReader({ transmitTimeoutMs: 1000 }, { clock: new ManualClock(0) });
  await reader.start();
  app = new ElectricityCardApp(reader);
});

const issue = (C = VirtualElectricityCard) =>
  new C({ cardSerial: 'FEEDFACE00000001', customerNo: '7700000001', masterKey: MASTER });
const writeFor = (card: VirtualElectricityCard, counter: number, ref = '00000000000000A1') =>
  signPurchaseWrite(MASTER, {
    cardSerial: card.id.cardSerial,
    customerNo: card.id.customerNo,
    purchaseCounter: counter,
    amountFen: 100,
    units: 185,
    txnRef: ref,
  });

describe('ElectricityCardApp', () => {
  it('never starts a write without a card', async () => {
    const before = vi.fn(noop);
    const err = await app
      .writePurchase(writeFor(issue(), 1), { beforeWrite: before })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CardWriteError);
    expect(err).toMatchObject({ code: 'DEVICE_E_NO_CARD', outcome: 'not-started' });
    expect(before).not.toHaveBeenCalled();
  });

  it('refuses write data for the wrong purchase counter before writing', async () => {
    const card = issue();
    reader.insertCard(card);
    const before = vi.fn(noop);
    const err = await app.writePurchase(writeFor(card, 2), { beforeWrite: before }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DEVICE_E_CARD_WRITE', outcome: 'not-started' });
    expect(err).toMatchObject({ en: expect.stringContaining('card at 0, write is for 2') });
    expect(before).not.toHaveBeenCalled();
  });

  it('a card that acknowledges but does not store the purchase is an unknown outcome', async () => {
    const card = issue(ForgetfulCard);
    reader.insertCard(card);
    const err = await app.writePurchase(writeFor(card, 1), { beforeWrite: noop }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DEVICE_E_IO', outcome: 'unknown' });
  });

  it('a slow card during the write leaves the outcome unknown (the card did commit)', async () => {
    vi.useFakeTimers();
    try {
      const card = issue();
      reader.insertCard(card);
      const w = writeFor(card, 1);
      const pending = app
        .writePurchase(w, {
          beforeWrite: async () => {
            card.slowMs = 5000;
          },
        })
        .catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1001);
      const err = await pending;
      expect(err).toMatchObject({ code: 'DEVICE_E_TIMEOUT' });
      expect(classifyWriteFailure(err)).toBe('unknown');
      card.slowMs = 0;
      await vi.advanceTimersByTimeAsync(5000);
      expect(
        (await app.readBack({ cardSerial: w.cardSerial, purchaseCounter: 1, txnRef: w.txnRef })).outcome,
      ).toBe('applied');
    } finally {
      vi.useRealTimers();
    }
  });

  it('read-back: applied, not applied, or superseded by a later write', async () => {
    const card = issue();
    reader.insertCard(card);
    await app.writePurchase(writeFor(card, 1, '00000000000000A1'), { beforeWrite: noop });
    await app.writePurchase(writeFor(card, 2, '00000000000000A2'), { beforeWrite: noop });
    const ref = (purchaseCounter: number, txnRef: string) => ({
      cardSerial: card.id.cardSerial,
      purchaseCounter,
      txnRef,
    });
    expect((await app.readBack(ref(2, '00000000000000A2'))).outcome).toBe('applied');
    expect((await app.readBack(ref(3, '00000000000000A3'))).outcome).toBe('not-applied');
    expect((await app.readBack(ref(1, '00000000000000A1'))).outcome).toBe('superseded');
    expect((await app.readBack(ref(2, '00000000000000FF'))).outcome).toBe('superseded');
  });

  it('refuses cards that are not user cards of format v1', async () => {
    const card = issue();
    card.id.cardType = 2;
    reader.insertCard(card);
    await expect(app.read()).rejects.toMatchObject({
      code: 'DEVICE_E_WRONG_CARD',
      en: expect.stringContaining('not a user card'),
    });
  });

  it('classifies foreign errors as unknown', () => {
    expect(classifyWriteFailure(new Error('x'))).toBe('unknown');
  });
});
