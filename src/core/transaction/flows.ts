import { addDays, businessDayStart } from '../business-day.ts';
import { Money } from '../money.ts';
import type {
  ActionDefinition,
  AlertRule,
  EffectResult,
  EffectState,
  RuleContext,
  StateDefinition,
  TxnRecord,
} from './types.ts';

/**
 * The standard payment flow most billers share, as data. The hold is taken when the transaction is
 * created (see the engine), so the flow starts by paying:
 *
 *   paying ──ok──────────────▶ succeeded (capture)
 *     │ declined ───────────▶ failed (release)
 *     └ pending/unknown ────▶ querying ──ok──▶ succeeded / declined ──▶ failed; else ask again
 *
 * and, when `reversal` is given, the two-phase reversal (撤销申请 then 撤销查询), optionally after
 * a pre-check question to HQ (e.g. the number's arrears):
 *
 *   succeeded ──reverse──▶ [reverse-checking ──ok──▶] reversing ──ok/pending/unknown──▶ reverse-querying
 *                                 └ declined ──▶ reverse-refused     └ declined ──▶ reverse-refused
 *   reverse-querying ──ok──▶ reversed (credit back) / declined ──▶ reverse-refused; else ask again
 *
 * `reverse-refused` is a successful payment whose reversal was refused (the reason is kept); the
 * operator may ask again while the rules allow.
 */
export interface PaymentFlowOptions {
  /** Poll interval for status queries, ms (attempt → delay). */
  queryDelayMs: (attempt: number, ctx: RuleContext) => number;
  /** Raise an alert when a status stays unknown this long (mobile top-up: 30 minutes). */
  unknownAlertMs?: number;
  /** An alert raised at once when the payment request's answer means people must act now. */
  submitAlert?: EffectState['alertOn'];
  /** Adds the reversal path; the guard holds the service's reversal rules. */
  reversal?: {
    guard: NonNullable<ActionDefinition['guard']>;
    queryDelayMs: (attempt: number, ctx: RuleContext) => number;
    role?: 'teller' | 'supervisor';
    /** The rules checked again when the reversal request is actually sent (retries, restarts). */
    beforeSend?: EffectState['beforeSend'];
    /** Fields the operator enters again to confirm which transaction is reversed. */
    confirmFields?: readonly string[];
    /** A question to HQ before the reversal request, and how its answer allows or refuses it. */
    precheck?: {
      op: string;
      interpret: (txn: TxnRecord, answer: EffectResult, ctx: RuleContext) => EffectResult;
    };
  };
  /** Extra payload for the pay request beyond the fields. */
  payPayload?: (txn: TxnRecord) => Record<string, unknown>;
}

export const PAY_OPS = {
  query: 'query',
  pay: 'pay',
  status: 'status',
  reverse: 'reverse',
  reverseStatus: 'reverse-status',
} as const;

/**
 * When the transaction started waiting for the outcome it is after: its creation for the payment,
 * the latest action (e.g. a reversal) once one was taken. Moving between states does not change it,
 * so an alert measured from it is not postponed by a status query that bounces between states.
 */
export function waitingSince(txn: TxnRecord): number {
  return txn.actedAt ?? txn.createdAt;
}

/** Name of the "outcome unknown for too long" alert: one per payment and one per later action. */
export function unknownAlertName(txn: TxnRecord): string {
  return txn.generation === 0 ? 'status-unknown' : `action-unknown-${txn.generation}`;
}

/**
 * Alerts every open transaction gets in every waiting state, whatever its service: its outcome still
 * unknown `engine.unknownAlertMs` after it started waiting, and still unresolved when its business
 * date has ended (it becomes an error of the day for the operator and HQ).
 */
export function waitingAlerts(txn: TxnRecord): AlertRule[] {
  return [
    {
      name: unknownAlertName(txn),
      due: (t, ctx) => waitingSince(t) + ctx.config.engine.unknownAlertMs,
    },
    {
      name: 'unresolved-after-day-cut',
      due: (t, ctx) => businessDayStart(addDays(t.businessDate, 1), ctx.config.business.dayCut),
    },
  ];
}

/**
 * Extra alerts of a transaction waiting for its outcome, beyond the engine's `waitingAlerts`: a
 * service whose source rule names a shorter time (mobile top-up: 30 minutes) declares it here.
 */
