import { yuan } from './txn-view.ts';

/** Count and money of a group of transactions in integer fen, while a report is being summed. */
export interface FenTally {
  count: number;
  amountFen: number;
  feeFen: number;
}

/** The same as people and clients read it: yuan strings with 2 decimals; total = amount + fee. */
export interface MoneyTally {
  count: number;
  amount: string;
  fee: string;
  total: string;
}

export const zeroTally = (): FenTally => ({ count: 0, amountFen: 0, feeFen: 0 });

export function addTo(t: FenTally, amountFen: number, feeFen: number, count = 1): void {
  t.count += count;
  t.amountFen += amountFen;
  t.feeFen += feeFen;
}

export function plus(a: FenTally, b: FenTally): FenTally {
  return { count: a.count + b.count, amountFen: a.amountFen + b.amountFen, feeFen: a.feeFen + b.feeFen };
}

export function minus(a: FenTally, b: FenTally): FenTally {
  return { count: a.count - b.count, amountFen: a.amountFen - b.amountFen, feeFen: a.feeFen - b.feeFen };
}

export function toMoney(t: FenTally): MoneyTally {
  return {
    count: t.count,
    amount: yuan(t.amountFen),
    fee: yuan(t.feeFen),
    total: yuan(t.amountFen + t.feeFen),
  };
}
