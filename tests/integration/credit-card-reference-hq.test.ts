import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import { businessDate } from '../../src/core/business-day.ts';
import type { TxnRecord } from '../../src/core/transaction/types.ts';
import type { EmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { clockStartingAt } from '../support/chosen-time.ts';
import { type ReferenceHqRig, startReferenceHqRig } from '../support/embedded-kiosk.ts';
import { callJson } from '../support/json-api.ts';
import { until } from '../support/wait.ts';
import { runKiosk } from './http-kiosk.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const DEBIT = '6228480012345671';
const CREDIT = '4380881234567894';
const REFUSED_CREDIT = '6258070000704444';
const final = (t: TxnRecord) => t.terminal;

/**
 * Credit-card repayment against the reference HQ over MQTT: the terminal binding and status come
 * as signed HQ commands, the daily sign-in goes to HQ's biller, repayments and the history too.
 * The CLI runs as the real `bin/kiosk.js` against the kiosk's local API.
 */
describe('credit-card repayment against the reference HQ', { timeout: 240_000 }, () => {
  let rig: ReferenceHqRig;
  let hq: EmbeddedHq;
  let app: KioskApp;
  const station = '33010001';
  // Kiosk and HQ share one clock starting at 10:00, far from the day cut.
  const clock = clockStartingAt();

  const repay = (creditCard = CREDIT, amount = '800') =>
    app.engine.create('credit-card-repayment', { debitCard: DEBIT, creditCard, amount }, TELLER);
  async function bind(terminalNo: string | null, status: 'enabled' | 'disabled', reason?: string) {
    await hq.server.stations.setTerminal(station, { terminalNo, status });
    await hq.server.commands.send(station, 'terminal', { terminalNo, status, ...(reason ? { reason } : {}) });
    await until(
      () => app.cardTerminal.status().status === (terminalNo ? status : 'unbound'),
      10_000,
      `terminal ${status}`,
    );
  }
  const cli = (args: string[], input = '') => runKiosk([...args, '--url', app.url!], input, 90_000);
  function api(method: string, path: string, body?: unknown, token?: string) {
    return callJson(app.url!, method, path, body, token);
  }

  beforeAll(async () => {
    rig = await startReferenceHqRig({
      prefix: 'kiosk-card-',
      clock,
      station,
      hq: {
        openingBalance: '100.00',
        // HQ enables credit-card repayment at this new station (its operator is trained on it).
        trainedServices: ['credit-card-repayment'],
      },
      kiosk: { hq: { requestTimeoutMs: 6000 }, engine: { requestTimeoutMs: 5000 } },
    });
    hq = rig.hq;
    app = await rig.startKiosk();
    await app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await until(() => app.balance.summary().balance === '100.00', 10_000, 'the opening balance');
  });
  afterAll(async () => {
    await app?.stop();
    await rig?.stop();
  });

  it('refuses at once while HQ has bound no terminal', async () => {
    await expect(repay()).rejects.toMatchObject({ details: { reason: 'terminal-unbound' } });
    await expect(app.cardTerminal.signIn(TELLER)).rejects.toMatchObject({
      details: { reason: 'terminal-unbound' },
    });
  });

  it('after HQ binds and enables the terminal, the first repayment of the day needs a sign-in', async () => {
    await bind('12345678', 'enabled');
    await expect(repay()).rejects.toMatchObject({ details: { reason: 'sign-in-required' } });
    const status = await api('GET', '/api/credit-card/terminal');
    expect(status.body).toMatchObject({ terminalNo: '12345678', status: 'enabled', signedIn: false });
    // A customer on their own cannot sign the terminal in.
    expect((await api('POST', '/api/credit-card/sign-in')).status).toBe(401);
    const signIn = await cli(['credit-card', 'sign-in', '--operator', 'A001', '--json'], '123456\n');
    expect(signIn.code, signIn.err).toBe(0);
    expect(JSON.parse(signIn.out)).toMatchObject({ signedIn: true, already: false });
    await expect(app.cardTerminal.signIn(TELLER)).resolves.toMatchObject({ signedIn: true, already: true });
  });

  it('repays through UnionPay without touching the prepaid balance; receipt and journal show 6+4 only', async () => {
    const t = await repay();
    const done = await app.engine.waitFor(t.serial, final);
    expect(done.state).toBe('succeeded');
    expect(done.fields.creditCard).toBe('438088******7894');
    expect(app.balance.summary()).toMatchObject({ balance: '100.00', held: '0.00' });
    const token = (await api('POST', '/api/session', { code: 'A001', password: '123456' })).body.token;
    const r = await api('GET', `/api/transactions/${t.serial}/receipt`, undefined, token);
    expect(r.status).toBe(200);
    expect(r.text).toContain('438088******7894');
    expect(r.text).toContain('622848******5671');
    expect(r.text).not.toContain(CREDIT);
    expect(r.text).not.toContain(DEBIT);
  });

  it('a repayment the issuer refuses fails', async () => {
    const t = await repay(REFUSED_CREDIT);
    const done = await app.engine.waitFor(t.serial, final);
    expect(done.state).toBe('failed');
    expect(done.reason?.zh).toContain('发卡行拒绝');
  });

  it('an unanswered repayment is settled by the status query', async () => {
    hq.server.faults.set('credit-card-repayment', 'silent');
    const t = await repay(CREDIT, '66');
    await app.engine.waitFor(t.serial, (x) => x.state === 'querying');
    hq.server.faults.set('credit-card-repayment', 'normal');
    const done = await app.engine.waitFor(t.serial, final);
    expect(done.state).toBe('succeeded');
  });

  it('history by date range: end after start, at the kiosk and at HQ', async () => {
    const today = businessDate(clock.now(), '21:00');
    const yesterday = businessDate(clock.now() - 86_400_000, '21:00');
    const items = await app.cardTerminal.history(TELLER, yesterday, today);
    // The two accepted repayments; the refused one never reached UnionPay's journal.
    expect(items.map((i) => i.amount).sort()).toEqual(['66.00', '800.00']);
    const same = await cli(
      ['credit-card', 'history', '--from', today, '--to', today, '--operator', 'A001', '--json'],
      '123456\n',
    );
    expect(same.code).toBe(5);
    expect(JSON.parse(same.out).error.issues[0]).toMatchObject({ field: 'to' });
    // HQ refuses the same range on its own.
    const port = app.hq.link!.port;
    const answer = await port.request(
      {
        op: 'history',
        service: 'credit-card-repayment',
        serial: '',
        stationId: station,
        idempotencyKey: 'h1:history:0',
        payload: { from: today, to: today },
      },
      new AbortController().signal,
    );
    expect(answer).toMatchObject({ outcome: 'declined', reason: { code: 'BILLER_DATES' } });
  });

  it('a terminal disabled by HQ refuses at once with HQ’s reason', async () => {
    await bind('12345678', 'disabled', '对账差错待处理');
    const err = await repay().catch((e) => e);
    expect(err).toMatchObject({
      code: 'KIOSK_E_SERVICE_UNAVAILABLE',
      details: { reason: 'terminal-disabled' },
    });
    expect(err.zh).toContain('对账差错待处理');
    const r = await cli(
      [
        'pay',
        'credit-card-repayment',
        `debitCard=${DEBIT}`,
        `creditCard=${CREDIT}`,
        'amount=5',
        '--operator',
        'A001',
        '--yes',
      ],
      '123456\n',
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('对账差错待处理');
  });
});
