import { KioskError, KioskValidationError } from '../errors.ts';
import type { LedgerOp } from '../ledger.ts';
import type {
  ActionDefinition,
  EffectResult,
  EffectState,
  Outcome,
  RuleContext,
  ServiceDefinition,
  StateDefinition,
  TxnRecord,
} from './types.ts';
import { pickFields, validateInput } from './validate-input.ts';

/** Who asks: a customer on their own, or a logged-in operator with a role. */
export type Actor =
  | { channel: 'self' }
  | { channel: 'operator'; code: string; role: 'teller' | 'supervisor' };

export function stateOf(def: ServiceDefinition, name: string): StateDefinition {
  const s = def.states[name];
  if (!s) throw new Error(`service ${def.id} has no state ${name}`);
  return s;
}

/**
 * The snapshot after moving `txn` to `to`. A move to the same state is a retry: attempts and
 * `stateSince` carry on. Pure.
 */
export function moveTo(
  def: ServiceDefinition,
  txn: TxnRecord,
  to: string,
  now: number,
  result?: EffectResult,
): TxnRecord {
  const target = stateOf(def, to);
  const same = to === txn.state;
  const next: TxnRecord = {
    ...txn,
    state: to,
    updatedAt: now,
    stateSince: same ? txn.stateSince : now,
    attempts: same ? txn.attempts : 0,
    terminal: target.type === 'terminal',
    result: target.type === 'terminal' ? target.result : undefined,
    data: result?.data ? { ...txn.data, ...result.data } : txn.data,
    inFlight: undefined,
  };
  if (result?.reason) next.reason = result.reason;
  else if (result?.outcome === 'ok') next.reason = undefined;
  return next;
}

/** Where an outcome leads from an effect state; `undefined` means stay and try again. */
export function nextFor(state: EffectState, outcome: Outcome): string | undefined {
  return state.on[outcome];
}

/** The ledger operation applied on entering `to`, if its state declares one. */
export function ledgerOpOnEntry(def: ServiceDefinition, txn: TxnRecord, to: string): LedgerOp | undefined {
  const target = stateOf(def, to);
  switch (target.ledger) {
    case 'capture':
      return { kind: 'capture', serial: txn.serial };
    case 'release':
      return { kind: 'release', serial: txn.serial };
    case 'reversal-credit':
      return { kind: 'reversal-credit', serial: txn.serial, fen: txn.amountFen };
    default:
      return undefined;
  }
}

/**
 * Delay before the n-th attempt of an effect (n from 1). A state's own schedule wins; otherwise the
 * first attempt runs at once and retries back off exponentially (base·2^(n−2), capped).
 */
export function delayBefore(state: EffectState, attempt: number, ctx: RuleContext): number {
  const { engine } = ctx.config;
  if (state.delayMs) return state.delayMs(attempt, ctx);
  if (attempt <= 1) return 0;
  return Math.min(engine.retryBaseDelayMs * 2 ** (attempt - 2), engine.retryMaxDelayMs);
}

/** Checks that `actor` may run `name` on `txn` now; returns the action or throws a KioskError. */
export function checkAction(
  def: ServiceDefinition,
  txn: TxnRecord,
  name: string,
  actor: Actor,
  guardCtx: Parameters<NonNullable<ActionDefinition['guard']>>[1],
): ActionDefinition {
  const action = def.actions?.[name];
  if (!action) {
    throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
      field: 'action',
      zh: `${def.title.zh}不支持“${name}”操作`,
      en: `${def.title.en} does not support "${name}"`,
    });
  }
  if (actor.channel !== 'operator') {
    throw new KioskError('KIOSK_E_FORBIDDEN', {
      zh: '自助模式不能执行该操作，请联系柜员',
      en: 'self-service cannot do this; ask the operator',
    });
  }
  if (action.role === 'supervisor' && actor.role !== 'supervisor') {
    throw new KioskError('KIOSK_E_FORBIDDEN', {
      zh: '需要综合柜员权限',
      en: 'needs a supervisor (综合柜员)',
    });
  }
  if (!action.from.includes(txn.state)) {
    throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
      field: 'serial',
      zh: `流水 ${txn.serial} 当前状态为 ${txn.state}，不能${name}`,
      en: `transaction ${txn.serial} is ${txn.state}; cannot ${name}`,
    });
  }
  const refusal = action.guard?.(txn, guardCtx);
  if (refusal) throw refusal;
  return action;
}

/**
 * Checks the fields an action asks to be entered again (e.g. number and amount for a reversal)
 * against the transaction: each must be present and equal after the service's own normalisation.
 */
export function confirmActionFields(
  def: ServiceDefinition,
  txn: TxnRecord,
  action: ActionDefinition,
  input: Record<string, unknown>,
): void {
  const names = action.confirmFields ?? [];
  if (names.length === 0) return;
  const given = validateInput(pickFields(def.fields, names), def.fieldMeta, pickKeys(input, names));
  const wrong = names.filter((n) => given[n] !== txn.fields[n]);
  if (wrong.length > 0) {
    throw new KioskValidationError(
      'KIOSK_E_INVALID_INPUT',
      wrong.map((n) => {
        const label = def.fieldMeta[n] ?? { zh: n, en: n };
        return new KioskError('KIOSK_E_INVALID_INPUT', {
          field: n,
          zh: `${label.zh}与原交易不符`,
          en: `${label.en} does not match the original transaction`,
        });
      }),
    );
  }
}

function pickKeys(input: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => n in input).map((n) => [n, input[n]]));
}
