import type { EffectResult } from '../../core/transaction/types.ts';
import type { StoreOp } from '../store.ts';
import {
  amountFen,
  type Biller,
  type BillerEnv,
  type BillerRequest,
  declined,
  field,
  type OpHandler,
  ok,
  pending,
  shanghaiDay,
  yuanOf,
} from './biller.ts';

export interface PaymentRecord {
  ref: string;
  service: string;
  station: string;
  txnKey: string;
  serial: string;
  account: string;
  amountFen: number;
  /** Business date of the payment (yyyymmdd, Asia/Shanghai, day cut 21:00). */
  day: string;
  at: number;
  status: 'pending' | 'ok' | 'declined' | 'reversal-pending' | 'reversed' | 'reversal-refused';
  settleAt?: number;
  settleTo?: 'ok' | 'declined';
  reason?: { code: string; zh: string; en: string };
  /** Extra facts returned with `ok` (contract number, card write data, ticket number …). */
  data: Record<string, unknown>;
  reversalAt?: number;
}

export interface PaymentBillerSpec {
  service: string;
  title: string;
  accountFields: string[];
  /** Refusals before anything is charged (region, arrears, contract); null to accept. */
  check?: (req: BillerRequest, env: BillerEnv, account: string, fen: number) => Promise<EffectResult | null>;
  /** Asynchronous billers answer `pending` and settle after this long, ms. */
  settleMs?: number;
  /** Final outcome of an asynchronous payment. */
  settleTo?: (rec: PaymentRecord) => 'ok' | 'declined';
  /** Facts added to the record when it is accepted (reads only: nothing is written before the debit). */
  acceptData?: (req: BillerRequest, env: BillerEnv, rec: PaymentRecord) => Promise<Record<string, unknown>>;
  /** Further writes of an accepted payment, made in the same atomic batch as the debit. */
  acceptOps?: (rec: PaymentRecord) => StoreOp[];
  /** `manual`: reversal requests wait for the upstream processing run; `immediate`: done at once. */
  reversal: 'none' | 'immediate' | 'manual';
  /**
   * Whether a payment is paid from the station's prepaid account (default). A repayment from the
   * customer's own debit card is not: the station account is left alone.
   */
  chargesStation?: boolean;
  /** Refusals of a reversal request (arrears, time windows). */
  reversalCheck?: (rec: PaymentRecord, req: BillerRequest, env: BillerEnv) => Promise<EffectResult | null>;
  /** Further writes of a reversal (arrears restored and the like), in the batch of the credit. */
  reversedOps?: (rec: PaymentRecord) => StoreOp[];
  /** Decision of a queued manual reversal. */
  decideReversal?: (rec: PaymentRecord, env: Omit<BillerEnv, 'station'>) => Promise<EffectResult | null>;
  extraOps?: Record<string, OpHandler>;
  extraMutating?: string[];
}

export const paymentKeys = {
  rec: (svc: string, ref: string) => `b:${svc}:r:${ref}`,
  byTxn: (svc: string, station: string, txnKey: string) => `b:${svc}:k:${station}:${txnKey}`,
  tomb: (svc: string, station: string, txnKey: string) => `b:${svc}:t:${station}:${txnKey}`,
  pending: (svc: string, ref: string) => `b:${svc}:p:${ref}`,
  queue: (svc: string, ref: string) => `b:${svc}:q:${ref}`,
};

let refCounter = 0;
export function newRef(service: string, now: number): string {
  refCounter = (refCounter + 1) % 1_000_000;
  return `${service.slice(0, 3).toUpperCase()}${now.toString(36).toUpperCase()}${String(refCounter).padStart(6, '0')}`;
}

export function answerFor(rec: PaymentRecord): EffectResult {
  const data = { billerRef: rec.ref, amount: yuanOf(rec.amountFen), ...rec.data };
  switch (rec.status) {
    case 'pending':
      return pending({ billerRef: rec.ref });
    case 'declined':
      return {
        outcome: 'declined',
        data: { billerRef: rec.ref },
        ...(rec.reason ? { reason: rec.reason } : {}),
      };
    default:
      return ok(data);
  }
}

