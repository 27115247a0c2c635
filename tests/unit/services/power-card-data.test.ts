import { describe, expect, it } from 'vitest';
import { requiredCard, requiredWrite, storedWrite } from '../../../src/core/services/power-card-data.ts';
import {
  checkPurchaseCard,
  checkPurchaseWrite,
  checkReversalCard,
  checkReversalWrite,
} from '../../../src/core/services/power-card-rules.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';

const SERIAL = '0123456789ABCDEF';
const CUSTOMER = '3301000123';
const card = {
  cardSerial: SERIAL,
  customerNo: CUSTOMER,
  purchaseCounter: 3,
  pendingUnits: 500,
  lastPurchase: null,
};
const purchase = {
  kind: 'purchase',
  cardSerial: SERIAL,
  customerNo: CUSTOMER,
  purchaseCounter: 4,
  amountFen: 10_000,
  units: 18_587,
  txnRef: 'AAAAAAAAAAAAAAAA',
  mac: '0000000000000000',
};

const txn = (data: Record<string, unknown>): TxnRecord => ({
  v: 1,
  serial: 'S1-20261126-000001',
  idempotencyKey: 'k',
  stationId: 'S1',
  service: 'power-card',
  channel: 'operator',
  operator: 'A001',
  businessDate: '20261126',
  createdAt: 0,
  updatedAt: 0,
  state: 'purchasing',
  stateSince: 0,
  terminal: false,
  fields: { customerNo: CUSTOMER, cardSerial: SERIAL, amount: '100.00' },
  amountFen: 10_000,
  feeFen: 0,
  data,
  attempts: 0,
  generation: 0,
  alerts: [],
});

describe('the power card’s effect data is read through its schemas', () => {
  it('a card read that is not a card (a wrong type, a missing field) is the wrong card, not a purchase', () => {
    for (const bad of [
      { ...card, purchaseCounter: '3' },
      { ...card, pendingUnits: 1.5 },
      { cardSerial: SERIAL, customerNo: CUSTOMER },
      'card',
    ]) {
      const r = checkPurchaseCard(txn({}), { outcome: 'ok', data: { card: bad } });
      expect(r).toMatchObject({ outcome: 'declined', reason: { code: 'KIOSK_E_WRONG_CARD' } });
    }
    expect(checkPurchaseCard(txn({}), { outcome: 'ok', data: { card } }).outcome).toBe('ok');
  });

  it('write data is never accepted for a transaction whose kept card is malformed', () => {
    const r = checkPurchaseWrite(txn({ card: { ...card, purchaseCounter: -1 } }), {
      outcome: 'ok',
      data: { writeData: purchase },
    });
    expect(r).toMatchObject({ outcome: 'pending', reason: { code: 'KIOSK_E_BAD_WRITE_DATA' } });
    expect(checkPurchaseWrite(txn({ card }), { outcome: 'ok', data: { writeData: purchase } })).toMatchObject(
      {
        outcome: 'ok',
        data: { writeData: purchase },
      },
    );
  });

  it('a reversal of a purchase that keeps no valid write data is refused, the card left alone', () => {
    const onCard = {
      ...card,
      purchaseCounter: 4,
      pendingUnits: 20_000,
      lastPurchase: { txnRef: purchase.txnRef, units: purchase.units, kind: 'purchase' },
    };
    for (const kept of [{}, { writeData: { ...purchase, units: '18587' } }]) {
      expect(checkReversalCard(txn(kept), { outcome: 'ok', data: { card: onCard } })).toMatchObject({
        outcome: 'declined',
        reason: { code: 'KIOSK_E_BAD_WRITE_DATA' },
      });
      const reversal = {
        ...purchase,
        kind: 'reversal',
        purchaseCounter: 5,
        txnRef: 'BBBBBBBBBBBBBBBB',
        originalTxnRef: purchase.txnRef,
      };
      expect(checkReversalWrite(txn(kept), { outcome: 'ok', data: { writeData: reversal } }).outcome).toBe(
        'declined',
      );
    }
    expect(
      checkReversalCard(txn({ writeData: purchase }), { outcome: 'ok', data: { card: onCard } }),
    ).toMatchObject({ outcome: 'ok', data: { reversalCard: onCard } });
  });

  it('a request that needs the kept card or write data refuses to go out without it, naming the data', () => {
    expect(() => requiredCard(txn({ card: { ...card, cardSerial: 'x' } }), 'card')).toThrow(
      expect.objectContaining({ code: 'KIOSK_E_INTERNAL', field: 'data.card' }),
    );
    expect(() => requiredWrite(txn({}), 'reversalWrite')).toThrow(
      expect.objectContaining({ code: 'KIOSK_E_INTERNAL', field: 'data.reversalWrite' }),
    );
    expect(requiredCard(txn({ card: { ...card, totalUnits: 9 } }), 'card')).toEqual(card);
    expect(storedWrite(txn({ writeData: purchase }), 'writeData')).toEqual(purchase);
  });
});
