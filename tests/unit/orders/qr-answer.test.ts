import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../../src/core/orders/order.ts';
import type { EffectResult } from '../../../src/core/transaction/types.ts';
import type { HqPort, HqRequest } from '../../../src/engine/ports.ts';
import { QrAcquirer } from '../../../src/orders/qr-acquirer.ts';
import { qrAnswerSchema } from '../../../src/protocol/schemas/payment-qr.ts';
import { answerOf, type QrOrder } from '../../../src/reference-hq/billers/payment-qr.ts';

const STATION = '33010001';
const order: OrderRecord = {
  v: 1,
  id: '20261201000001',
  number: '000001',
  businessDate: '20261201',
  service: 'mobile-topup',
  fields: { phone: '13800138000', amount: '50' },
  amountFen: 5000,
  feeFen: 0,
  tender: 'qr',
  status: 'awaiting-payment',
  createdAt: 1_000,
  updatedAt: 1_000,
  expiresAt: 181_000,
  key: 'ord-key',
  cashier: null,
  serial: null,
  qr: { paymentId: 'P0001', payload: 'kioskpay://P0001', expiresAt: 181_000 },
  attempts: 0,
  reason: null,
  refund: null,
};

/** A paid answer about `order`, as the reference HQ builds it. */
const paidOrder: QrOrder = {
  paymentId: 'P0001',
  station: STATION,
  orderId: order.id,
  amountFen: 5000,
  payload: 'kioskpay://P0001',
  createdAt: 1_000,
  expiresAt: 181_000,
  status: 'paid',
  paidAt: 60_000,
  closedAt: null,
  refundedAt: null,
  refundRef: null,
  late: false,
};
const paid = () => answerOf(paidOrder);

function acquirerAnswering(data: unknown): { acquirer: QrAcquirer; asked: HqRequest[] } {
  const asked: HqRequest[] = [];
  const hq: HqPort = {
    request: async (req): Promise<EffectResult> => {
      asked.push(req);
      return { outcome: 'ok', data: data as Record<string, unknown> };
    },
  };
  return { acquirer: new QrAcquirer(hq, STATION, () => 1000), asked };
}

describe('the payment-QR acquirer’s answer', () => {
  it('is what the reference HQ sends, and is acted on when it is about this order', async () => {
    expect(qrAnswerSchema.safeParse(paid()).success).toBe(true);
    const { acquirer, asked } = acquirerAnswering(paid());
    const r = await acquirer.status(order);
    expect(r).toMatchObject({ ok: true, answer: { status: 'paid', paymentId: 'P0001', paidAt: 60_000 } });
    expect(asked[0]).toMatchObject({ op: 'order-status', idempotencyKey: 'ord-key:order-status:0' });
  });

  it.each([
    ['a paid answer about another station', { station: '33019999' }, 'answer.station'],
    ['a paid answer about another order', { orderId: '20261201000002' }, 'answer.orderId'],
    ['a paid answer about another payment order', { paymentId: 'P0002' }, 'answer.paymentId'],
    ['a paid answer of another amount', { amount: '0.50' }, 'answer.amount'],
    ['a status it does not know', { status: 'settled' }, 'answer.status'],
    ['a paid time that is not a time', { paidAt: 'yesterday' }, 'answer.paidAt'],
    ['an amount as a float', { amount: 50 }, 'answer.amount'],
    ['a field it does not declare', { bonus: '100.00' }, 'answer.bonus'],
    ['no payment id', { paymentId: undefined }, 'answer.paymentId'],
  ])('%s is unknown (asked again), naming %s, never paid', async (_what, change, field) => {
    const { acquirer } = acquirerAnswering({ ...paid(), ...change });
    const r = await acquirer.status(order);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.result.outcome).toBe('unknown');
    expect(r.result.reason).toMatchObject({ code: 'KIOSK_E_HQ_PROTOCOL' });
    expect(r.result.reason?.en).toContain(field.split('.').slice(0, 2).join('.'));
    // Values never reach the message.
    expect(JSON.stringify(r.result.reason)).not.toContain('33019999');
  });
});
