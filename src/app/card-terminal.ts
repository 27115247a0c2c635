import { randomUUID } from 'node:crypto';
import type { KioskConfig } from '../config/schema.ts';
import { businessDate } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import { Money } from '../core/money.ts';
import {
  CREDIT_CARD_SERVICE,
  historyRangeProblems,
  repaymentHistoryAnswer,
  terminalRefusal,
} from '../core/services/credit-card.ts';
import { parseHqAnswer } from '../core/transaction/hq-answer.ts';
import type { Actor } from '../core/transaction/machine.ts';
import type { EffectResult, StationFacts } from '../core/transaction/types.ts';
import type { HqPort } from '../engine/ports.ts';
import { withTimeout } from '../engine/run-effect.ts';
import { HQ_KEYS, type TerminalBinding } from '../hq-link/kiosk-state.ts';
import type { Journal } from '../journal/journal.ts';
import { configKey } from '../journal/keys.ts';
import type { Logger } from '../platform/logger.ts';

/** Where the last successful daily sign-in (签到) of the repayment terminal is kept. */
export const SIGN_IN_KEY = configKey('card-terminal:sign-in');

export interface SignInRecord {
  /** Business date (yyyymmdd) the sign-in is for. */
  date: string;
  terminalNo: string;
  at: number;
  operator: string | null;
}

export interface RepaymentHistoryItem {
  serial: string;
  date: string;
  amount: string;
  status: string;
  ref: string;
}

/**
 * The credit-card repayment terminal of this station: HQ's binding (a signed `terminal` command,
 * kept in the journal) and the daily sign-in. Its facts gate the repayment service; sign-in and the
 * history go to HQ. The sign-in is recorded in the journal with an event once HQ accepted it.
 */
export class CardTerminal {
  private binding: TerminalBinding | undefined;
  private signedIn: SignInRecord | undefined;

  constructor(
    private readonly journal: Journal,
    private readonly hq: HqPort,
    private readonly clock: Clock,
    private readonly config: () => KioskConfig,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    this.binding = await this.journal.getJson<TerminalBinding>(HQ_KEYS.terminal);
    this.signedIn = await this.journal.getJson<SignInRecord>(SIGN_IN_KEY);
  }

  /** HQ changed the binding (already stored by the command handler). */
  bindingChanged(binding: TerminalBinding | undefined): void {
    this.binding = binding;
  }

  facts(): StationFacts {
    const b = this.binding;
    return {
      terminal: b ? { terminalNo: b.terminalNo, status: b.status, reason: b.reason } : null,
      signIn: this.signedIn ? { date: this.signedIn.date, terminalNo: this.signedIn.terminalNo } : null,
    };
  }

  private today(): string {
    return businessDate(this.clock.now(), this.config().business.dayCut);
  }

  /** Terminal, business date and whether it is signed in for it. */
  status(): {
    terminalNo: string | null;
    status: 'enabled' | 'disabled' | 'unbound';
    reason: string | null;
    date: string;
    signedIn: boolean;
    signedInAt: number | null;
  } {
    const date = this.today();
    const b = this.binding;
    const signed = this.signedIn?.date === date && this.signedIn.terminalNo === b?.terminalNo;
    return {
      terminalNo: b?.terminalNo ?? null,
      status: b?.terminalNo ? b.status : 'unbound',
      reason: b?.reason ?? null,
      date,
      signedIn: signed,
      signedInAt: signed ? (this.signedIn?.at ?? null) : null,
    };
  }

  /** Signs the terminal in for the current business date; a second sign-in the same date is a no-op. */
  async signIn(actor: Actor): Promise<ReturnType<CardTerminal['status']> & { already: boolean }> {
    operatorOnly(actor);
    const refusal = terminalRefusal(this.facts());
    if (refusal) throw refusal;
    const terminalNo = this.binding!.terminalNo!;
    const date = this.today();
    if (this.status().signedIn) return { ...this.status(), already: true };
    const answer = await this.ask('sign-in', { terminalNo, fields: { terminalNo } });
    if (answer.outcome !== 'ok') throw refusedBy(answer, 'terminalNo', '签到');
    const rec: SignInRecord = {
      date,
      terminalNo,
      at: this.clock.now(),
      operator: actor.channel === 'operator' ? actor.code : null,
    };
    await this.journal.commit((b) => {
      b.put(SIGN_IN_KEY, rec);
      b.event({
        type: 'config',
        info: { source: 'kiosk', command: 'card-sign-in', terminalNo, date, operator: rec.operator },
      });
    });
    this.signedIn = rec;
    this.logger.info({ terminalNo, date }, 'card terminal signed in');
    return { ...this.status(), already: false };
  }

  /** Repayments of this station between two business dates (end after start), from HQ. */
  async history(actor: Actor, from: unknown, to: unknown): Promise<RepaymentHistoryItem[]> {
    operatorOnly(actor);
    const problems = historyRangeProblems(from, to);
    if (problems.length > 0) throw new KioskValidationError('KIOSK_E_INVALID_INPUT', problems);
    const refusal = terminalRefusal(this.facts());
    if (refusal) throw refusal;
    const answer = await this.ask('history', { from: String(from).trim(), to: String(to).trim() });
    if (answer.outcome !== 'ok') throw refusedBy(answer, 'to', '还款查询');
    // HQ's answer is parsed like an inquiry's: malformed is HQ's protocol error naming answer.<path>.
    const parsed = parseHqAnswer(repaymentHistoryAnswer, answer.data ?? {});
    if (!parsed.ok) {
      this.logger.warn(
        { service: CREDIT_CARD_SERVICE, op: 'history', problems: parsed.problems.map((p) => p.field) },
        'HQ answered a question malformed: refused',
      );
      throw new KioskValidationError('KIOSK_E_HQ_PROTOCOL', parsed.problems);
    }
    return parsed.answer.items.map((i) => ({
      serial: i.serial,
      date: i.day,
      amount: Money.fromFen(i.amountFen).toString(),
      status: i.status,
      ref: i.ref,
    }));
  }

  private ask(op: string, payload: Record<string, unknown>): Promise<EffectResult> {
    const ac = new AbortController();
    return withTimeout(
      (signal) =>
        this.hq.request(
          {
            op,
            service: CREDIT_CARD_SERVICE,
            serial: '',
            stationId: this.journal.stationId,
            // A fresh key per attempt: both are harmless to repeat, and a refusal is not remembered.
            idempotencyKey: `${randomUUID()}:${op}:0`,
            payload,
          },
          signal,
        ),
      this.config().engine.requestTimeoutMs,
      ac,
    );
  }
}

function operatorOnly(actor: Actor): void {
  if (actor.channel !== 'operator')
    throw new KioskError('KIOSK_E_FORBIDDEN', {
      zh: '签到与还款查询由柜员办理',
      en: 'sign-in and the repayment history are for operators',
    });
}

function refusedBy(answer: EffectResult, field: string, what: string): KioskError {
  if (answer.outcome === 'declined')
    return new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', {
      field,
      zh: `${what}被拒绝：${answer.reason?.zh ?? '总部拒绝'}`,
      en: `refused by HQ: ${answer.reason?.en ?? 'refused'}`,
      details: { reason: answer.reason?.code },
    });
  return new KioskError('KIOSK_E_TIMEOUT', {
    field,
    zh: `${what}未获应答，请稍后重试`,
    en: 'HQ did not answer; try again',
  });
}
