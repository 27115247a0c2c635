import { createHmac } from 'node:crypto';
import { type Biller, declined, field, type OpHandler, ok, shanghaiDay } from './biller.ts';
import { accountExists, electricityArea } from './customers.ts';
import { findPayment, type PaymentRecord, paymentBiller, savePayment } from './payment-biller.ts';

const SVC = 'electricity-card';
const MAC_KEY = 'reference-hq-meter-key';

/**
 * Card write data for the meter: customer number, purchase count, amount (fen) and direction,
 * with a MAC the meter checks. Hex text, as the kiosk passes it to the card writer unchanged.
 */
export function writeData(customerNo: string, count: number, fen: number, dir: 'buy' | 'refund'): string {
  const body = `${customerNo.padStart(12, '0')}${String(count).padStart(4, '0')}${String(fen).padStart(10, '0')}${dir === 'buy' ? '01' : '02'}`;
  const mac = createHmac('sha256', MAC_KEY).update(body).digest('hex').slice(0, 16);
  return Buffer.from(`${body}${mac}`, 'ascii').toString('hex').toUpperCase();
}

async function withRecord(
  req: Parameters<OpHandler>[0],
  env: Parameters<OpHandler>[1],
  fn: (rec: PaymentRecord) => Promise<ReturnType<OpHandler> extends Promise<infer R> ? R : never>,
) {
  const rec = await findPayment(SVC, req, env);
  return rec ? fn(rec) : declined('BILLER_NO_SUCH_PAYMENT', '无此购电记录', 'no such purchase');
}

/**
 * Smart meter IC card purchase (智能电卡充值): purchase returns card write data; the kiosk writes
 * the card and confirms (写卡确认, repeatable as 补确认). Only confirmed purchases can be reversed
 * (购电撤销, with its own write data and confirmation); an accepted purchase whose write failed is
 * undone by an accounting reversal (账务撤销). `unconfirmed` lists what still needs confirming.
 */
export function electricityCardBiller(): Biller {
  const confirm: OpHandler = (req, env) =>
    withRecord(req, env, async (rec) => {
      if (rec.status === 'reversed' && !rec.data.reverseWriteData)
        return declined(
          'BILLER_ACCOUNTING_REVERSED',
          '该笔购电已账务撤销',
          'purchase was reversed in the books',
        );
      if (!rec.data.confirmed) await savePayment(env, { ...rec, data: { ...rec.data, confirmed: true } });
      return ok({ billerRef: rec.ref, confirmed: true });
    });
  const accountingReverse: OpHandler = (req, env) =>
    withRecord(req, env, async (rec) => {
      if (rec.status === 'reversed') return ok({ billerRef: rec.ref });
      if (rec.data.confirmed)
        return declined(
          'BILLER_CONFIRMED',
          '已写卡确认的购电不能账务撤销',
          'a confirmed purchase needs a purchase reversal',
        );
      await env.accounts.change(
        rec.station,
        rec.amountFen,
        `acct-reverse:${rec.ref}`,
        'card purchase undone',
      );
      await savePayment(env, { ...rec, status: 'reversed', reversalAt: env.clock.now() });
      return ok({ billerRef: rec.ref });
    });
  const reverse: OpHandler = (req, env) =>
    withRecord(req, env, async (rec) => {
      if (rec.status === 'reversal-pending' || rec.status === 'reversed')
        return ok({ billerRef: rec.ref, writeData: rec.data.reverseWriteData });
      if (rec.status !== 'ok' || !rec.data.confirmed)
        return declined(
          'BILLER_UNCONFIRMED',
          '只能撤销已写卡确认的购电',
          'only confirmed purchases can be reversed',
        );
      if (rec.day !== shanghaiDay(env.clock.now()))
        return declined('BILLER_NOT_SAME_DAY', '只能撤销当日交易', 'only same-day purchases can be reversed');
      const count = Number(rec.data.purchaseCount ?? 1);
      const data = { ...rec.data, reverseWriteData: writeData(rec.account, count, rec.amountFen, 'refund') };
      await savePayment(env, { ...rec, status: 'reversal-pending', reversalAt: env.clock.now(), data });
      return ok({ billerRef: rec.ref, writeData: data.reverseWriteData });
    });
  const reverseConfirm: OpHandler = (req, env) =>
    withRecord(req, env, async (rec) => {
      if (rec.status === 'reversed') return ok({ billerRef: rec.ref, confirmed: true });
      if (rec.status !== 'reversal-pending')
        return declined('BILLER_NO_REVERSAL', '没有撤销申请', 'no reversal requested');
      await env.accounts.change(rec.station, rec.amountFen, `reverse:${rec.ref}`, 'card purchase reversed');
      await savePayment(env, { ...rec, status: 'reversed', data: { ...rec.data, reverseConfirmed: true } });
      return ok({ billerRef: rec.ref, confirmed: true });
    });
  const unconfirmed: OpHandler = async (req, env) => {
    const customerNo = field(req, 'customerNo', 'account');
    const day = shanghaiDay(env.clock.now());
    const items = [];
    for (const [, rec] of await env.store.list<PaymentRecord>(`b:${SVC}:r:`)) {
      if (rec.station !== req.station || rec.day !== day) continue;
      if (customerNo && rec.account !== customerNo) continue;
      if (rec.status === 'ok' && !rec.data.confirmed)
        items.push({ kind: 'purchase', ref: rec.ref, serial: rec.serial });
      if (rec.status === 'reversal-pending')
        items.push({ kind: 'reversal', ref: rec.ref, serial: rec.serial });
    }
    return ok({ items });
  };
  const base = paymentBiller({
    service: SVC,
    title: '智能电卡充值',
    accountFields: ['customerNo', 'account'],
    reversal: 'immediate',
    async check(req, env, account) {
      if (!accountExists(account)) return declined('BILLER_NO_ACCOUNT', '无此用户', 'no such customer');
      const own = env.station.region?.areaType ?? 'city';
      if (electricityArea(account) !== own)
        return declined('BILLER_OTHER_AREA', '只能为本地区用户购电', 'customer of another area');
      if (req.op === 'query') return ok({ customerNo: account, area: own, meter: `M${account.slice(-8)}` });
      return null;
    },
    async acceptData(req, _env, rec) {
      const card = (req.payload.card ?? {}) as { purchaseCount?: unknown };
      const count = (typeof card.purchaseCount === 'number' ? card.purchaseCount : 0) + 1;
      return {
        purchaseCount: count,
        writeData: writeData(rec.account, count, rec.amountFen, 'buy'),
        confirmed: false,
      };
    },
  });
  return {
    ...base,
    ops: {
      ...base.ops,
      'write-confirm': confirm,
      'accounting-reverse': accountingReverse,
      reverse,
      'reverse-write-confirm': reverseConfirm,
      unconfirmed,
    },
    mutating: new Set(['pay', 'write-confirm', 'accounting-reverse', 'reverse', 'reverse-write-confirm']),
  };
}
