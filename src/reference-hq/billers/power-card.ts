import { randomBytes } from 'node:crypto';
import {
  type PurchaseWrite,
  type ReversalWrite,
  signPurchaseWrite,
  signReversalWrite,
} from '../../../devices/card-reader/electricity-card-format.ts';
import type { EffectResult } from '../../core/transaction/types.ts';
import type { StoreOp } from '../store.ts';
import {
  amountFen,
  type Biller,
  type BillerEnv,
  declined,
  field,
  type OpHandler,
  ok,
  shanghaiDay,
} from './biller.ts';
import { accountExists, electricityAreaOf, ownElectricityArea } from './customers.ts';

export const POWER_CARD_SERVICE = 'power-card';
const SVC = POWER_CARD_SERVICE;

/** Tariff of the simulated utility: 0.538 yuan per kWh, in li (0.001 yuan) per kWh. */
export const TARIFF_LI_PER_KWH = 538;

/** Units (centi-kWh) bought for an amount in fen at the tariff, rounded down. Integers only. */
export function unitsFor(fen: number): number {
  return Math.floor((fen * 1000) / TARIFF_LI_PER_KWH);
}

/**
 * One card purchase as the utility's side keeps it. `accepted`: paid by the station, write data
 * issued, no confirmation yet. `confirmed`: the kiosk confirmed the verified write (写卡确认); the
 * customer's units are credited. `acct-reversed`: undone in the books before any write (账务撤销).
 * `reversal-pending`: reversal write data issued for a confirmed purchase. `reversed`: the reversal
 * write was confirmed (撤销确认); units and money are back.
 */
export interface CardPurchase {
  ref: string;
  station: string;
  txnKey: string;
  serial: string;
  customerNo: string;
  cardSerial: string;
  amountFen: number;
  units: number;
  day: string;
  at: number;
  status: 'accepted' | 'confirmed' | 'acct-reversed' | 'reversal-pending' | 'reversed';
  write: PurchaseWrite;
  /** Every write confirmation received, repeats included (units are credited on the first only). */
  confirmations: number;
  reversal?: { write: ReversalWrite; confirmations: number };
}

export const powerCardKeys = {
  rec: (ref: string) => `b:${SVC}:r:${ref}`,
  byTxn: (station: string, txnKey: string) => `b:${SVC}:k:${station}:${txnKey}`,
  /** The customer's unresolved purchase or reversal, if any: no new one until it is resolved. */
  open: (customerNo: string) => `b:${SVC}:o:${customerNo}`,
  /** Units credited to a customer's meter account, centi-kWh. */
  units: (customerNo: string) => `b:${SVC}:u:${customerNo}`,
};

export interface PowerCardOptions {
  /** Issuer master key from which each card's key derives (the utility's secret). */
  masterKey: Uint8Array;
}

const noSuch = () => declined('BILLER_NO_SUCH_PAYMENT', '无此购电记录', 'no such purchase');

async function find(req: Parameters<OpHandler>[0], env: BillerEnv): Promise<CardPurchase | undefined> {
  const ref = typeof req.payload.ref === 'string' ? req.payload.ref : null;
  const key = ref ?? (await env.store.get<string>(powerCardKeys.byTxn(req.station, req.txnKey)));
  if (!key) return undefined;
  const rec = await env.store.get<CardPurchase>(powerCardKeys.rec(key));
  return rec && rec.station === req.station ? rec : undefined;
}

function answer(rec: CardPurchase): EffectResult {
  return ok({
    billerRef: rec.ref,
    units: rec.units,
    status: rec.status,
    writeData: { kind: 'purchase', ...rec.write },
  });
}

function card(req: Parameters<OpHandler>[0]): { cardSerial: string; purchaseCounter: number } | null {
  const c = (req.payload.card ?? {}) as Record<string, unknown>;
  if (typeof c.cardSerial !== 'string' || !/^[0-9A-Fa-f]{16}$/.test(c.cardSerial)) return null;
  if (typeof c.purchaseCounter !== 'number' || !Number.isInteger(c.purchaseCounter) || c.purchaseCounter < 0)
    return null;
  return { cardSerial: c.cardSerial.toUpperCase(), purchaseCounter: c.purchaseCounter };
}

