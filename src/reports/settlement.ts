import type { TxnRecord } from '../core/transaction/types.ts';
import { rowInScope, type TallyRow, tallyRows } from './day-tally.ts';
import { type FenTally, type MoneyTally, minus, plus, toMoney, zeroTally } from './fen-tally.ts';
import type { ServiceLookup } from './mask-txn.ts';
import { type Tender, tenderOf } from './tender.ts';
import { yuan } from './txn-view.ts';

/** Whose transactions a report covers: one teller's own (柜员), or the whole station (网点). */
export type ReportScope = { kind: 'teller'; operator: string } | { kind: 'station' };

export interface SettlementQuery {
  /** Business date (账务日期) yyyymmdd. */
  businessDate: string;
  /** For a historical range: the last business date included (default: `businessDate` alone). */
  lastDate?: string | undefined;
  scope: ReportScope;
  /** When the settlement was made, epoch ms. */
  at: number;
}

/** One business type of a settlement, fen while summing. */
interface FenRow {
  payments: FenTally;
  reversals: FenTally;
  cash: FenTally;
  qr: FenTally;
  open: FenTally;
}

export interface SettlementRow {
  service: string;
  serviceName: { zh: string; en: string };
  /** Paid transactions (the prepaid balance was charged), whatever happened to them later. */
  payments: MoneyTally;
  /** Paid transactions that were reversed (撤销) since. */
  reversals: MoneyTally;
  /** payments − reversals. */
  net: MoneyTally;
  /** Net of the cash-tendered transactions: what the drawer holds for this business type. */
  cash: MoneyTally;
  /** Net of the QR-tendered transactions: never in the drawer. */
  qr: MoneyTally;
  /** Not final yet and not charged: held on the balance, neither in the net nor in the drawer. */
  open: MoneyTally;
}

export interface Settlement {
  kind: 'teller' | 'station';
  /** The teller of a teller settlement; null for the station. */
  operator: string | null;
  businessDate: string;
  at: number;
  rows: SettlementRow[];
  totals: Omit<SettlementRow, 'service' | 'serviceName'>;
  /** Cash the drawer should hold (现金应有): amount + fee of the cash net. */
  cashDue: string;
  /** QR-tendered net (amount + fee), shown apart from the cash. */
  qrNet: string;
  /** Net charge to the prepaid balance: the ledger's captures less its reversal credits for these transactions. */
  prepaidNet: string;
}

/**
 * True once the prepaid balance was charged for the transaction: it succeeded or was reversed, or
 * an action (a reversal under way) reopened it after it succeeded; actions are only allowed on a
 * final, charged transaction.
 */
export function isCharged(t: TxnRecord): boolean {
  if (t.terminal) return t.result === 'succeeded' || t.result === 'reversed';
  return t.generation > 0;
}

/** Whether the record falls in the scope: the teller's own, or any for the station. */
export function inScope(t: TxnRecord, scope: ReportScope): boolean {
  return scope.kind === 'station' || (t.channel === 'operator' && t.operator === scope.operator);
}

/**
 * Transactions paid from the prepaid balance (the customers' money). A service that brings money
 * in to the balance (funding `none`: the station's own top-up from its bound card) is not a sale.
 */
export function isSale(t: Pick<TxnRecord, 'service'>, services: ServiceLookup): boolean {
  return (services(t.service)?.funding ?? 'hold') === 'hold';
}

/**
 * Teller settlement (柜员扎账) or station settlement (网点扎账) of one business date as of `at`, by
 * business type. Pure: `txns` may hold any records; those outside the date or scope are ignored.
 * Sums are in integer fen; the by-type rows add up to the totals exactly.
 */
export function settle(txns: Iterable<TxnRecord>, q: SettlementQuery, services: ServiceLookup): Settlement {
  const last = q.lastDate ?? q.businessDate;
  const picked: Array<{ txn: TxnRecord; tender: Tender }> = [];
  for (const t of txns) {
    if (t.businessDate < q.businessDate || t.businessDate > last || !inScope(t, q.scope)) continue;
    picked.push({ txn: t, tender: tenderOf(t) });
  }
  return settleRows(tallyRows(picked), q, services);
}

/**
 * The same settlement from tally rows of the dates it covers (counted from snapshots or kept per
 * date); rows outside the scope and services that are not sales are left out.
 */
export function settleRows(
  tally: readonly TallyRow[],
  q: SettlementQuery,
  services: ServiceLookup,
): Settlement {
  const rows = new Map<string, FenRow>();
  const last = q.lastDate ?? q.businessDate;
  for (const t of tally) {
    if (!rowInScope(t, q.scope) || !isSale(t, services)) continue;
    let r = rows.get(t.service);
    if (!r) {
      r = {
        payments: zeroTally(),
        reversals: zeroTally(),
        cash: zeroTally(),
        qr: zeroTally(),
        open: zeroTally(),
      };
      rows.set(t.service, r);
    }
    r.payments = plus(r.payments, t.payments);
    r.reversals = plus(r.reversals, t.reversals);
    r.open = plus(r.open, t.open);
    // A reversed transaction's money went back to the customer: it leaves the drawer's net.
    r[t.tender] = plus(r[t.tender], minus(t.payments, t.reversals));
  }
  const ids = [...rows.keys()].sort();
  const total: FenRow = {
    payments: zeroTally(),
    reversals: zeroTally(),
    cash: zeroTally(),
    qr: zeroTally(),
    open: zeroTally(),
  };
  for (const id of ids) {
    const r = rows.get(id)!;
    for (const k of Object.keys(total) as Array<keyof FenRow>) total[k] = plus(total[k], r[k]);
  }
  const totals = moneyRow(total);
  return {
    kind: q.scope.kind,
    operator: q.scope.kind === 'teller' ? q.scope.operator : null,
    businessDate: last === q.businessDate ? q.businessDate : `${q.businessDate}-${last}`,
    at: q.at,
    rows: ids.map((id) => ({
      service: id,
      serviceName: services(id)?.title ?? { zh: id, en: id },
      ...moneyRow(rows.get(id)!),
    })),
    totals,
    cashDue: totals.cash.total,
    qrNet: totals.qr.total,
    prepaidNet: yuan(total.payments.amountFen - total.reversals.amountFen),
  };
}

function moneyRow(r: FenRow): Omit<SettlementRow, 'service' | 'serviceName'> {
  return {
    payments: toMoney(r.payments),
    reversals: toMoney(r.reversals),
    net: toMoney(minus(r.payments, r.reversals)),
    cash: toMoney(r.cash),
    qr: toMoney(r.qr),
    open: toMoney(r.open),
  };
}