export function queryAlerts(unknownAlertMs?: number): AlertRule[] {
  if (!unknownAlertMs) return [];
  return [
    {
      name: 'status-unknown',
      due: (txn) => (txn.generation === 0 ? waitingSince(txn) + unknownAlertMs : Number.POSITIVE_INFINITY),
    },
  ];
}

/** The amount and fields every payment request carries. */
export const payBase = (txn: TxnRecord) => ({
  fields: txn.fields,
  amount: Money.fromFen(txn.amountFen).toString(),
});

/**
 * `paying`: the payment request, safe to repeat (HQ answers a repeat with its first answer); ok
 * succeeds, declined fails, pending or unknown go to `querying`.
 */
export function payingState(payload: (txn: TxnRecord) => Record<string, unknown> = payBase): EffectState {
  return {
    type: 'effect',
    effect: (txn) => ({ type: 'hq', op: PAY_OPS.pay, payload: payload(txn) }),
    retry: 'safe',
    on: { ok: 'succeeded', declined: 'failed', pending: 'querying', unknown: 'querying' },
  };
}

/** `querying`: the status query (缴费查询) on its schedule, with the alerts of a waiting transaction. */
export function queryingState(
  on: EffectState['on'],
  delayMs: NonNullable<EffectState['delayMs']>,
  unknownAlertMs?: number,
): EffectState {
  return {
    type: 'effect',
    effect: (txn) => ({ type: 'hq', op: PAY_OPS.status, payload: { ref: txn.data.billerRef ?? null } }),
    retry: 'safe',
    on,
    delayMs,
    alerts: queryAlerts(unknownAlertMs),
  };
}

export function paymentFlow(opts: PaymentFlowOptions): {
  initial: string;
  states: Record<string, StateDefinition>;
  actions: Record<string, ActionDefinition>;
} {
  const base = payBase;
  const ref = (txn: TxnRecord) => ({ ref: txn.data.billerRef ?? null });
  const querying = queryingState(
    { ok: 'succeeded', declined: 'failed' },
    opts.queryDelayMs,
    opts.unknownAlertMs,
  );
  const states: Record<string, StateDefinition> = {
    paying: {
      ...payingState((txn) => ({ ...base(txn), ...(opts.payPayload?.(txn) ?? {}) })),
      ...(opts.submitAlert ? { alertOn: opts.submitAlert } : {}),
    },
    querying,
    succeeded: { type: 'terminal', result: 'succeeded', ledger: 'capture', receipt: true },
    failed: { type: 'terminal', result: 'failed', ledger: 'release' },
  };
  const actions: Record<string, ActionDefinition> = {};
  const rev = opts.reversal;
  if (rev) {
    if (rev.precheck) {
      const pre = rev.precheck;
      states['reverse-checking'] = {
        type: 'effect',
        effect: (txn) => ({ type: 'hq', op: pre.op, payload: { fields: txn.fields, purpose: 'reversal' } }),
        retry: 'safe',
        on: { ok: 'reversing', declined: 'reverse-refused' },
        interpret: pre.interpret,
      };
    }
    states.reversing = {
      type: 'effect',
      effect: (txn) => ({ type: 'hq', op: PAY_OPS.reverse, payload: { ...base(txn), ...ref(txn) } }),
      retry: 'safe',
      ...(rev.beforeSend ? { beforeSend: rev.beforeSend } : {}),
      on: {
        ok: 'reverse-querying',
        pending: 'reverse-querying',
        unknown: 'reverse-querying',
        declined: 'reverse-refused',
      },
    };
    states['reverse-querying'] = {
      type: 'effect',
      effect: (txn) => ({ type: 'hq', op: PAY_OPS.reverseStatus, payload: ref(txn) }),
      retry: 'safe',
      on: { ok: 'reversed', declined: 'reverse-refused' },
      delayMs: rev.queryDelayMs,
      alerts: queryAlerts(),
    };
    // Back to a successful payment: the money stays with the biller; no ledger change.
    states['reverse-refused'] = { type: 'terminal', result: 'succeeded' };
    states.reversed = { type: 'terminal', result: 'reversed', ledger: 'reversal-credit', receipt: true };
    actions.reverse = {
      from: ['succeeded', 'reverse-refused'],
      to: rev.precheck ? 'reverse-checking' : 'reversing',
      guard: rev.guard,
      ...(rev.role ? { role: rev.role } : {}),
      ...(rev.confirmFields ? { confirmFields: rev.confirmFields } : {}),
    };
  }
  return { initial: 'paying', states, actions };
}
