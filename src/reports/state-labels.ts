import { toLocal } from '../core/business-day.ts';
import type { RuleContext, ServiceDefinition, StateLabel, TxnRecord } from '../core/transaction/types.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * Names of the states the shared flows use (src/core/transaction/flows.ts). A service names its own
 * states in its definition (`stateLabels`), so one service's meaning never shows on another's.
 */
const SHARED_LABELS: Readonly<Record<string, Bilingual>> = {
  paying: { zh: '缴费处理中', en: 'paying' },
  querying: { zh: '等待结果（自动查询）', en: 'awaiting the result (asking automatically)' },
  succeeded: { zh: '成功', en: 'succeeded' },
  failed: { zh: '失败', en: 'failed' },
  'reverse-checking': { zh: '撤销前检查', en: 'checking before the reversal' },
  reversing: { zh: '撤销申请中', en: 'reversal being requested' },
  'reverse-querying': {
    zh: '等待撤销结果（自动查询）',
    en: 'awaiting the reversal result (asking automatically)',
  },
  'reverse-refused': { zh: '撤销被拒，交易有效', en: 'reversal refused; the payment stands' },
  reversed: { zh: '已撤销', en: 'reversed' },
};

const ALERT_LABELS: Readonly<Record<string, Bilingual>> = {
  'status-unknown': {
    zh: '结果长时间未知，已通知管理员和总部',
    en: 'result unknown for too long; administrator and HQ alerted',
  },
  'unresolved-after-day-cut': {
    zh: '日切后仍未确认，列为差错并已上报',
    en: 'still unresolved after the day cut; listed as an error and reported',
  },
  'submit-error': {
    zh: '提交即报错（业务系统故障），请立即通知管理人员',
    en: 'the submit answered with an error (the biller system is failing); tell the administrator now',
  },
  'retries-exhausted': {
    zh: '自动重试已达上限，交易保留待处理（重启或人工处理后继续）',
    en: 'automatic retries exhausted; the transaction is kept open for the operator (resumes at next start)',
  },
};

const ACTION_UNKNOWN: Bilingual = {
  zh: '撤销等操作结果长时间未知，已通知管理员和总部',
  en: 'the outcome of an action (e.g. a reversal) unknown for too long; administrator and HQ alerted',
};

/**
 * A state's name for people: the service's own (`def.stateLabels`), else the shared flows', else the
 * state's key. Only the service's own label carries what the customer's screen says (`customer`).
 */
export function stateLabel(state: string, def: ServiceDefinition | undefined): StateLabel {
  const own = def?.stateLabels?.[state];
  if (own)
    return own.customer
      ? { zh: own.zh, en: own.en, customer: { ...own.customer } }
      : { zh: own.zh, en: own.en };
  return SHARED_LABELS[state] ?? { zh: state, en: state };
}

/** Whether a state has a name for people (its service's or the shared flows'). */
export function hasStateLabel(state: string, def: ServiceDefinition): boolean {
  return def.stateLabels?.[state] !== undefined || SHARED_LABELS[state] !== undefined;
}

export function alertLabel(name: string): Bilingual {
  if (name.startsWith('action-unknown-')) return ACTION_UNKNOWN;
  return ALERT_LABELS[name] ?? { zh: `告警：${name}`, en: `alert: ${name}` };
}

/**
 * What the kiosk is doing about a transaction:
 * - `final`: nothing more to do;
 * - `sending`: a request is out and its answer awaited;
 * - `waiting`: the kiosk asks again by itself on a schedule (status or reversal queries);
 * - `working`: the next step runs at once or after a short retry back-off.
 */
export type StatusPhase = 'final' | 'sending' | 'waiting' | 'working';

export interface TxnStatus extends Bilingual {
  phase: StatusPhase;
  /** Epoch ms of the next automatic attempt, when the state polls on a schedule. */
  nextAttemptAt?: number;
  /** Attempts of the current step so far. */
  attempts: number;
  alerts: Array<Bilingual & { name: string }>;
}

/** Describes a transaction's state for people. Pure. */
/**
 * What the kiosk is doing about a transaction. With `ctx` (clock and config) the time of the next
 * automatic query is given too.
 */
export function describeStatus(
  txn: TxnRecord,
  def: ServiceDefinition | undefined,
  ctx?: RuleContext,
): TxnStatus {
  const label = stateLabel(txn.state, def);
  const alerts = txn.alerts.map((name) => ({ name, ...alertLabel(name) }));
  const base = { attempts: txn.attempts, alerts };
  if (txn.terminal) return { phase: 'final', zh: label.zh, en: label.en, ...base };
  if (txn.inFlight) {
    return {
      phase: 'sending',
      zh: `${label.zh}：请求已发出，等待应答`,
      en: `${label.en}: request sent, awaiting the answer`,
      ...base,
    };
  }
  const state = def?.states[txn.state];
  if (state?.type === 'effect' && state.delayMs && ctx) {
    const next = txn.updatedAt + state.delayMs(txn.attempts + 1, ctx);
    const at = toLocal(next).hhmmss;
    const clock = `${at.slice(0, 2)}:${at.slice(2, 4)}:${at.slice(4, 6)}`;
    return {
      phase: 'waiting',
      zh: `${label.zh}：已查询 ${txn.attempts} 次，约 ${clock} 再次查询`,
      en: `${label.en}: asked ${txn.attempts} time(s), next at about ${clock}`,
      nextAttemptAt: next,
      ...base,
    };
  }
  return { phase: 'working', zh: `${label.zh}：处理中`, en: `${label.en}: in progress`, ...base };
}