/**
 * Smart meter IC card purchase (智能电卡充值) at the reference HQ. The write data it issues is the
 * card format's own (`signPurchaseWrite` / `signReversalWrite`), so the card checks HQ's MAC. Units
 * are credited to the customer once per purchase, on the first write confirmation, whatever the
 * number of confirmations; only a confirmed purchase can be reversed; an accepted purchase without a
 * confirmation is undone by an accounting reversal; a customer with an unresolved purchase or
 * reversal cannot buy again until it is resolved.
 */
export function powerCardBiller(opts: PowerCardOptions): Biller {
  const save = (env: BillerEnv, rec: CardPurchase, extra: readonly StoreOp[] = []) =>
    env.store.batch([{ type: 'put', key: powerCardKeys.rec(rec.ref), value: rec }, ...extra]);
  const recOp = (rec: CardPurchase): StoreOp => ({
    type: 'put',
    key: powerCardKeys.rec(rec.ref),
    value: rec,
  });
  const closeOpen = (rec: CardPurchase) => ({
    type: 'del' as const,
    key: powerCardKeys.open(rec.customerNo),
  });
  /** The write that moves a customer's credited units by `delta`, for the batch that causes it. */
  const unitsOp = async (env: BillerEnv, customerNo: string, delta: number): Promise<StoreOp> => {
    const key = powerCardKeys.units(customerNo);
    return { type: 'put', key, value: ((await env.store.get<number>(key)) ?? 0) + delta };
  };

  const customerCheck = (env: BillerEnv, customerNo: string | null): EffectResult | null => {
    if (!customerNo || !/^\d{1,20}$/.test(customerNo))
      return declined('BILLER_BAD_ACCOUNT', '用户号有误', 'bad customer number');
    if (!accountExists(customerNo)) return declined('BILLER_NO_ACCOUNT', '无此用户', 'no such customer');
    const where = ownElectricityArea(customerNo, env.station.region);
    if (!where.own)
      return declined(
        'BILLER_OTHER_AREA',
        '只能为本地区用户购电',
        `a customer of ${where.name} (${where.area}) cannot buy at a kiosk of ${env.station.region?.city ?? 'an unknown area'}`,
      );
    return null;
  };

  const query: OpHandler = async (req, env) => {
    const customerNo = field(req, 'customerNo');
    const refusal = customerCheck(env, customerNo);
    if (refusal) return refusal;
    const open = await env.store.get<string>(powerCardKeys.open(customerNo!));
    return ok({
      customerNo,
      area: electricityAreaOf(customerNo!).area,
      areaName: electricityAreaOf(customerNo!).name,
      meter: `M${customerNo!.slice(-8).padStart(8, '0')}`,
      tariffLiPerKwh: TARIFF_LI_PER_KWH,
      unresolvedRef: open ?? null,
    });
  };

  const pay: OpHandler = async (req, env) => {
    const prior = await find({ ...req, payload: {} }, env);
    if (prior) return answer(prior);
    const customerNo = field(req, 'customerNo');
    const refusal = customerCheck(env, customerNo);
    if (refusal) return refusal;
    const fen = amountFen(req);
    if (fen === null || fen <= 0) return declined('BILLER_BAD_AMOUNT', '金额有误', 'bad amount');
    const c = card(req);
    if (!c) return declined('BILLER_BAD_CARD', '缺少电卡信息', 'missing card serial or purchase counter');
    const units = unitsFor(fen);
    if (units < 1) return declined('BILLER_BAD_AMOUNT', '金额不足以购买电量', 'amount buys no units');
    return env.store.withLock(powerCardKeys.open(customerNo!), async () => {
      const open = await env.store.get<string>(powerCardKeys.open(customerNo!));
      if (open)
        return declined(
          'BILLER_UNRESOLVED',
          '该用户有未确认或未撤销的购电，须先处理',
          'this customer has an unresolved purchase; resolve it first',
          { unresolvedRef: open },
        );
      const now = env.clock.now();
      const ref = randomBytes(8).toString('hex').toUpperCase();
      const rec: CardPurchase = {
        ref,
        station: req.station,
        txnKey: req.txnKey,
        serial: req.serial,
        customerNo: customerNo!,
        cardSerial: c.cardSerial,
        amountFen: fen,
        units,
        day: shanghaiDay(now, env.dayCut),
        at: now,
        status: 'accepted',
        write: signPurchaseWrite(opts.masterKey, {
          cardSerial: c.cardSerial,
          customerNo: customerNo!,
          purchaseCounter: c.purchaseCounter + 1,
          amountFen: fen,
          units,
          txnRef: ref,
        }),
        confirmations: 0,
      };
      try {
        // The debit and the purchase record in one atomic batch.
        await env.accounts.change(req.station, -fen, `pay:${ref}`, `${SVC} ${req.serial}`, [
          recOp(rec),
          { type: 'put', key: powerCardKeys.byTxn(req.station, req.txnKey), value: ref },
          { type: 'put', key: powerCardKeys.open(rec.customerNo), value: ref },
        ]);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        return declined('BILLER_INSUFFICIENT', '网点预存款不足', 'station prepaid balance at HQ is too low');
      }
      return answer(rec);
    });
  };

  /** 写卡确认 / 购电补确认: repeatable; units are credited on the first one only. */
  const confirm: OpHandler = async (req, env) => {
    const rec = await find(req, env);
    if (!rec) return noSuch();
    return env.store.withLock(powerCardKeys.rec(rec.ref), async () => {
      const cur = (await env.store.get<CardPurchase>(powerCardKeys.rec(rec.ref)))!;
      if (cur.status === 'acct-reversed')
        return declined(
          'BILLER_ACCOUNTING_REVERSED',
          '该笔购电已账务撤销',
          'purchase was reversed in the books',
        );
      const first = cur.status === 'accepted';
      const next: CardPurchase = {
        ...cur,
        status: first ? 'confirmed' : cur.status,
        confirmations: cur.confirmations + 1,
      };
      // The units and the confirmed record in one batch: a repeat never credits them twice.
      await save(env, next, first ? [closeOpen(cur), await unitsOp(env, cur.customerNo, cur.units)] : []);
      return ok({ billerRef: cur.ref, confirmed: true, units: cur.units, firstConfirmation: first });
    });
  };

  /** 账务撤销: only an accepted purchase that was never confirmed. */
  const accountingReverse: OpHandler = async (req, env) => {
    const rec = await find(req, env);
    if (!rec) return noSuch();
    return env.store.withLock(powerCardKeys.rec(rec.ref), async () => {
      const cur = (await env.store.get<CardPurchase>(powerCardKeys.rec(rec.ref)))!;
      if (cur.status === 'acct-reversed') return ok({ billerRef: cur.ref });
      if (cur.status !== 'accepted')
        return declined(
          'BILLER_CONFIRMED',
          '已写卡确认的购电不能账务撤销',
          'a confirmed purchase needs a purchase reversal',
        );
      await env.accounts.change(cur.station, cur.amountFen, `acct-reverse:${cur.ref}`, `${SVC} undone`, [
        recOp({ ...cur, status: 'acct-reversed' }),
        closeOpen(cur),
      ]);
      return ok({ billerRef: cur.ref });
    });
  };

  /** 购电撤销: reversal write data for a confirmed, same-day purchase still the card's last write. */
  const reverse: OpHandler = async (req, env) => {
    const rec = await find(req, env);
    if (!rec) return noSuch();
    return env.store.withLock(powerCardKeys.rec(rec.ref), async () => {
      const cur = (await env.store.get<CardPurchase>(powerCardKeys.rec(rec.ref)))!;
      const c = card(req);
      if (cur.status === 'reversed')
        return ok({ billerRef: cur.ref, writeData: { kind: 'reversal', ...cur.reversal!.write } });
      if (
        cur.status === 'reversal-pending' &&
        cur.reversal &&
        c?.purchaseCounter === cur.reversal.write.purchaseCounter - 1
      )
        return ok({ billerRef: cur.ref, writeData: { kind: 'reversal', ...cur.reversal.write } });
      if (cur.status !== 'confirmed' && cur.status !== 'reversal-pending')
        return declined(
          'BILLER_UNCONFIRMED',
          '只能撤销已写卡确认的购电',
          'only confirmed purchases can be reversed',
        );
      if (cur.day !== shanghaiDay(env.clock.now(), env.dayCut))
        return declined('BILLER_NOT_SAME_DAY', '只能撤销当日交易', 'only same-day purchases can be reversed');
      const fen = amountFen(req);
      const customerNo = field(req, 'customerNo');
      if ((fen !== null && fen !== cur.amountFen) || (customerNo !== null && customerNo !== cur.customerNo))
        return declined(
          'BILLER_MISMATCH',
          '用户号、流水号或金额不符',
          'customer, serial or amount does not match',
        );
      if (!c || c.cardSerial !== cur.cardSerial || c.purchaseCounter !== cur.write.purchaseCounter)
        return declined(
          'BILLER_CARD_MOVED',
          '电卡已有后续写卡，不能撤销',
          'the card has a later write; cannot reverse',
        );
      const write = signReversalWrite(opts.masterKey, {
        cardSerial: cur.cardSerial,
        customerNo: cur.customerNo,
        purchaseCounter: c.purchaseCounter + 1,
        amountFen: cur.amountFen,
        units: cur.units,
        txnRef: randomBytes(8).toString('hex').toUpperCase(),
        originalTxnRef: cur.ref,
      });
      await save(env, { ...cur, status: 'reversal-pending', reversal: { write, confirmations: 0 } }, [
        { type: 'put', key: powerCardKeys.open(cur.customerNo), value: cur.ref },
      ]);
      return ok({ billerRef: cur.ref, writeData: { kind: 'reversal', ...write } });
    });
  };

  /** The reversal write never reached the card (refused, or the card is gone): the purchase stands. */
  const reverseCancel: OpHandler = async (req, env) => {
    const rec = await find(req, env);
    if (!rec) return noSuch();
    return env.store.withLock(powerCardKeys.rec(rec.ref), async () => {
      const cur = (await env.store.get<CardPurchase>(powerCardKeys.rec(rec.ref)))!;
      if (cur.status === 'confirmed') return ok({ billerRef: cur.ref });
      if (cur.status !== 'reversal-pending')
        return declined('BILLER_NO_REVERSAL', '没有撤销申请', 'no reversal requested');
      const { reversal: _r, ...rest } = cur;
      await save(env, { ...rest, status: 'confirmed' }, [closeOpen(cur)]);
      return ok({ billerRef: cur.ref });
    });
  };

  /** 撤销确认 / 撤销补确认: repeatable; money and units go back once. */
  const reverseConfirm: OpHandler = async (req, env) => {
    const rec = await find(req, env);
    if (!rec) return noSuch();
    return env.store.withLock(powerCardKeys.rec(rec.ref), async () => {
      const cur = (await env.store.get<CardPurchase>(powerCardKeys.rec(rec.ref)))!;
      if (cur.status === 'reversed') {
        await save(env, {
          ...cur,
          reversal: { ...cur.reversal!, confirmations: cur.reversal!.confirmations + 1 },
        });
        return ok({ billerRef: cur.ref, confirmed: true });
      }
      if (cur.status !== 'reversal-pending' || !cur.reversal)
        return declined('BILLER_NO_REVERSAL', '没有撤销申请', 'no reversal requested');
      await env.accounts.change(cur.station, cur.amountFen, `reverse:${cur.ref}`, `${SVC} reversed`, [
        recOp({ ...cur, status: 'reversed', reversal: { ...cur.reversal, confirmations: 1 } }),
        closeOpen(cur),
        await unitsOp(env, cur.customerNo, -cur.units),
      ]);
      return ok({ billerRef: cur.ref, confirmed: true });
    });
  };

  /** 未确认交易查询: the station's purchases and reversals still waiting for their confirmation. */
  const unconfirmed: OpHandler = async (req, env) => {
    const customerNo = field(req, 'customerNo');
    const day = typeof req.payload.day === 'string' ? req.payload.day : null;
    const items = [];
    for (const [, rec] of await env.store.list<CardPurchase>(`b:${SVC}:r:`)) {
      if (rec.station !== req.station) continue;
      if (customerNo && rec.customerNo !== customerNo) continue;
      if (day && rec.day !== day) continue;
      if (rec.status === 'accepted' || rec.status === 'reversal-pending')
        items.push({
          kind: rec.status === 'accepted' ? 'purchase' : 'reversal',
          ref: rec.ref,
          serial: rec.serial,
          customerNo: rec.customerNo,
          amountFen: rec.amountFen,
          day: rec.day,
        });
    }
    return ok({ items });
  };

  return {
    service: SVC,
    title: '智能电卡购电',
    ops: {
      query,
      pay,
      'write-confirm': confirm,
      'accounting-reverse': accountingReverse,
      reverse,
      'reverse-cancel': reverseCancel,
      'reverse-write-confirm': reverseConfirm,
      unconfirmed,
      reconcile: async (req, env) => {
        const day =
          typeof req.payload.day === 'string' ? req.payload.day : shanghaiDay(env.clock.now(), env.dayCut);
        return ok({ ...(await reconcilePowerCard(env, req.station, day)) });
      },
    },
    mutating: new Set([
      'pay',
      'write-confirm',
      'accounting-reverse',
      'reverse',
      'reverse-cancel',
      'reverse-write-confirm',
    ]),
    // Purchase and reversal answers carry the write data for the customer's card (its serial and
    // customer number under the MAC).
    wholeAnswers: new Set(['pay', 'reverse']),
  };
}

