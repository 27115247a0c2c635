import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimCardReader } from '../../../devices/card-reader/sim-card-reader.ts';
import { demoElectricityCard } from '../../../devices/card-reader/virtual-electricity-card.ts';
import { CARD_READ_TTL_MS, CardReads } from '../../../src/app/card-reads.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { CHOSEN_TIME } from '../../support/chosen-time.ts';

/**
 * A screen names the card it read by a token; the kiosk takes the numbers from the card in the
 * reader again and refuses, naming `cardToken`, whatever does not hold.
 */
describe('card reads named by token', () => {
  let clock: ManualClock;
  let reader: SimCardReader;
  let reads: CardReads;

  beforeEach(async () => {
    clock = new ManualClock(CHOSEN_TIME);
    reader = new SimCardReader({ transmitTimeoutMs: 1000 }, { clock });
    await reader.start();
    reader.insertCard(demoElectricityCard('3301000123'));
    reads = new CardReads(() => reader, clock);
  });
  afterEach(async () => {
    await reader.stop();
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e,
    );

  it('resolves a token to the full numbers of the card still in the reader', async () => {
    const { card, token } = await reads.read(null);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(card.customerNo).toBe('3301000123');
    expect(await reads.resolve(token, null)).toEqual({
      cardSerial: card.cardSerial,
      customerNo: '3301000123',
    });
  });

  it('refuses an unknown token, a token of another client and an expired one', async () => {
    const { token } = await reads.read(null);
    expect(await refusal(reads.resolve('0'.repeat(32), null))).toMatchObject({ field: 'cardToken' });
    expect(await refusal(reads.resolve(token, 'A001'))).toMatchObject({ field: 'cardToken' });
    expect(await refusal(reads.resolve(42, null))).toMatchObject({ field: 'cardToken' });
    clock.advance(CARD_READ_TTL_MS);
    const e = await refusal(reads.resolve(token, null));
    expect(e).toMatchObject({ field: 'cardToken', code: 'KIOSK_E_INVALID_INPUT' });
    expect((e as { zh: string }).zh).toContain('重新读卡');
  });

  it('refuses when the card was pulled or another card is in the reader', async () => {
    const { token } = await reads.read(null);
    reader.removeCard();
    expect(await refusal(reads.resolve(token, null))).toMatchObject({ field: 'cardToken' });
    reader.insertCard(demoElectricityCard('3301000999'));
    const e = await refusal(reads.resolve(token, null));
    expect(e).toMatchObject({ field: 'cardToken' });
    expect((e as { en: string }).en).toContain('changed');
  });
});
