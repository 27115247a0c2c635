import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import { orderView } from '../../../src/reports/order-view.ts';
import { receiptFor } from '../../../src/reports/receipt-data.ts';
import { describeStatus, hasStateLabel, stateLabel } from '../../../src/reports/state-labels.ts';
import { txnView } from '../../../src/reports/txn-view.ts';
import { serviceView } from '../../../src/ui/server/service-view.ts';
import { lookup, txn } from './fixtures.ts';

const def = (id: string) => {
  const d = lookup(id);
  if (!d) throw new Error(`no service ${id}`);
  return d;
};

const powerCardTxn = (state: string, terminal = false) =>
  txn({
    service: 'power-card',
    channel: 'self',
    operator: null,
    state,
    terminal,
    result: terminal ? 'succeeded' : undefined,
    fields: { customerNo: '3301000123', cardSerial: '0123456789ABCDEF', amount: '100' },
    amountFen: 10_000,
    feeFen: 0,
  });

describe('state labels come per service from its definition', () => {
  it('every state of every service has a name for people, and a service names only its own states', () => {
    for (const d of SERVICE_CATALOGUE) {
      for (const state of Object.keys(d.states))
        expect(hasStateLabel(state, d), `${d.id}: ${state}`).toBe(true);
      for (const state of Object.keys(d.stateLabels ?? {}))
        expect(Object.keys(d.states), `${d.id} labels ${state}`).toContain(state);
    }
  });

  it('a power-card purchase being confirmed says it is the card write, never the coach ticket', () => {
    const power = stateLabel('confirming', def('power-card'));
    const coach = stateLabel('confirming', def('coach-ticket'));
    expect(coach.zh).toContain('出票');
    expect(power.zh).not.toContain('出票');
    expect(power.zh).toContain('写卡');
    expect(power.customer?.zh).toContain('可以取卡');
    // A coach-only state means nothing to another service.
    expect(stateLabel('sold', def('power-card'))).toEqual({ zh: 'sold', en: 'sold' });
    // Game top-up's refund is a correction; coach's is a one-sided sale given back.
    expect(stateLabel('refunded', def('game-topup')).zh).toBe('已冲正退款');
    expect(stateLabel('refunded', def('coach-ticket')).zh).not.toBe('已冲正退款');
  });

  it('the transaction view, its status, the order view, the service view and the receipt all use it', async () => {
    const t = powerCardTxn('confirming');
    const v = txnView(t, lookup);
    expect(v.stateLabel.zh).toBe('写卡成功，向总部确认中（写卡确认）');
    expect(v.stateLabel.customer?.zh).toBe('写卡成功，可以取卡；正在向电力公司确认');
    expect(describeStatus(t, def('power-card')).zh).toMatch(/^写卡成功，向总部确认中/);
    const order = orderView(
      {
        v: 1,
        id: '20261126000001',
        number: '000001',
        businessDate: '20261126',
        service: 'power-card',
        tender: 'counter',
        status: 'processing',
        fields: t.fields,
        amountFen: t.amountFen,
        feeFen: 0,
        key: 'k',
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
        expiresAt: t.createdAt + 600_000,
        serial: t.serial,
        cashier: 'A001',
        qr: null,
        attempts: 0,
        reason: null,
        refund: null,
      },
      t,
      lookup,
    );
    expect(order.transaction?.stateLabel.customer?.en).toMatch(/you may take it/);
    const { config } = await loadConfig({ file: undefined });
    const states = serviceView(def('power-card'), config).states;
    expect(states.find((s) => s.name === 'writing')?.label.customer?.zh).toBe('正在写卡，请勿拔卡');
    const coachLike = powerCardTxn('accounting-reversed', true);
    const receipt = receiptFor({ ...coachLike, result: 'failed' }, def('power-card'), {
      stationId: '33010001',
      stationName: '测试亭',
    });
    expect(JSON.stringify(receipt)).toContain('已账务撤销（卡未写入）');
  });
});