/** End-of-day reconciliation of one station's card purchases for one business day (对账). */
export interface PowerCardReconciliation {
  station: string;
  day: string;
  /** Purchases HQ accepted, and their money, fen. */
  accepted: { count: number; fen: number };
  /** Confirmed purchases that stand (the station's money stays with the utility). */
  confirmed: { count: number; fen: number; units: number };
  reversed: { count: number; fen: number };
  accountingReversed: { count: number; fen: number };
  /** Still waiting for a confirmation (purchase or reversal): the discrepancies of the day. */
  unconfirmed: Array<{ ref: string; serial: string; status: CardPurchase['status'] }>;
  /** What the station paid net for the day: confirmed + unconfirmed purchases, fen. */
  netFen: number;
}

export async function reconcilePowerCard(
  env: Pick<BillerEnv, 'store'>,
  station: string,
  day: string,
): Promise<PowerCardReconciliation> {
  const r: PowerCardReconciliation = {
    station,
    day,
    accepted: { count: 0, fen: 0 },
    confirmed: { count: 0, fen: 0, units: 0 },
    reversed: { count: 0, fen: 0 },
    accountingReversed: { count: 0, fen: 0 },
    unconfirmed: [],
    netFen: 0,
  };
  for (const [, rec] of await env.store.list<CardPurchase>(`b:${SVC}:r:`)) {
    if (rec.station !== station || rec.day !== day) continue;
    r.accepted.count++;
    r.accepted.fen += rec.amountFen;
    if (rec.status === 'confirmed') {
      r.confirmed.count++;
      r.confirmed.fen += rec.amountFen;
      r.confirmed.units += rec.units;
    } else if (rec.status === 'reversed') {
      r.reversed.count++;
      r.reversed.fen += rec.amountFen;
    } else if (rec.status === 'acct-reversed') {
      r.accountingReversed.count++;
      r.accountingReversed.fen += rec.amountFen;
    } else r.unconfirmed.push({ ref: rec.ref, serial: rec.serial, status: rec.status });
    if (rec.status !== 'reversed' && rec.status !== 'acct-reversed') r.netFen += rec.amountFen;
  }
  return r;
}
