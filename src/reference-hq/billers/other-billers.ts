import { amountFen, type Biller, declined, field, type OpHandler, ok, shanghaiDay } from './biller.ts';
import { accountExists, failsPayment, GAMES } from './customers.ts';
import {
  findPayment,
  newRef,
  type PaymentRecord,
  paymentBiller,
  paymentKeys,
  paymentOp,
} from './payment-biller.ts';

/** Game top-up (游戏充值): asynchronous, never reversible by the customer; a failed one is refunded. */
export function gameTopupBiller(settleMs: number): Biller {
  const games: OpHandler = async (req) => {
    const q = (field(req, 'search', 'q') ?? '').toLowerCase();
    return ok({ games: GAMES.filter((g) => !q || g.name.includes(q) || g.id.includes(q)) });
  };
  const errors: OpHandler = async (req, env) => {
    const day = field(req, 'date') ?? shanghaiDay(env.clock.now(), env.dayCut);
    const items = (await env.store.list<PaymentRecord>('b:game-topup:r:'))
      .map(([, r]) => r)
      .filter((r) => r.station === req.station && r.day === day && r.status === 'declined')
      .map((r) => ({ ref: r.ref, serial: r.serial, account: r.account, amountFen: r.amountFen }));
    return ok({ date: day, items });
  };
  // 冲正: only a failed top-up is reversed, and its refund was credited when it failed.
  const reverse: OpHandler = async (req, env) => {
    const rec = await findPayment('game-topup', req, env);
    if (!rec) return declined('BILLER_NO_SUCH_PAYMENT', '无此充值记录', 'no such top-up');
    if (rec.status === 'declined') return ok({ billerRef: rec.ref, refunded: true });
    return declined('BILLER_NO_REVERSAL', '游戏充值不能撤销', 'game top-ups cannot be reversed');
  };
  const base = paymentBiller({
    service: 'game-topup',
    title: '游戏充值',
    accountFields: ['account'],
    settleMs,
    settleTo: (rec) => (failsPayment(rec.account) ? 'declined' : 'ok'),
    reversal: 'none',
    async check(req) {
      const game = GAMES.find((g) => g.id === field(req, 'game'));
      if (!game) return declined('BILLER_NO_GAME', '无此游戏', 'unknown game');
      const pkg = field(req, 'package');
      if (req.op === 'pay' && !game.packages.some((p) => p === pkg))
        return declined('BILLER_NO_PACKAGE', '无此充值套餐', 'unknown package');
      return null;
    },
  });
  return { ...base, ops: { ...base.ops, games, errors, reverse }, mutating: new Set(['pay', 'reverse']) };
}

/** Credit card repayment (信用卡还款): needs the station's bound, enabled terminal, signed in today. */
export function creditCardBiller(): Biller {
  const signKey = (station: string, day: string) => `b:credit-card-repayment:s:${station}:${day}`;
  const signIn: OpHandler = async (req, env) => {
    const t = env.station.terminal;
    if (!t?.terminalNo || t.status !== 'enabled')
      return declined(
        'BILLER_TERMINAL',
        '本站未绑定或未启用还款终端',
        'no enabled terminal bound to this station',
      );
    if (field(req, 'terminalNo') !== t.terminalNo)
      return declined('BILLER_TERMINAL', '终端号与绑定不符', 'terminal number does not match the binding');
    const day = shanghaiDay(env.clock.now(), env.dayCut);
    await env.store.put(signKey(req.station, day), env.clock.now());
    return ok({ terminalNo: t.terminalNo, day });
  };
  const history: OpHandler = async (req, env) => {
    const from = field(req, 'from');
    const to = field(req, 'to');
    if (!from || !to || !/^\d{8}$/.test(from) || !/^\d{8}$/.test(to) || to <= from)
      return declined('BILLER_DATES', '结束日期必须晚于开始日期', 'end date must be after the start date');
    const items = (await env.store.list<PaymentRecord>('b:credit-card-repayment:r:'))
      .map(([, r]) => r)
      .filter((r) => r.station === req.station && r.day >= from && r.day <= to)
      .map((r) => ({ ref: r.ref, serial: r.serial, day: r.day, amountFen: r.amountFen, status: r.status }));
    return ok({ items });
  };
  const base = paymentBiller({
    service: 'credit-card-repayment',
    title: '信用卡还款',
    accountFields: ['creditCard', 'cardNo'],
    reversal: 'none',
    chargesStation: false,
    async check(req, env, account) {
      if (req.op === 'query') return null;
      const t = env.station.terminal;
      if (!t?.terminalNo || t.status !== 'enabled')
        return declined('BILLER_TERMINAL', '本站还款终端未启用', 'repayment terminal not enabled');
      if ((await env.store.get(signKey(req.station, shanghaiDay(env.clock.now(), env.dayCut)))) === undefined)
        return declined('BILLER_NOT_SIGNED_IN', '请先签到', 'sign in first today');
      if (!/^\d{13,19}$/.test(account))
        return declined('BILLER_BAD_CARD', '信用卡号有误', 'bad credit card number');
      if (failsPayment(account)) return declined('BILLER_CARD_REFUSED', '发卡行拒绝', 'issuer refused');
      return null;
    },
  });
  return {
    ...base,
    ops: { ...base.ops, 'sign-in': signIn, history },
    mutating: new Set(['pay', 'sign-in']),
  };
}