/** Finds the payment a request is about: by the biller reference, else by the transaction key. */
export async function findPayment(
  svc: string,
  req: BillerRequest,
  env: BillerEnv,
): Promise<PaymentRecord | undefined> {
  const ref = typeof req.payload.ref === 'string' ? req.payload.ref : null;
  const key = ref ?? (await env.store.get<string>(paymentKeys.byTxn(svc, req.station, req.txnKey)));
  if (!key) return undefined;
  const rec = await env.store.get<PaymentRecord>(paymentKeys.rec(svc, key));
  return rec && rec.station === req.station ? rec : undefined;
}

export async function savePayment(env: Pick<BillerEnv, 'store'>, rec: PaymentRecord): Promise<void> {
  await env.store.put(paymentKeys.rec(rec.service, rec.ref), rec);
}

/** The write that stores `rec`, for a batch with the account change it goes with. */
export function paymentOp(rec: PaymentRecord): StoreOp {
  return { type: 'put', key: paymentKeys.rec(rec.service, rec.ref), value: rec };
}

/**
 * The standard payment biller: pay, status query, two-phase reversal, with the station's prepaid
 * account debited on acceptance and credited back on failure or reversal; each debit or credit is
 * one atomic batch with the payment record it belongs to. Asynchronous billers
 * answer `pending` and settle later (on a status query or a tick); a status query for a payment
 * that never arrived answers `declined` and bars that transaction from being paid later.
 */
