import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKiosk, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';
const MASKED = '138****8000';
const PW = '123456\n';

describe('kiosk pay / query / reverse against a running kiosk (real bin/kiosk.js)', () => {
  let k: TestKiosk;
  let url: string;
  const kiosk = (args: string[], input = '') => runKiosk([...args, '--url', url], input);
  const txnKey = async (serial: string) => (await k.app.journal.getTxn(serial))!.idempotencyKey;

  beforeAll(async () => {
    k = await startTestKiosk();
    url = k.url;
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    k.hq.script('query', { outcome: 'ok', data: { phone: PHONE, city: '安庆', arrears: '0.00' } });
  });
  afterAll(async () => {
    await k.stop();
  });

  it('pays with --yes: shows the inquiry and quote, waits for the result and prints it as JSON', async () => {
    const r = await kiosk(
      ['pay', 'mobile-topup', `phone=${PHONE}`, 'amount=50', '--operator', 'A001', '--yes', '--json'],
      PW,
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.quote).toMatchObject({
      amount: '50.00',
      fee: '0.50',
      total: '50.50',
      fields: { phone: MASKED },
    });
    expect(j.inquiry).toMatchObject({ phone: MASKED, city: '安庆' });
    expect(j.transaction).toMatchObject({
      state: 'succeeded',
      terminal: true,
      operator: 'A001',
      total: '50.50',
    });
    expect(r.err).toContain('合计 total ￥50.50');
    expect(r.out + r.err).not.toContain(PHONE);
    expect((await k.app.journal.getTxn(j.transaction.serial))!.state).toBe('succeeded');
  });

  it('asks for confirmation of the total; a yes pays, anything else cancels and charges nothing', async () => {
    const yes = await kiosk(
      ['pay', 'test-bill', `phone=${PHONE}`, 'amount=20', '--operator', 'A001'],
      `${PW}y\n`,
    );
    expect(yes.code, yes.err).toBe(0);
    expect(yes.err).toContain('确认收取 ￥22.00');
    expect(yes.out).toMatch(/流水号 serial: \d{10}/);
    expect(yes.out).toContain('成功 / succeeded');
    expect(yes.out).toContain(`手机号码 Phone number: ${MASKED}`);
    const before = k.app.journal.lastCounters.serial;
    const no = await kiosk(
      ['pay', 'test-bill', `phone=${PHONE}`, 'amount=20', '--operator', 'A001'],
      `${PW}n\n`,
    );
    expect(no.code).toBe(6);
    expect(no.err).toContain('已取消，未扣款 / cancelled; nothing was charged');
    expect(k.app.journal.lastCounters.serial).toBe(before);
  });

  it('returns while the kiosk waits on its automatic queries, and query shows the progress', async () => {
    k.hq.script('pay', 'pending');
    // Mobile top-up asks for the result every 30 s: the command leaves that to the kiosk at once.
    const r = await kiosk(
      ['pay', 'mobile-topup', `phone=${PHONE}`, 'amount=30', '--operator', 'A001', '--yes', '--json'],
      PW,
    );
    k.hq.script('pay', 'ok');
    expect(r.code, r.err).toBe(0);
    const t = JSON.parse(r.out).transaction;
    expect(t).toMatchObject({ state: 'querying', terminal: false, status: { phase: 'waiting' } });
    expect(r.err).toContain(`kiosk query ${t.serial}`);
    const q = await kiosk(['query', t.serial, '--json']);
    expect(q.code).toBe(0);
    expect(JSON.parse(q.out)).toMatchObject({
      serial: t.serial,
      state: 'querying',
      fields: { phone: MASKED },
    });
    const human = await kiosk(['query', t.serial]);
    expect(human.out).toContain('移动直充 Mobile top-up');
    expect(human.out).toMatch(/进度 progress: .*再次查询/);
    expect(human.out).toContain('金额 amount ￥30.00  手续费 fee ￥0.50  合计 total ￥30.50');
  });

  it('reports a payment the biller declined with its reason and exit code 6', async () => {
    k.hq.script('pay', {
      outcome: 'declined',
      reason: { code: 'B', zh: '账户已销户', en: 'account closed' },
    });
    const r = await kiosk(
      ['pay', 'test-bill', `phone=${PHONE}`, 'amount=10', '--operator', 'A001', '--yes'],
      PW,
    );
    k.hq.script('pay', 'ok');
    expect(r.code).toBe(6);
    expect(r.out).toContain('失败 / failed');
    expect(r.err).toContain('账户已销户 / account closed');
  });

  it('refuses bad input naming each field in both languages (exit 5) and sends nothing', async () => {
    const sent = k.hq.count('pay');
    const r = await kiosk(
      ['pay', 'mobile-topup', 'phone=1380013800', 'amount=15', '--operator', 'A001', '--yes'],
      PW,
    );
    expect(r.code).toBe(5);
    expect(r.err).toContain('手机号码');
    expect(r.err).toContain('Mobile number');
    const json = await kiosk(['pay', 'mobile-topup', `phone=${PHONE}`, 'amount=15', '--yes', '--json']);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.out).error.issues[0]).toMatchObject({
      field: 'amount',
      code: 'KIOSK_E_INVALID_AMOUNT',
    });
    expect((await kiosk(['pay', 'mobile-topup', 'phone', '--yes'])).code).toBe(5);
    expect((await kiosk(['pay', 'no-such', 'a=1', '--yes'])).code).toBe(5);
    expect(k.hq.count('pay')).toBe(sent);
  });

  it('checks every local rule before any message leaves the kiosk: amount rules and the balance', async () => {
    // Earlier transactions may still be followed up (status queries); nothing new may leave.
    const earlier = new Set(k.hq.requests.map((r) => r.serial));
    const asked = () => k.hq.requests.filter((r) => !earlier.has(r.serial));
    const amount = await kiosk(
      ['pay', 'mobile-topup', `phone=${PHONE}`, 'amount=15', '--operator', 'A001', '--yes'],
      PW,
    );
    expect(amount.code).toBe(5);
    expect(amount.err).toContain('10元的整数倍');
    const balance = await kiosk(
      ['pay', 'mobile-topup', `phone=${PHONE}`, 'amount=990000', '--operator', 'A001', '--yes', '--json'],
      PW,
    );
    expect(balance.code).toBe(6);
    expect(JSON.parse(balance.out).error).toMatchObject({
      code: 'KIOSK_E_INSUFFICIENT_BALANCE',
      field: 'amount',
    });
    const api = await fetch(`${url}api/services/mobile-topup/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: PHONE, amount: '990000' }),
    });
    expect(api.status).toBeGreaterThanOrEqual(400);
    expect(asked()).toEqual([]);
  });

  it('never pays as self-service without --operator: the customer pays an order first', async () => {
    const sent = k.hq.count('pay');
    const self = await kiosk(['pay', 'test-bill', `phone=${PHONE}`, 'amount=40', '--yes', '--json']);
    expect(self.code).toBe(6);
    expect(self.err).toContain('先下单付款');
    const over = await kiosk(['pay', 'test-bill', `phone=${PHONE}`, 'amount=49', '--yes']);
    expect(over.code).toBe(6);
    expect(over.err).toContain('自助');
    expect(k.hq.count('pay')).toBe(sent);
    const wrong = await kiosk(
      ['pay', 'test-bill', `phone=${PHONE}`, 'amount=5', '--operator', 'A001', '--yes'],
      '000000\n',
    );
    expect(wrong.code).toBe(6);
    expect(wrong.err).toContain('密码');
  });

  it('reverses a transaction with the number and amount entered again', async () => {
    const paid = await kiosk(
      ['pay', 'test-bill', `phone=${PHONE}`, 'amount=25', '--operator', 'A001', '--yes', '--json'],
      PW,
    );
    const serial = JSON.parse(paid.out).transaction.serial as string;
    const usage = await kiosk(['reverse', serial, `phone=${PHONE}`, 'amount=25', '--yes']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('--operator');
    const wrong = await kiosk(
      ['reverse', serial, `phone=${PHONE}`, 'amount=26', '--operator', 'A001', '--yes'],
      PW,
    );
    expect(wrong.code).toBe(5);
    expect(wrong.err).toContain('amount');
    // Upstream answers the reversal query "done" right away.
    k.hq.settleReversal(await txnKey(serial), 'ok');
    const r = await kiosk(
      ['reverse', serial, `phone=${PHONE}`, 'amount=25', '--operator', 'A001'],
      `${PW}y\n`,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`确认撤销流水 ${serial}`);
    expect(r.out).toContain('已撤销 / reversed');
    const again = await kiosk(
      ['reverse', serial, `phone=${PHONE}`, 'amount=25', '--operator', 'A001', '--yes', '--json'],
      PW,
    );
    expect(again.code).toBe(6);
    expect(JSON.parse(again.out).error.code).toBe('KIOSK_E_ACTION_NOT_ALLOWED');
  });

  it('follows a reversal that waits on the biller and says the kiosk keeps asking', async () => {
    const paid = await kiosk(
      ['pay', 'test-bill', `phone=${PHONE}`, 'amount=15', '--operator', 'A001', '--yes', '--json'],
      PW,
    );
    const serial = JSON.parse(paid.out).transaction.serial as string;
    const r = await kiosk(
      [
        'reverse',
        serial,
        `phone=${PHONE}`,
        'amount=15',
        '--operator',
        'A001',
        '--yes',
        '--json',
        '--wait',
        '3',
      ],
      PW,
    );
    expect(r.code, r.err).toBe(0);
    const shown = JSON.parse(r.out) as { state: string; status: { phase: string } };
    // The kiosk asks every 50 ms here, so the moment the CLI stops following may fall between two
    // queries (waiting) or during one (sending); either way it is still asking by itself.
    expect(shown.state).toBe('reverse-querying');
    expect(['waiting', 'sending']).toContain(shown.status.phase);
    expect(r.err).toContain('撤销申请已提交');
    k.hq.settleReversal(await txnKey(serial), 'declined');
    await k.app.engine.waitFor(serial, (t) => t.terminal);
    const q = await kiosk(['query', serial, '--json']);
    expect(JSON.parse(q.out)).toMatchObject({ state: 'reverse-refused', result: 'succeeded' });
  });

  it('prints receipt data for a reprint, and refuses an unknown serial', async () => {
    const paid = await kiosk(
      ['pay', 'mobile-topup', `phone=${PHONE}`, 'amount=10', '--operator', 'A001', '--yes', '--json'],
      PW,
    );
    const serial = JSON.parse(paid.out).transaction.serial as string;
    const r = await kiosk(['query', serial, '--receipt', '--operator', 'A001'], PW);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('补打 / REPRINT');
    expect(r.out).toContain(`手机号码: ${MASKED}`);
    expect(r.out).toContain('合计 ￥10.50');
    const missing = await kiosk(['query', '0000099999']);
    expect(missing.code).toBe(6);
    expect(missing.err).toContain('找不到流水 0000099999');
  });
});