/** Bus IC card top-up (公交卡充值): only at stations HQ enabled it for. */
export function busCardBiller(): Biller {
  return paymentBiller({
    service: 'bus-card-topup',
    title: '公交卡充值',
    accountFields: ['cardNo', 'account'],
    reversal: 'none',
    async check(_req, env, account) {
      if (env.station.services && !env.station.services.includes('bus-card-topup'))
        return declined('BILLER_NOT_ENABLED', '本站未开通公交卡充值', 'bus card top-up not enabled here');
      if (!accountExists(account)) return declined('BILLER_NO_CARD', '无此卡', 'unknown card');
      return null;
    },
  });
}

/** Networked alarm (联网报警): HQ records the incident and answers with its id. */
export function alarmBiller(): Biller {
  const alarm: OpHandler = async (req, env) => {
    const id = `AL${env.clock.now().toString(36).toUpperCase()}${req.serial}`;
    await env.store.put(`b:alarm:i:${id}`, {
      id,
      station: req.station,
      at: env.clock.now(),
      payload: req.payload,
    });
    return ok({ incidentId: id });
  };
  return {
    service: 'alarm',
    title: '联网报警',
    ops: { alarm, pay: alarm },
    mutating: new Set(['alarm', 'pay']),
  };
}

/**
 * Self top-up of the prepaid balance from the bound postal debit card (卡折充值): the card is
 * debited, the station's HQ account credited, and a signed balance event sent to the kiosk.
 */
export function prepaidCardTopupBiller(): Biller {
  const base = paymentBiller({
    service: 'prepaid-card-topup',
    title: '卡折充值',
    accountFields: ['debitCard', 'cardNo'],
    reversal: 'none',
    async check(_req, _env, account) {
      if (!/^\d{16,19}$/.test(account))
        return declined('BILLER_BAD_CARD', '绿卡卡号有误', 'bad debit card number');
      if (failsPayment(account)) return declined('BILLER_CARD_REFUSED', '绿卡余额不足', 'debit card refused');
      return null;
    },
  });
  const pay: OpHandler = async (req, env) => {
    const prior = await findPayment('prepaid-card-topup', { ...req, payload: {} }, env);
    if (prior) {
      // The balance event may not have gone out before a crash; the kiosk applies a ref once.
      const ref = `card-topup:${prior.ref}`;
      await env.pushBalance(req.station, { kind: 'topup', fen: prior.amountFen, ref, note: '卡折充值' });
      return ok({ billerRef: prior.ref, ref });
    }
    const card = field(req, 'debitCard', 'cardNo');
    const fen = amountFen(req);
    if (!card) return declined('BILLER_BAD_CARD', '缺少绿卡卡号', 'missing debitCard');
    if (fen === null || fen <= 0) return declined('BILLER_BAD_AMOUNT', '金额有误', 'bad amount');
    const refusal = await base.ops.query?.(req, env);
    if (refusal && refusal.outcome !== 'ok') return refusal;
    const now = env.clock.now();
    const rec: PaymentRecord = {
      ref: newRef('prepaid-card-topup', now),
      service: 'prepaid-card-topup',
      station: req.station,
      txnKey: req.txnKey,
      serial: req.serial,
      account: card,
      amountFen: fen,
      day: shanghaiDay(now, env.dayCut),
      at: now,
      status: 'ok',
      data: {},
    };
    const ref = `card-topup:${rec.ref}`;
    await env.accounts.change(req.station, fen, ref, 'card top-up', [
      paymentOp(rec),
      { type: 'put', key: paymentKeys.byTxn(rec.service, req.station, req.txnKey), value: rec.ref },
    ]);
    await env.pushBalance(req.station, { kind: 'topup', fen, ref, note: '卡折充值' });
    return ok({ billerRef: rec.ref, ref });
  };
  return { ...base, ops: { ...base.ops, pay }, mutating: new Set(['pay']) };
}
