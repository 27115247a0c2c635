import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { txnOf } from '../../../src/journal/records.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { type CardPurchase, powerCardKeys } from '../../../src/reference-hq/billers/power-card.ts';
import { useFakeClock } from '../../support/fake-time.ts';
import { CUSTOMER, openPowerCardRig, type Rig } from '../../support/power-card-rig.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
// 2026-11-26 10:00 in Asia/Shanghai.
const MORNING = Date.UTC(2026, 10, 26, 2, 0);

describe('smart electricity card purchase (智能电卡充值)', () => {
  let rig: Rig;
  beforeEach(async () => {
    useFakeClock(MORNING);
    rig = await openPowerCardRig();
  });
  afterEach(async () => {
    await rig.close();
    vi.useRealTimers();
  });

  const buy = (amount = '100.00') =>
    rig.engine.create(
      'power-card',
      { customerNo: CUSTOMER, cardSerial: rig.card.id.cardSerial, amount },
      TELLER,
    );
  const settle = async (serial: string, ms = 60_000): Promise<TxnRecord> => {
    await rig.advance(ms);
    return rig.engine.get(serial);
  };
  const hqRecord = async (ref: unknown) => rig.hqStore.get<CardPurchase>(powerCardKeys.rec(String(ref)));

  it('purchase: card read → customer query → write data → journaled write → verified → confirmed → receipt', async () => {
    const t = await buy();
    const done = await settle(t.serial);
    expect(done).toMatchObject({ state: 'succeeded', result: 'succeeded' });
    expect(rig.card.purchase).toMatchObject({ purchaseCounter: 1, pendingUnits: 18_587 });
    expect(await hqRecord(done.data.billerRef)).toMatchObject({ status: 'confirmed', confirmations: 1 });
    expect(rig.hq.requests.map((r) => r.op)).toEqual(['query', 'pay', 'write-confirm']);
    const types: string[] = [];
    for await (const ev of rig.journal.events())
      if (ev.serial === t.serial) types.push(`${ev.type}:${txnOf(ev)?.state}`);
    // The write's intent is durable before the write, its outcome after it.
    expect(types).toContain('txn.intent:writing');
    expect(types.indexOf('txn.intent:writing')).toBeLessThan(types.indexOf('txn.transition:confirming'));
    expect(rig.balance.summary()).toMatchObject({ balance: '9900.00', held: '0.00' });
    expect((await verifyJournal(rig.journal)).problems).toEqual([]);
  });

  it('the card pulled mid-write after the card took it: read back when it returns, then confirmed', async () => {
    rig.card.tearNextWrite('after-commit');
    const t = await buy();
    await rig.advance(3 * 60_000);
    const waiting = await rig.engine.get(t.serial);
    expect(waiting.state).toBe('verifying');
    expect(waiting.alerts).toContain('card-needed');
    expect((await hqRecord(waiting.data.billerRef))?.status).toBe('accepted');
    rig.reader.insertCard(rig.card);
    const done = await settle(t.serial, 10_000);
    expect(done.state).toBe('succeeded');
    expect(rig.card.commits).toBe(1);
    expect(rig.card.purchase.pendingUnits).toBe(18_587);
  });

  it('the card pulled mid-write before the card took it: the same write again once the card is back', async () => {
    rig.card.tearNextWrite('before-commit');
    const t = await buy();
    await rig.advance(20_000);
    expect((await rig.engine.get(t.serial)).state).toBe('verifying');
    rig.reader.insertCard(rig.card);
    const done = await settle(t.serial, 10_000);
    expect(done.state).toBe('succeeded');
    expect(rig.card.purchase).toMatchObject({ purchaseCounter: 1, pendingUnits: 18_587 });
  });

  it('accounting reversal (账务撤销): the card refused the write, so HQ undoes the purchase before any new one', async () => {
    rig.card.failNextWrites(1);
    const t = await buy();
    const done = await settle(t.serial);
    expect(done).toMatchObject({ state: 'accounting-reversed', result: 'failed' });
    expect((await hqRecord(done.data.billerRef))?.status).toBe('acct-reversed');
    expect(rig.card.purchase.purchaseCounter).toBe(0);
    expect(rig.balance.summary()).toMatchObject({ balance: '10000.00', held: '0.00' });
    expect((await settle((await buy('20.00')).serial)).state).toBe('succeeded');
  });

  it('accounting reversal when the card never comes back and nothing was written', async () => {
    rig.hq.faults.push('ok', 'lost');
    // The customer pulls the card while HQ's answer is late: after the read, before the write.
    rig.engine.on('txn', (x) => {
      if (x.inFlight?.state === 'purchasing') rig.reader.removeCard();
    });
    const t = await buy();
    await rig.advance(60_000);
    expect((await rig.engine.get(t.serial)).state).toBe('card-waiting');
    const done = await settle(t.serial, 5 * 60_000);
    expect(done.state).toBe('accounting-reversed');
    expect((await hqRecord(done.data.billerRef))?.status).toBe('acct-reversed');
  });

  it('refuses a new purchase on a card with an unresolved one', async () => {
    rig.card.tearNextWrite('after-commit');
    const t = await buy();
    await rig.advance(10_000);
    expect((await rig.engine.get(t.serial)).state).toBe('verifying');
    rig.reader.insertCard(rig.card);
    const err = await buy('20.00').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KIOSK_E_ACTION_NOT_ALLOWED', field: 'cardSerial' });
    expect(String((err as Error).message)).toContain(t.serial);
  });

  it('purchase reversal (购电撤销) only of a confirmed purchase: card read, HQ reversal data, write, reversal confirmation', async () => {
    rig.hq.faults.push('ok', 'ok', 'no-answer');
    const t = await buy();
    await rig.advance(1000);
    expect((await rig.engine.get(t.serial)).state).toBe('confirming');
    const early = await rig.engine
      .act(t.serial, 'reverse', TELLER, { customerNo: CUSTOMER, amount: '100.00' })
      .catch((e) => e);
    expect(early).toMatchObject({ code: 'KIOSK_E_ACTION_NOT_ALLOWED' });
    expect((await settle(t.serial)).state).toBe('succeeded');
    const bad = await rig.engine
      .act(t.serial, 'reverse', TELLER, { customerNo: CUSTOMER, amount: '90.00' })
      .catch((e) => e);
    expect(bad).toMatchObject({ code: 'KIOSK_E_INVALID_INPUT' });
    await rig.until(rig.engine.act(t.serial, 'reverse', TELLER, { customerNo: CUSTOMER, amount: '100.00' }));
    const done = await settle(t.serial);
    expect(done).toMatchObject({ state: 'reversed', result: 'reversed' });
    expect(rig.card.purchase).toMatchObject({ purchaseCounter: 2, pendingUnits: 0, lastKind: 'reversal' });
    expect((await hqRecord(done.data.billerRef))?.status).toBe('reversed');
    expect(rig.balance.summary()).toMatchObject({ balance: '10000.00', held: '0.00' });
  });

  it('purchase reversal is refused once the meter has loaded the units', async () => {
    const t = await buy();
    expect((await settle(t.serial)).state).toBe('succeeded');
    rig.card.loadIntoMeter(0, '20261126');
    await rig.until(rig.engine.act(t.serial, 'reverse', TELLER, { customerNo: CUSTOMER, amount: '100.00' }));
    const done = await settle(t.serial);
    expect(done).toMatchObject({
      state: 'reverse-refused',
      result: 'succeeded',
      reason: { code: 'KIOSK_E_UNITS_LOADED' },
    });
    expect((await hqRecord(done.data.billerRef))?.status).toBe('confirmed');
  });

  it('supplementary confirmation (购电补确认): lost acknowledgements are re-sent until HQ answers; units credited once', async () => {
    rig.hq.faults.push('ok', 'ok', 'no-answer', 'no-answer', 'no-answer');
    const t = await buy();
    await rig.advance(5000);
    const c = await rig.engine.get(t.serial);
    expect(c.state).toBe('confirming');
    await rig.until(rig.engine.act(t.serial, 'reconfirm', TELLER));
    const done = await settle(t.serial);
    expect(done.state).toBe('succeeded');
    const rec = await hqRecord(done.data.billerRef);
    expect(rec?.confirmations).toBeGreaterThanOrEqual(2);
    expect(await rig.hqStore.get(powerCardKeys.units(CUSTOMER))).toBe(18_587);
  });

  it('a supplementary confirmation asked while a confirmation is in flight is not overwritten by that request’s late outcome', async () => {
    // query and pay answered; the first write confirmation reaches HQ but its answer is lost.
    rig.hq.faults.push('ok', 'ok', 'no-answer');
    const t = await buy();
    await rig.advance(0);
    expect(rig.hq.requests.map((r) => r.op)).toEqual(['query', 'pay', 'write-confirm']);
    const acted = await rig.until(rig.engine.act(t.serial, 'reconfirm', TELLER));
    expect(acted).toMatchObject({ state: 'confirming', generation: 1 });
    const done = await settle(t.serial);
    // The action's record stands: its confirmation is sent under its own generation's key.
    expect(done).toMatchObject({ state: 'succeeded', generation: 1 });
    expect(rig.hq.requests.at(-1)?.idempotencyKey).toBe(`${t.idempotencyKey}:write-confirm:1`);
    const states: string[] = [];
    for await (const ev of rig.journal.events())
      if (ev.serial === t.serial && 'txn' in ev)
        states.push(`${ev.type}:${ev.txn.state}:${ev.txn.generation}`);
    // Nothing written after the action carries the generation before it.
    expect(states.slice(states.indexOf('txn.action:confirming:1'))).not.toContainEqual(
      expect.stringMatching(/:0$/),
    );
    expect(await rig.journal.openSerials()).toEqual([]);
  });

  it('a confirmation whose answers are lost more often than the engine’s attempt bound is still re-sent by itself until HQ acknowledges', async () => {
    // query and pay answered, then every write confirmation unanswered well past engine.maxAttempts.
    const lost = rig.config.engine.maxAttempts + 3;
    rig.hq.faults.push('ok', 'ok', ...Array<'no-answer'>(lost).fill('no-answer'));
    const t = await buy();
    const done = await settle(t.serial, 10 * 60_000);
    expect(done).toMatchObject({ state: 'succeeded' });
    expect(done.alerts ?? []).not.toContain('retries-exhausted');
    expect(rig.hq.requests.filter((r) => r.op === 'write-confirm')).toHaveLength(lost + 1);
    expect((await hqRecord(done.data.billerRef))?.status).toBe('confirmed');
    expect(await rig.hqStore.get(powerCardKeys.units(CUSTOMER))).toBe(18_587);
    expect(rig.balance.summary()).toMatchObject({ balance: '9900.00', held: '0.00' });
  });

  it('an accounting reversal whose answers are lost past the attempt bound is re-sent until HQ acknowledges', async () => {
    rig.card.failNextWrites(1);
    const lost = rig.config.engine.maxAttempts + 3;
    rig.hq.faults.push('ok', 'ok', ...Array<'lost'>(lost).fill('lost'));
    const t = await buy();
    const done = await settle(t.serial, 10 * 60_000);
    expect(done).toMatchObject({ state: 'accounting-reversed' });
    expect((await hqRecord(done.data.billerRef))?.status).toBe('acct-reversed');
    expect(rig.balance.summary()).toMatchObject({ balance: '10000.00', held: '0.00' });
  });

  it('reversal supplementary confirmation (撤销补确认): money and units go back once', async () => {
    const t = await buy();
    expect((await settle(t.serial)).state).toBe('succeeded');
    rig.hq.faults.push('ok', 'no-answer', 'twice');
    await rig.until(rig.engine.act(t.serial, 'reverse', TELLER, { customerNo: CUSTOMER, amount: '100.00' }));
    await rig.advance(1000);
    expect((await rig.engine.get(t.serial)).state).toBe('reverse-confirming');
    await rig.until(rig.engine.act(t.serial, 'reverse-reconfirm', TELLER));
    expect((await settle(t.serial)).state).toBe('reversed');
    expect(await rig.hqStore.get(powerCardKeys.units(CUSTOMER))).toBe(0);
    expect((await rig.accounts.get('33010001')).balanceFen).toBe(1_000_000);
  });

  for (const step of ['reading-card', 'purchasing', 'writing', 'confirming'] as const)
    for (const effects of ['lost', 'done'] as const)
      it(`resumes by itself after a crash during ${step} (effect ${effects}); nothing charged twice`, async () => {
        let crashed = false;
        rig.engine.on('txn', (t) => {
          if (!crashed && t.inFlight?.state === step) {
            crashed = true;
            rig.crash(effects);
          }
        });
        const t = await buy();
        await rig.advance(2000);
        expect(crashed).toBe(true);
        await rig.restart();
        const done = await settle(t.serial);
        expect(done.state).toBe('succeeded');
        expect(rig.card.purchase).toMatchObject({ purchaseCounter: 1, pendingUnits: 18_587 });
        expect(await rig.hqStore.get(powerCardKeys.units(CUSTOMER))).toBe(18_587);
        expect((await rig.accounts.get('33010001')).balanceFen).toBe(990_000);
        expect(rig.balance.summary()).toMatchObject({ balance: '9900.00', held: '0.00' });
        expect((await verifyJournal(rig.journal)).problems).toEqual([]);
      });
});
