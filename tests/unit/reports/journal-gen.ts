import fc from 'fast-check';
import { businessDate, localInstant } from '../../../src/core/business-day.ts';
import {
  applyLedgerOp,
  type BalanceState,
  EMPTY_BALANCE,
  type LedgerEntry,
  type LedgerOp,
} from '../../../src/core/ledger.ts';
import type { TxnRecord, TxnResult } from '../../../src/core/transaction/types.ts';

/** What a generated sale is: its service, teller, outcome, tender and money, and when it happened. */
export interface GenSale {
  service: 'mobile-topup' | 'water-bill' | 'gas-bill';
  operator: 'A001' | 'A002' | null;
  outcome: TxnResult | 'open' | 'reversing';
  tender: 'cash' | 'qr' | undefined;
  amountFen: number;
  feeFen: number;
  /** Minutes after the local midnight starting the generated period. */
  minute: number;
}

export const DAY_CUT = '21:00';
export const FIRST_DAY = '20261101';

export const saleArb: fc.Arbitrary<GenSale> = fc.record({
  service: fc.constantFrom('mobile-topup', 'water-bill', 'gas-bill'),
  operator: fc.constantFrom('A001', 'A002', null),
  outcome: fc.constantFrom('succeeded', 'failed', 'reversed', 'open', 'reversing'),
  tender: fc.constantFrom('cash', 'qr', undefined),
  amountFen: fc.integer({ min: 1, max: 500_00 }),
  feeFen: fc.integer({ min: 0, max: 300 }),
  // Three local days, so business dates and the day cut are crossed.
  minute: fc.integer({ min: 0, max: 3 * 24 * 60 - 1 }),
});

export interface GenJournal {
  txns: TxnRecord[];
  ledger: LedgerEntry[];
  /** Expected by construction: per business date and teller (null = self-service), per tender. */
  expected: Array<{
    date: string;
    operator: string | null;
    tender: 'cash' | 'qr';
    netFen: number;
    netAmountFen: number;
  }>;
}

/**
 * A journal built the way the engine builds one: a top-up, then per sale a hold, then a capture
 * (succeeded, reversed, reversing), a release (failed) or nothing (open), and a reversal credit for
 * reversed ones; serials and times in order.
 */
export function buildJournal(sales: readonly GenSale[], topupFen = 10_000_000_00): GenJournal {
  const start = localInstant(FIRST_DAY, '00:00');
  const sorted = [...sales].sort((a, b) => a.minute - b.minute);
  let state: BalanceState = EMPTY_BALANCE;
  const ledger: LedgerEntry[] = [];
  const post = (op: LedgerOp, at: number) => {
    const r = applyLedgerOp(state, op);
    state = r.state;
    ledger.push({
      seq: ledger.length + 1,
      at,
      ...r.entry,
      balanceAfterFen: state.balanceFen,
      heldAfterFen: state.heldFen,
    });
  };
  post({ kind: 'topup', fen: topupFen, ref: 'slip-0' }, start - 1000);
  const txns: TxnRecord[] = [];
  const expected: GenJournal['expected'] = [];
  sorted.forEach((s, i) => {
    const at = start + s.minute * 60_000 + i;
    const serial = String(i + 1).padStart(10, '0');
    post({ kind: 'hold', serial, fen: s.amountFen }, at);
    const charged = s.outcome === 'succeeded' || s.outcome === 'reversed' || s.outcome === 'reversing';
    if (charged) post({ kind: 'capture', serial }, at);
    if (s.outcome === 'failed') post({ kind: 'release', serial }, at);
    if (s.outcome === 'reversed') post({ kind: 'reversal-credit', serial, fen: s.amountFen }, at);
    const terminal = s.outcome === 'succeeded' || s.outcome === 'failed' || s.outcome === 'reversed';
    const date = businessDate(at, DAY_CUT);
    txns.push({
      v: 1,
      serial,
      idempotencyKey: `k${serial}`,
      stationId: '33010001',
      service: s.service,
      channel: s.operator ? 'operator' : 'self',
      operator: s.operator,
      businessDate: date,
      createdAt: at,
      updatedAt: at,
      state: s.outcome,
      stateSince: at,
      terminal,
      result: terminal ? (s.outcome as TxnResult) : undefined,
      fields: { amount: String(s.amountFen / 100) },
      amountFen: s.amountFen,
      feeFen: s.feeFen,
      data: {},
      attempts: 0,
      generation: s.outcome === 'reversing' ? 1 : 0,
      alerts: [],
      ...(s.tender ? { tender: s.tender } : {}),
    } as TxnRecord);
    if (s.outcome === 'succeeded' || s.outcome === 'reversing')
      expected.push({
        date,
        operator: s.operator,
        tender: s.tender ?? 'cash',
        netFen: s.amountFen + s.feeFen,
        netAmountFen: s.amountFen,
      });
  });
  return { txns, ledger, expected };
}