export function paymentBiller(spec: PaymentBillerSpec): Biller {
  const svc = spec.service;

  /** The station's account change with `ops` in one batch; just `ops` when the station is not charged. */
  async function moveMoney(
    env: Pick<BillerEnv, 'store' | 'accounts'>,
    station: string,
    deltaFen: number,
    ref: string,
    note: string,
    ops: StoreOp[],
  ): Promise<void> {
    if (spec.chargesStation === false) await env.store.batch(ops);
    else await env.accounts.change(station, deltaFen, ref, note, ops);
  }

  async function settle(rec: PaymentRecord, env: Omit<BillerEnv, 'station'>): Promise<PaymentRecord> {
    if (rec.status !== 'pending' || rec.settleAt === undefined || rec.settleAt > env.clock.now()) return rec;
    const to = rec.settleTo ?? 'ok';
    const next: PaymentRecord =
      to === 'declined'
        ? {
            ...rec,
            status: to,
            reason: { code: 'BILLER_REFUSED', zh: '运营商处理失败', en: 'the biller refused the payment' },
          }
        : { ...rec, status: to };
    const ops: StoreOp[] = [paymentOp(next), { type: 'del', key: paymentKeys.pending(svc, rec.ref) }];
    if (to === 'declined') {
      ops.push(...(spec.reversedOps?.(rec) ?? []));
      await moveMoney(env, rec.station, rec.amountFen, `refund:${rec.ref}`, `${svc} declined`, ops);
    } else {
      await env.store.batch(ops);
    }
    return next;
  }

  /**
   * A payment, its status query, its reversal and the reversal's status query — all requests about
   * one transaction — run one at a time, on every HQ instance sharing the store: otherwise a query
   * could find no payment and leave its tombstone while a slower pay of that transaction, past its
   * own tombstone check, charges the station; or a reversal's status query could answer "no
   * reversal requested" while a slower reversal of it credits the station.
   */
  const txnLock = <T>(req: BillerRequest, env: BillerEnv, fn: () => Promise<T>): Promise<T> =>
    env.store.withLock(`txn:${svc}:${req.station}:${req.txnKey}`, fn);

  const pay: OpHandler = (req, env) => txnLock(req, env, () => payLocked(req, env));

  const payLocked: OpHandler = async (req, env) => {
    if ((await env.store.get(paymentKeys.tomb(svc, req.station, req.txnKey))) !== undefined)
      return declined(
        'BILLER_SUPERSEDED',
        '该笔交易已查询为不存在',
        'a status query already found no such payment',
      );
    const prior = await findPayment(svc, { ...req, payload: {} }, env);
    if (prior) return answerFor(await settle(prior, env));
    const account = field(req, ...spec.accountFields);
    const fen = amountFen(req);
    if (!account) return declined('BILLER_BAD_ACCOUNT', '缺少账号', `missing ${spec.accountFields[0]}`);
    if (fen === null || fen <= 0) return declined('BILLER_BAD_AMOUNT', '金额有误', 'bad amount');
    const refusal = await spec.check?.(req, env, account, fen);
    if (refusal) return refusal;
    const now = env.clock.now();
    const rec: PaymentRecord = {
      ref: newRef(svc, now),
      service: svc,
      station: req.station,
      txnKey: req.txnKey,
      serial: req.serial,
      account,
      amountFen: fen,
      day: shanghaiDay(now, env.dayCut),
      at: now,
      status: spec.settleMs === undefined ? 'ok' : 'pending',
      data: {},
    };
    rec.data = (await spec.acceptData?.(req, env, rec)) ?? {};
    if (spec.settleMs !== undefined) {
      rec.settleAt = now + spec.settleMs;
      rec.settleTo = spec.settleTo?.(rec) ?? 'ok';
    }
    try {
      await moveMoney(env, req.station, -fen, `pay:${rec.ref}`, `${svc} ${req.serial}`, [
        paymentOp(rec),
        { type: 'put', key: paymentKeys.byTxn(svc, req.station, req.txnKey), value: rec.ref },
        ...(rec.status === 'pending'
          ? [{ type: 'put' as const, key: paymentKeys.pending(svc, rec.ref), value: 1 }]
          : []),
        ...(spec.acceptOps?.(rec) ?? []),
      ]);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      return declined('BILLER_INSUFFICIENT', '网点预存款不足', 'station prepaid balance at HQ is too low');
    }
    return answerFor(rec);
  };

  const status: OpHandler = (req, env) => txnLock(req, env, () => statusLocked(req, env));

  const statusLocked: OpHandler = async (req, env) => {
    const rec = await findPayment(svc, req, env);
    if (!rec) {
      await env.store.put(paymentKeys.tomb(svc, req.station, req.txnKey), env.clock.now());
      return declined('BILLER_NO_SUCH_PAYMENT', '运营商无此笔缴费', 'the biller has no such payment');
    }
    return answerFor(await settle(rec, env));
  };

  const reverse: OpHandler = (req, env) => txnLock(req, env, () => reverseLocked(req, env));

  const reverseLocked: OpHandler = async (req, env) => {
    if (spec.reversal === 'none')
      return declined('BILLER_NO_REVERSAL', '该业务不能撤销', 'cannot be reversed');
    const found = await findPayment(svc, req, env);
    if (!found)
      return declined('BILLER_NO_SUCH_PAYMENT', '运营商无此笔缴费', 'the biller has no such payment');
    const rec = await settle(found, env);
    if (rec.status === 'reversal-pending') return pending({ billerRef: rec.ref });
    if (rec.status === 'reversed') return ok({ billerRef: rec.ref });
    if (rec.status === 'pending')
      return declined(
        'BILLER_PENDING',
        '交易处理中，查询确认成功后才能撤销',
        'pending: reverse after a query confirms it',
      );
    if (rec.status !== 'ok' && rec.status !== 'reversal-refused')
      return declined('BILLER_NOT_REVERSIBLE', '原交易未成功', 'the payment did not succeed');
    if (rec.day !== shanghaiDay(env.clock.now(), env.dayCut))
      return declined('BILLER_NOT_SAME_DAY', '只能撤销当日交易', 'only same-day payments can be reversed');
    const fen = amountFen(req);
    const account = field(req, ...spec.accountFields);
    if ((fen !== null && fen !== rec.amountFen) || (account !== null && account !== rec.account))
      return declined('BILLER_MISMATCH', '号码、流水号或金额不符', 'number, serial or amount does not match');
    const refusal = await spec.reversalCheck?.(rec, req, env);
    if (refusal) return refusal;
    const now = env.clock.now();
    if (spec.reversal === 'immediate') {
      await moveMoney(env, rec.station, rec.amountFen, `reverse:${rec.ref}`, `${svc} reversed`, [
        paymentOp({ ...rec, status: 'reversed', reversalAt: now }),
        ...(spec.reversedOps?.(rec) ?? []),
      ]);
      return ok({ billerRef: rec.ref });
    }
    await env.store.batch([
      {
        type: 'put',
        key: paymentKeys.rec(svc, rec.ref),
        value: { ...rec, status: 'reversal-pending', reversalAt: now },
      },
      { type: 'put', key: paymentKeys.queue(svc, rec.ref), value: now },
    ]);
    return pending({ billerRef: rec.ref });
  };

  const reverseStatus: OpHandler = (req, env) => txnLock(req, env, () => reverseStatusLocked(req, env));

  const reverseStatusLocked: OpHandler = async (req, env) => {
    const rec = await findPayment(svc, req, env);
    if (!rec) return declined('BILLER_NO_SUCH_PAYMENT', '运营商无此笔缴费', 'the biller has no such payment');
    if (rec.status === 'reversed') return ok({ billerRef: rec.ref });
    if (rec.status === 'reversal-pending') return pending({ billerRef: rec.ref });
    if (rec.status === 'reversal-refused')
      return {
        outcome: 'declined',
        ...(rec.reason ? { reason: rec.reason } : {}),
        data: { billerRef: rec.ref },
      };
    return declined('BILLER_NO_REVERSAL', '没有撤销申请', 'no reversal was requested');
  };

  const query: OpHandler = async (req, env) => {
    const account = field(req, ...spec.accountFields);
    if (!account) return declined('BILLER_BAD_ACCOUNT', '缺少账号', `missing ${spec.accountFields[0]}`);
    const refusal = await spec.check?.(req, env, account, 0);
    return refusal ?? ok({ account });
  };

  return {
    service: svc,
    title: spec.title,
    ops: { query, pay, status, reverse, 'reverse-status': reverseStatus, ...spec.extraOps },
    mutating: new Set(['pay', 'reverse', ...(spec.extraMutating ?? [])]),
    async tick(env, kind) {
      if (kind === 'settle') {
        for (const [key] of await env.store.list(`b:${svc}:p:`)) {
          const rec = await env.store.get<PaymentRecord>(
            paymentKeys.rec(svc, key.slice(key.lastIndexOf(':') + 1)),
          );
          if (rec) await settle(rec, env);
        }
        return;
      }
      for (const [key] of await env.store.list(`b:${svc}:q:`)) {
        const ref = key.slice(key.lastIndexOf(':') + 1);
        const rec = await env.store.get<PaymentRecord>(paymentKeys.rec(svc, ref));
        if (rec?.status !== 'reversal-pending') {
          await env.store.del(key);
          continue;
        }
        const refusal = await spec.decideReversal?.(rec, env);
        const next: PaymentRecord = refusal
          ? { ...rec, status: 'reversal-refused', ...(refusal.reason ? { reason: refusal.reason } : {}) }
          : { ...rec, status: 'reversed' };
        const ops: StoreOp[] = [paymentOp(next), { type: 'del', key }];
        if (refusal) await env.store.batch(ops);
        else
          await moveMoney(env, rec.station, rec.amountFen, `reverse:${rec.ref}`, `${svc} reversed`, [
            ...ops,
            ...(spec.reversedOps?.(rec) ?? []),
          ]);
      }
    },
  };
}
