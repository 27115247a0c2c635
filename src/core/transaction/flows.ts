import { Money } from '../money.ts';
import type { ActionDefinition, EffectState, StateDefinition, TxnRecord } from './types.ts';

/**
 * The standard payment flow most billers share, as data. The hold is taken when the transaction is
 * created (see the engine), so the flow starts by paying:
 *
 *   paying ──ok──────────────▶ succeeded (capture)
 *     │ declined ───────────▶ failed (release)
 *     └ pending/unknown ────▶ querying ──ok──▶ succeeded / declined ──▶ failed; else ask again
 *
 * and, when `reversal` is given, the two-phase reversal (撤销申请 then 撤销查询):
 *
 *   succeeded ──reverse──▶ reversing ──ok/pending/unknown──▶ reverse-querying
 *                              └ declined ──▶ succeeded (reversal refused, reason kept)
 *   reverse-querying ──ok──▶ reversed (credit back) / declined ──▶ succeeded; else ask again
 */
export interface PaymentFlowOptions {
  /** Poll interval for status queries, ms (attempt → delay). */
  queryDelayMs: (attempt: number) => number;
  /** Raise an alert when a status stays unknown this long (mobile top-up: 30 minutes). */
  unknownAlertMs?: number;
  /** Adds the reversal path; the guard holds the service's reversal rules. */
  reversal?: {
    guard: NonNullable<ActionDefinition['guard']>;
    queryDelayMs: (attempt: number) => number;
    role?: 'teller' | 'supervisor';
  };
  /** Extra payload for the pay request beyond the fields. */
  payPayload?: (txn: TxnRecord) => Record<string, unknown>;
}

export const PAY_OPS = {
  pay: 'pay',
  status: 'status',
  reverse: 'reverse',
  reverseStatus: 'reverse-status',
} as const;

export function paymentFlow(opts: PaymentFlowOptions): {
  initial: string;
  states: Record<string, StateDefinition>;
  actions: Record<string, ActionDefinition>;
} {
  const base = (txn: TxnRecord) => ({ fields: txn.fields, amount: Money.fromFen(txn.amountFen).toString() });
  const querying: EffectState = {
    type: 'effect',
    effect: (txn) => ({ type: 'hq', op: PAY_OPS.status, payload: { ref: txn.data.billerRef ?? null } }),
    retry: 'safe',
    on: { ok: 'succeeded', declined: 'failed' },
    delayMs: opts.queryDelayMs,
    ...(opts.unknownAlertMs ? { alert: { name: 'status-unknown', afterMs: opts.unknownAlertMs } } : {}),
  };
  const states: Record<string, StateDefinition> = {
    paying: {
      type: 'effect',
      effect: (txn) => ({
        type: 'hq',
        op: PAY_OPS.pay,
        payload: { ...base(txn), ...(opts.payPayload?.(txn) ?? {}) },
      }),
      retry: 'safe',
      on: { ok: 'succeeded', declined: 'failed', pending: 'querying', unknown: 'querying' },
    },
    querying,
    succeeded: { type: 'terminal', result: 'succeeded', ledger: 'capture' },
    failed: { type: 'terminal', result: 'failed', ledger: 'release' },
  };
  const actions: Record<string, ActionDefinition> = {};
  if (opts.reversal) {
    states.reversing = {
      type: 'effect',
      effect: (txn) => ({
        type: 'hq',
        op: PAY_OPS.reverse,
        payload: { ...base(txn), ref: txn.data.billerRef ?? null },
      }),
      retry: 'safe',
      on: {
        ok: 'reverse-querying',
        pending: 'reverse-querying',
        unknown: 'reverse-querying',
        declined: 'reverse-refused',
      },
    };
    states['reverse-querying'] = {
      type: 'effect',
      effect: (txn) => ({
        type: 'hq',
        op: PAY_OPS.reverseStatus,
        payload: { ref: txn.data.billerRef ?? null },
      }),
      retry: 'safe',
      on: { ok: 'reversed', declined: 'reverse-refused' },
      delayMs: opts.reversal.queryDelayMs,
    };
    // Back to a successful transaction: the money stays with the biller; no ledger change.
    states['reverse-refused'] = { type: 'terminal', result: 'succeeded' };
    states.reversed = { type: 'terminal', result: 'reversed', ledger: 'reversal-credit' };
    actions.reverse = {
      from: ['succeeded', 'reverse-refused'],
      to: 'reversing',
      guard: opts.reversal.guard,
      ...(opts.reversal.role ? { role: opts.reversal.role } : {}),
    };
  }
  return { initial: 'paying', states, actions };
}
