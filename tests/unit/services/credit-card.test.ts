import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import { historyRangeProblems } from '../../../src/core/services/credit-card.ts';
import { luhnValid } from '../../../src/core/transaction/fields.ts';
import type { StationFacts } from '../../../src/core/transaction/types.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const DEBIT = '6228480012345671';
const CREDIT = '4380881234567894';
const TODAY = '20261126';
const SIGNED: StationFacts = {
  terminal: { terminalNo: '12345678', status: 'enabled' },
  signIn: { date: TODAY, terminalNo: '12345678' },
};

describe('credit-card repayment (信用卡还款)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: FakeHq;
  let facts: StationFacts;

  async function open(start = true): Promise<void> {
    useFakeClock(Date.parse('2026-11-26T10:00:00+08:00'));
    dir = await tempDir();
    hq = new FakeHq();
    facts = SIGNED;
    const config = await testConfig({
      services: { enabled: ['credit-card-repayment'], fees: { 'credit-card-repayment': '2.00' } },
    });
    k = await openKiosk(dir.path, hq, {
      config,
      services: SERVICE_CATALOGUE,
      facts: () => facts,
      start,
    });
  }
  afterEach(async () => {
    await k.close();
    vi.useRealTimers();
    await dir.cleanup();
  });
  const repay = (input: Record<string, unknown> = {}) =>
    k.engine.create(
      'credit-card-repayment',
      { debitCard: DEBIT, creditCard: CREDIT, amount: '1200', ...input },
      TELLER,
    );

  it('repays from a debit card to a credit card; the journal keeps only first 6 / last 4', async () => {
    await open();
    const t = await repay({ debitCard: '6228 4800 1234 5671' });
    expect(t.fields).toEqual({
      debitCard: '622848******5671',
      creditCard: '438088******7894',
      amount: '1200.00',
    });
    await advance(k.engine, 10);
    const done = await k.engine.get(t.serial);
    expect(done).toMatchObject({ state: 'succeeded', amountFen: 120000, feeFen: 200 });
    const pay = hq.requests.find((r) => r.op === 'pay')!;
    expect(pay.payload.fields).toMatchObject({ debitCard: DEBIT, creditCard: CREDIT });
    // Nothing of the prepaid balance is held or spent: the money comes from the debit card.
    expect(k.balance.summary()).toMatchObject({ balance: '0.00', held: '0.00' });
    const stored = [] as string[];
    for await (const [, v] of k.journal.raw.iterator()) stored.push(String(v));
    const all = stored.join('\n');
    expect(all).toContain('622848******5671');
    expect(all).not.toContain(DEBIT);
    expect(all).not.toContain(CREDIT);
  });

  it.each([
    ['debitCard', { debitCard: '622848001234567' }, '16至19位'],
    ['debitCard', { debitCard: '6228480012345672' }, '校验位'],
    ['creditCard', { creditCard: '43808812345678' }, '16至19位'],
    ['creditCard', { creditCard: '4380881234567895' }, '校验位'],
    ['creditCard', { creditCard: DEBIT }, '不能与借记卡号相同'],
    ['amount', { amount: '0' }, '金额'],
    ['amount', { amount: '50000.01' }, '50000'],
    ['pin', { pin: '123456' }, '不支持'],
    ['cvv', { cvv: '123' }, '不支持'],
  ])('refuses a bad %s, naming it, before anything is sent', async (field, input, text) => {
    await open();
    const err = await repay(input).catch((e) => e);
    expect(err.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(err.message).toContain(text);
    expect(hq.requests).toEqual([]);
  });

  it('Luhn check digit', () => {
    expect(luhnValid('4380881234567894')).toBe(true);
    expect(luhnValid('4380881234567895')).toBe(false);
    expect(luhnValid('6222021234567890128')).toBe(true);
  });

  it('refuses at once without a bound terminal, with a disabled one (HQ’s reason) or before sign-in', async () => {
    await open();
    facts = { terminal: null, signIn: null };
    await expect(repay()).rejects.toMatchObject({
      code: 'KIOSK_E_SERVICE_UNAVAILABLE',
      details: { reason: 'terminal-unbound' },
    });
    facts = {
      terminal: { terminalNo: '12345678', status: 'disabled', reason: '对账不平' },
      signIn: SIGNED.signIn,
    };
    const disabled = await repay({ amount: 'bad' }).catch((e) => e);
    expect(disabled).toMatchObject({ details: { reason: 'terminal-disabled' } });
    expect(disabled.zh).toContain('对账不平');
    facts = { ...SIGNED, signIn: { date: '20261125', terminalNo: '12345678' } };
    await expect(repay()).rejects.toMatchObject({ details: { reason: 'sign-in-required' } });
    facts = { ...SIGNED, signIn: { date: TODAY, terminalNo: '87654321' } };
    await expect(repay()).rejects.toMatchObject({ details: { reason: 'sign-in-required' } });
    expect(hq.requests).toEqual([]);
    expect(await k.journal.openSerials()).toEqual([]);
  });

  it('a sign-in of yesterday does not count after the day cut (21:00)', async () => {
    await open();
    vi.setSystemTime(Date.parse('2026-11-26T21:00:00+08:00'));
    await expect(repay()).rejects.toMatchObject({ details: { reason: 'sign-in-required' } });
  });

  it('a repayment the issuer refuses fails', async () => {
    await open();
    hq.script('pay', {
      outcome: 'declined',
      reason: { code: 'BILLER_CARD_REFUSED', zh: '发卡行拒绝', en: 'issuer refused' },
    });
    const t = await repay();
    await advance(k.engine, 10);
    expect(await k.engine.get(t.serial)).toMatchObject({ state: 'failed', reason: { zh: '发卡行拒绝' } });
  });

  it('an unanswered repayment is settled by the status query, sent once', async () => {
    await open();
    hq.script('pay', 'hang');
    const t = await repay();
    await advance(k.engine, 2000);
    expect((await k.engine.get(t.serial)).state).toBe('querying');
    hq.settle(t.idempotencyKey, 'ok');
    await advance(k.engine, 60_000, 5000);
    expect((await k.engine.get(t.serial)).state).toBe('succeeded');
    expect(hq.count('pay')).toBe(1);
  });

  it('after a restart the full card numbers are gone: never resent, the query settles it', async () => {
    await open(false);
    const t = await repay();
    await k.close();
    k = await openKiosk(dir.path, hq, {
      config: k.config,
      services: SERVICE_CATALOGUE,
      facts: () => facts,
    });
    hq.script('status', 'declined');
    await advance(k.engine, 60_000, 5000);
    const done = await k.engine.get(t.serial);
    expect(done.state).toBe('failed');
    expect(hq.count('pay')).toBe(0);
    expect(hq.count('status')).toBeGreaterThan(0);
  });

  it('history dates: real dates and the end after the start', () => {
    expect(historyRangeProblems('20261101', '20261126')).toEqual([]);
    expect(historyRangeProblems('20261126', '20261126')[0]).toMatchObject({ field: 'to' });
    expect(historyRangeProblems('20261126', '20261101')[0]).toMatchObject({ field: 'to' });
    expect(historyRangeProblems('20261131', 'x').map((p) => p.field)).toEqual(['from', 'to']);
    expect(historyRangeProblems(undefined, undefined)).toHaveLength(2);
  });
});
