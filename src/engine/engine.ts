import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { KioskConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import { refuseAbove } from '../core/ledger.ts';
import { maskDigitRunsDeep } from '../core/mask.ts';
import { waitingAlerts } from '../core/transaction/flows.ts';
import { parseHqAnswer } from '../core/transaction/hq-answer.ts';
import {
  type Actor,
  checkAction,
  confirmActionFields,
  delayBefore,
  ledgerOpOnEntry,
  moveTo,
  nextFor,
  stateOf,
} from '../core/transaction/machine.ts';
import type {
  AlertRule,
  AnswerSchema,
  ChoiceItem,
  DeviceName,
  EffectResult,
  EffectState,
  InquiryAnswer,
  InquiryDefinition,
  Outcome,
  RuleContext,
  ServiceDefinition,
  StationFacts,
  TxnRecord,
} from '../core/transaction/types.ts';
import type { Journal } from '../journal/journal.ts';
import { receiptDueKey } from '../journal/keys.ts';
import type { JournalEvent } from '../journal/records.ts';
import type { WriteBatch } from '../journal/write-batch.ts';
import type { Logger } from '../platform/logger.ts';
import { maskFields, maskKnown, secretsOf } from '../reports/mask-txn.ts';
import {
  checkAccess,
  inquiryFields,
  newTxnRecord,
  type PreparedTxn,
  prepareTransaction,
  type Quote,
  splitTransient,
} from './create-transaction.ts';
import { type EffectRunners, runEffect, withTimeout } from './run-effect.ts';
import type { ServiceRegistry } from './service-registry.ts';

export interface EngineDeps {
  journal: Journal;
  clock: Clock;
  /** Read at every use, so an applied HQ config change takes effect without a restart. */
  config: () => KioskConfig;
  logger: Logger;
  services: ServiceRegistry;
  runners: EffectRunners;
  /** Health of each device by name; services that require an offline device are refused. */
  devices?: () => Record<
    string,
    { state: 'ok' | 'degraded' | 'offline'; reason?: { zh: string; en: string } }
  >;
  /** What HQ set for the station (terminal binding, sign-in), read at every use. */
  facts?: () => StationFacts;
}

export interface EngineEvents {
  /** After every durable change of a transaction. */
  txn: [TxnRecord, JournalEvent];
  /** An alert raised once for a transaction (e.g. status unknown for 30 minutes). */
  alert: [TxnRecord, string];
}

/**
 * Runs every transaction through its service's state machine. Each side effect is preceded by a
 * durable intent (`txn.intent`) and followed by a durable outcome (`txn.transition`); ledger changes
 * go in the same batch as the transition that causes them. On start every non-terminal transaction
 * is resumed: an interrupted effect that is safe to repeat is sent again with the same idempotency
 * key; one that is not takes its state's `onInterrupted` outcome.
 */
export class Engine extends EventEmitter<EngineEvents> {
  private readonly cache = new Map<string, TxnRecord>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly wakeups = new Map<string, { timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly aborts = new Set<AbortController>();
  /** What each driven transaction is doing: journal I/O, sleeping on a timer, or awaiting an effect. */
  private readonly phase = new Map<string, 'io' | 'sleep' | 'effect'>();
  /** Serials changed by an action while their driver was finishing: drive them again. */
  private readonly rekick = new Set<string>();
  /** Full values of transient fields (card numbers) by serial; never written anywhere. */
  private readonly transient = new Map<string, Record<string, string>>();
  /** Sleeping drivers told to stop so that an action's new state is driven afresh. */
  private readonly superseded = new Set<string>();
  /** Sleeping drivers told to make their next attempt now (e.g. the card they wait for is back). */
  private readonly hurried = new Set<string>();
  /** Actions waiting for a transaction's driver to sleep or finish (see act). */
  private readonly pauseWaiters = new Map<string, Array<() => void>>();
  /** The last action queued on each transaction: actions on one transaction run one at a time. */
  private readonly acting = new Map<string, Promise<unknown>>();
  /** Transactions an action is changing right now: their driver starts only after it. */
  private readonly held = new Set<string>();
  /** Exclusive keys of transactions being created right now (see ServiceDefinition.exclusive). */
  private readonly claims = new Set<string>();
  private stopping = false;
  /** Aborted when shutdown begins: from then on nothing new starts. */
  private readonly closing = new AbortController();
  private started = false;
  /** Non-null while the kiosk must sell nothing (journal corruption, power failure). */
  private safe: { zh: string; en: string } | null = null;

  constructor(private readonly deps: EngineDeps) {
    super();
  }

  get safeMode(): { zh: string; en: string } | null {
    return this.safe;
  }

  /**
   * Enters safe mode: new transactions and actions are refused; open ones are not driven. A
   * `routine` pause (the start-up check of the journal) is logged as information, a fault as an error.
   */
  enterSafeMode(reason: { zh: string; en: string }, opts: { routine?: boolean } = {}): void {
    this.safe = reason;
    if (opts.routine) this.deps.logger.info({ reason }, 'engine paused');
    else this.deps.logger.error({ reason }, 'engine in safe mode');
  }

  private ctx(): RuleContext {
    const facts = this.deps.facts?.();
    return { clock: this.deps.clock, config: this.deps.config(), ...(facts ? { facts } : {}) };
  }

  /**
   * Leaves safe mode if it was entered for `reason` (the same object; another reason stays in
   * force) and, once started, resumes every open transaction. True when it left.
   */
  async exitSafeMode(reason: { zh: string; en: string }): Promise<boolean> {
    if (this.safe !== reason) return false;
    this.safe = null;
    this.deps.logger.info({ reason }, 'engine out of safe mode');
    if (this.started && !this.stopping) await this.resumeOpen();
    return true;
  }

  /** Resumes every non-terminal transaction. */
  async start(): Promise<void> {
    this.stopping = false;
    this.started = true;
    if (this.safe) return;
    await this.resumeOpen();
  }

  private async resumeOpen(): Promise<void> {
    const serials = await this.deps.journal.openSerials();
    for (const serial of serials) {
      const txn = await this.deps.journal.getTxn(serial);
      if (!txn) continue;
      this.cache.set(serial, txn);
      this.deps.logger.info(
        { serial, state: txn.state, inFlight: Boolean(txn.inFlight) },
        'resuming transaction',
      );
      this.kick(serial);
    }
  }

  /**
   * From now on nothing new starts: new transactions, inquiries and actions are refused
   * (KIOSK_E_SERVICE_UNAVAILABLE, nothing charged) and inquiries still waiting for HQ are abandoned,
   * so that a sale waiting on its inquiry cannot create a transaction during shutdown.
   */
  beginShutdown(): void {
    if (!this.closing.signal.aborted) this.closing.abort();
  }

  /** Stops timers and waits for running effects to settle, at most `deadlineMs`. */
  async stop(deadlineMs = 5000): Promise<void> {
    this.beginShutdown();
    this.stopping = true;
    for (const w of this.wakeups.values()) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.wakeups.clear();
    const all = Promise.allSettled([...this.running.values()]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((r) => {
      timer = setTimeout(() => r('deadline'), deadlineMs);
    });
    const res = await Promise.race([all, deadline]);
    clearTimeout(timer);
    if (res === 'deadline') for (const a of this.aborts) a.abort();
    await all;
    this.started = false;
  }

  /**
   * Asks HQ a service's read-only question (arrears, contract numbers) for the given fields. Nothing
   * is written. An unanswered question is refused (try again); a refusal names the field.
   */
  async inquire(serviceId: string, input: unknown, actor: Actor): Promise<InquiryAnswer> {
    this.refuseInSafeMode();
    const def = this.deps.services.get(serviceId);
    checkAccess(def, actor, this.deps.config());
    const { inquiry, fields } = inquiryFields(def, input);
    return this.askInquiry(def, inquiry, fields);
  }

  /**
   * Asks a service's inquiry and parses HQ's answer with the service's schema of it before anything
   * uses or stores it. A malformed answer (a wrong type, a missing field, a field the schema does not
   * declare) is refused as HQ's protocol error naming the answer's field; it is logged masked.
   */
  private async askInquiry(
    def: ServiceDefinition,
    inquiry: InquiryDefinition,
    fields: Record<string, string>,
  ): Promise<InquiryAnswer> {
    return this.askChecked(def, inquiry.op, inquiry.answer, fields, inquiry.fields[0] ?? 'service');
  }

  /**
   * Asks the inquiry for a transaction's fields and applies the service's check of the answer: a
   * customer's input the answer rules out is refused naming the field.
   */
  private async inquiryFor(
    def: ServiceDefinition,
    inquiry: InquiryDefinition,
    fields: Record<string, string>,
    ctx: RuleContext,
  ): Promise<InquiryAnswer> {
    const answer = await this.askInquiry(def, inquiry, pick(fields, inquiry.fields));
    const problems = inquiry.check?.(fields, answer, ctx) ?? [];
    if (problems.length > 0) throw new KioskValidationError('KIOSK_E_INVALID_INPUT', problems);
    return answer;
  }

  /**
   * Asks HQ a read-only question and parses the answer with the schema of that answer. Every
   * question to HQ outside a transaction (inquiries, lists, operator queries) is asked here.
   */
  private async askChecked(
    def: ServiceDefinition,
    op: string,
    schema: AnswerSchema,
    fields: Record<string, string>,
    field: string,
    /** More of the question besides the fields (e.g. a business date). */
    extra: Record<string, unknown> = {},
  ): Promise<InquiryAnswer> {
    const data = await this.ask(def, op, fields, field, extra);
    const parsed = parseHqAnswer(schema, data);
    if (parsed.ok) return parsed.answer;
    this.deps.logger.warn(
      {
        service: def.id,
        op,
        problems: parsed.problems.map((p) => p.field),
        answer: maskDigitRunsDeep(maskKnown(data, secretsOf(def, fields))),
      },
      'HQ answered a question malformed: refused',
    );
    throw new KioskValidationError('KIOSK_E_HQ_PROTOCOL', parsed.problems);
  }

  /**
   * One of a service's lists for its `choice` fields (`lists` in the definition): asked of HQ when
   * the list is HQ's (read-only, nothing written), else made from the kiosk's clock and config.
   */
  async list(serviceId: string, name: string, actor: Actor): Promise<ChoiceItem[]> {
    this.refuseInSafeMode();
    const def = this.deps.services.get(serviceId);
    checkAccess(def, actor, this.deps.config());
    const list = Object.hasOwn(def.lists ?? {}, name) ? def.lists![name] : undefined;
    if (!list)
      throw new KioskError('KIOSK_E_NOT_FOUND', {
        field: 'list',
        zh: `${def.title.zh}没有名为 ${name} 的选项表`,
        en: `${def.title.en} has no list named ${name}`,
      });
    const field = Object.entries(def.fieldMeta).find(([, m]) => m.entry?.list === name)?.[0] ?? 'service';
    if (list.op === undefined) return list.items({}, this.ctx());
    const answer = await this.askChecked(def, list.op, list.answer, {}, field);
    return list.items(answer, this.ctx());
  }

  /**
   * Asks HQ one of the read-only questions a service lets operators ask outside any transaction
   * (`operatorQueries`, e.g. the power card's unconfirmed list). Nothing is written; refusals and
   * an unanswered question are reported like an inquiry's, and HQ's answer is parsed with the
   * query's answer schema like an inquiry's (malformed: KIOSK_E_HQ_PROTOCOL naming `answer.<path>`).
   */
  async askHq(
    serviceId: string,
    op: string,
    fields: Record<string, string>,
    extra: Record<string, unknown>,
    actor: Actor,
  ): Promise<InquiryAnswer> {
    const def = this.deps.services.get(serviceId);
    checkAccess(def, actor, this.deps.config());
    const queries = def.operatorQueries ?? {};
    const schema = Object.hasOwn(queries, op) ? queries[op] : undefined;
    if (actor.channel !== 'operator' || !schema)
      throw new KioskError('KIOSK_E_FORBIDDEN', {
        field: 'op',
        zh: `${def.title.zh}不提供此查询`,
        en: `${def.title.en} has no operator query ${op}`,
      });
    return this.askChecked(def, op, schema, fields, 'service', extra);
  }

  /** HQ's raw answer to a read-only question: only askChecked reads it. */
  private async ask(
    def: ServiceDefinition,
    op: string,
    fields: Record<string, string>,
    field: string,
    extra: Record<string, unknown>,
  ): Promise<unknown> {
    const ac = new AbortController();
    let abandon = (): void => undefined;
    const closed = new Promise<'closed'>((r) => {
      abandon = () => {
        ac.abort();
        r('closed');
      };
    });
    this.closing.signal.addEventListener('abort', abandon, { once: true });
    this.deps.logger.debug({ service: def.id, op }, 'inquiry sent to HQ');
    const answer = withTimeout(
      (signal) =>
        this.deps.runners.hq.request(
          {
            op,
            service: def.id,
            serial: '',
            stationId: this.deps.journal.stationId,
            idempotencyKey: `${randomUUID()}:${op}:0`,
            payload: { ...extra, fields },
          },
          signal,
        ),
      this.deps.config().engine.requestTimeoutMs,
      ac,
    );
    const result = await Promise.race([answer, closed]).finally(() =>
      this.closing.signal.removeEventListener('abort', abandon),
    );
    // Shutdown began while HQ was being asked: the answer (if any) is dropped, nothing starts.
    if (result === 'closed' || this.closing.signal.aborted) throw shuttingDown();
    if (result.outcome === 'ok') return result.data ?? {};
    if (result.outcome === 'declined') {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field,
        zh: result.reason?.zh ?? '查询被拒绝',
        en: result.reason?.en ?? 'refused by the biller',
        details: { reason: result.reason?.code },
      });
    }
    throw new KioskError('KIOSK_E_TIMEOUT', {
      field,
      zh: '查询未获应答，请稍后重试（未扣款）',
      en: 'the inquiry got no answer; try again (nothing was charged)',
    });
  }

  /**
   * Validates (and, for services with an inquiry, asks HQ first), holds the amount and stores the
   * transaction in one batch; then drives it.
   */
  async create(
    serviceId: string,
    input: unknown,
    actor: Actor,
    opts: CreateOptions = {},
  ): Promise<TxnRecord> {
    const def = this.deps.services.get(serviceId);
    refuseUnpaidSelfService(def, actor, opts);
    const { prepared, inquiry } = await this.check(serviceId, input, actor);
    const ctx = this.ctx();
    const claim = this.claimExclusive(def, prepared.fields);
    try {
      return await this.store(def, prepared, inquiry, actor, ctx, opts);
    } finally {
      if (claim) this.claims.delete(claim);
    }
  }

  /**
   * Refuses a transaction whose exclusive field (e.g. its IC card) has the value of an open one,
   * naming it, and claims the value until the new transaction is stored. Returns the claim, if any.
   */
  private claimExclusive(def: ServiceDefinition, fields: Record<string, string>): string | null {
    const field = def.exclusiveField;
    const value = field ? fields[field] : undefined;
    if (!field || value === undefined) return null;
    const claim = `${def.id}|${value}`;
    const open = [...this.cache.values()].find(
      (t) => !t.terminal && t.service === def.id && t.fields[field] === value,
    );
    if (open || this.claims.has(claim)) {
      const label = def.fieldMeta[field] ?? { zh: field, en: field };
      throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
        field,
        zh: `该${label.zh}有未完成的交易${open ? `（流水 ${open.serial}）` : ''}，须先处理完毕`,
        en: `${label.en}: an unresolved transaction${open ? ` (${open.serial})` : ''} must be resolved first`,
        details: { openSerial: open?.serial ?? null },
      });
    }
    this.claims.add(claim);
    return claim;
  }

  private async store(
    def: ServiceDefinition,
    prepared: PreparedTxn,
    inquiry: InquiryAnswer | undefined,
    actor: Actor,
    ctx: RuleContext,
    opts: CreateOptions,
  ): Promise<TxnRecord> {
    const { stored, transient } = splitTransient(def, prepared.fields);
    const txn = await this.deps.journal
      .commit((b) => {
        const serial = b.nextSerial();
        const base = newTxnRecord(
          def,
          { ...prepared, fields: stored },
          actor,
          serial,
          this.deps.journal.stationId,
          b.at,
          ctx.config.business.dayCut,
        );
        const data = { ...(opts.data ?? {}), ...(inquiry ? { inquiry } : {}) };
        const rec = Object.keys(data).length > 0 ? { ...base, data } : base;
        if ((def.funding ?? 'hold') === 'hold') b.ledger({ kind: 'hold', serial, fen: rec.amountFen });
        const created = b.event({ type: 'txn.created', serial, txn: rec });
        // The first request is due at once: its intent goes in the same durable write (one write
        // for the two steps, each still its own event).
        const intent = this.sendsAtOnce(def, rec, ctx) ? intentStep(b, rec, 1) : null;
        b.putTxn(intent?.[0] ?? rec);
        opts.alongside?.(b, rec);
        return [rec, created, intent] as const;
      })
      .then(([rec, created, intent]) => {
        if (transient) this.transient.set(rec.serial, transient);
        const first = this.afterCommit(rec, created);
        return intent ? this.afterCommit(...intent) : first;
      });
    this.deps.logger.info(
      // Masked by the service's declared sensitivity (the telecom `number`, not only known key names).
      {
        serial: txn.serial,
        service: txn.service,
        fields: maskFields(def, txn.fields),
        amountFen: txn.amountFen,
      },
      'transaction created',
    );
    if (this.started) this.kick(txn.serial, txn.inFlight !== undefined);
    return txn;
  }

  /**
   * Whether a new transaction's first request would be sent the moment its driver starts: the
   * engine runs, the state is an effect with no delay before its first attempt, no alert is due
   * and no window holds the request back. The same checks `drive` makes before an attempt.
   */
  private sendsAtOnce(def: ServiceDefinition, txn: TxnRecord, ctx: RuleContext): boolean {
    if (!this.started || this.stopping || this.safe) return false;
    const state = stateOf(def, txn.state);
    if (state.type !== 'effect' || delayBefore(state, txn.attempts + 1, ctx) > 0) return false;
    if (this.dueAlerts(txn, state, ctx).length > 0) return false;
    return (state.beforeSend?.(txn, ctx) ?? null) === null;
  }

  /**
   * Everything `create` checks before it writes — safe mode, devices, access, the input (all
   * problems listed), caps and HQ's inquiry — writing nothing. A refusal names the field.
   */
  async check(
    serviceId: string,
    input: unknown,
    actor: Actor,
  ): Promise<{ prepared: PreparedTxn; inquiry: InquiryAnswer | undefined }> {
    const def = this.deps.services.get(serviceId);
    const ctx = this.ctx();
    // Every local rule (fields, amount rules, caps, the available balance) before any question to HQ.
    const prepared = this.checkLocal(serviceId, input, actor);
    const probe = this.claimExclusive(def, prepared.fields);
    if (probe) this.claims.delete(probe);
    let inquiry: InquiryAnswer | undefined;
    if (def.inquiry) {
      inquiry = await this.inquiryFor(def, def.inquiry, prepared.fields, ctx);
      this.refuseInSafeMode();
    }
    return { prepared, inquiry };
  }

  /** Runs an action (e.g. `reverse`) after checking role, state and the service's rules. */
  async act(
    serial: string,
    action: string,
    actor: Actor,
    input: Record<string, unknown> = {},
  ): Promise<TxnRecord> {
    this.refuseInSafeMode();
    // Refused at once when the state does not allow it; checked again once the driver has paused.
    const seen = await this.get(serial);
    confirmActionFields(
      this.deps.services.get(seen.service),
      seen,
      checkAction(this.deps.services.get(seen.service), seen, action, actor, this.ctx()),
      input,
    );
    const previous = this.acting.get(serial) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.actAlone(serial, action, actor, input));
    this.acting.set(serial, mine);
    try {
      return await mine;
    } finally {
      if (this.acting.get(serial) === mine) this.acting.delete(serial);
    }
  }

  /**
   * One writer per transaction record: the action waits until the driver sleeps (then stops it) or
   * finishes, so that neither overwrites the other with a stale record (an outcome arriving after
   * the action, or a new state committed between the action's check and its write).
   */
  private async actAlone(
    serial: string,
    action: string,
    actor: Actor,
    input: Record<string, unknown>,
  ): Promise<TxnRecord> {
    while (this.running.has(serial)) {
      const paused = new Promise<void>((r) => {
        this.pauseWaiters.set(serial, [...(this.pauseWaiters.get(serial) ?? []), r]);
      });
      if (this.phase.get(serial) === 'sleep') this.wake(serial, this.superseded);
      await paused;
    }
    this.held.add(serial);
    try {
      return await this.commitAction(serial, action, actor, input);
    } finally {
      this.held.delete(serial);
      if (this.rekick.delete(serial) || this.started) this.kick(serial);
    }
  }

  private async commitAction(
    serial: string,
    action: string,
    actor: Actor,
    input: Record<string, unknown>,
  ): Promise<TxnRecord> {
    this.refuseInSafeMode();
    const current = await this.get(serial);
    const def = this.deps.services.get(current.service);
    const spec = checkAction(def, current, action, actor, this.ctx());
    confirmActionFields(def, current, spec, input);
    return this.deps.journal
      .commit((b) => {
        // An action starts its target state afresh (an operator's "try now"): attempts from zero.
        const fresh = { ...current, generation: current.generation + 1, attempts: 0, actedAt: b.at };
        const moved = moveTo(def, fresh, spec.to, b.at);
        const ev = b.event({
          type: 'txn.action',
          serial,
          action,
          from: current.state,
          txn: moved,
          info: actorInfo(actor),
        });
        b.putTxn(moved, current);
        return [moved, ev] as const;
      })
      .then(([t, ev]) => this.afterCommit(t, ev));
  }

  /**
   * Makes every sleeping transaction for which `pred` holds try its effect now instead of at its
   * scheduled time (a device event they wait for happened). Returns how many were woken.
   */
  hurry(pred: (txn: TxnRecord) => boolean): number {
    let n = 0;
    for (const serial of this.wakeups.keys()) {
      const txn = this.cache.get(serial);
      if (txn && pred(txn)) {
        this.wake(serial, this.hurried);
        n++;
      }
    }
    return n;
  }

  private wake(serial: string, reason: Set<string>): void {
    const w = this.wakeups.get(serial);
    if (!w) return;
    reason.add(serial);
    clearTimeout(w.timer);
    this.wakeups.delete(serial);
    this.phase.set(serial, 'io');
    w.resolve();
  }

  async get(serial: string): Promise<TxnRecord> {
    const cached = this.cache.get(serial);
    if (cached) return cached;
    const txn = await this.deps.journal.getTxn(serial);
    if (!txn)
      throw new KioskError('KIOSK_E_NOT_FOUND', {
        field: 'serial',
        zh: `找不到流水 ${serial}`,
        en: `no transaction ${serial}`,
      });
    return txn;
  }

  /** Resolves with the first snapshot (current or future) for which `pred` holds. */
  waitFor(serial: string, pred: (t: TxnRecord) => boolean): Promise<TxnRecord> {
    return new Promise((resolve, reject) => {
      const onTxn = (t: TxnRecord): void => {
        if (t.serial === serial && pred(t)) {
          this.off('txn', onTxn);
          resolve(t);
        }
      };
      this.on('txn', onTxn);
      this.get(serial).then((t) => {
        if (pred(t)) {
          this.off('txn', onTxn);
          resolve(t);
        }
      }, reject);
    });
  }

  /** Serials currently being driven (for health and shutdown). */
  get busy(): number {
    return this.running.size;
  }

  /** Availability of a service given its devices: null when available, else why not. */
  unavailable(def: ServiceDefinition): { zh: string; en: string } | null {
    const health = this.deps.devices?.() ?? {};
    for (const name of def.requires ?? []) {
      const h = health[name];
      if (!h || h.state === 'offline') {
        return {
          zh: `${def.title.zh}暂不可用：${DEVICE_NAMES[name].zh}离线${h?.reason ? `（${h.reason.zh}）` : ''}`,
          en: `${def.title.en} unavailable: ${DEVICE_NAMES[name].en} offline${h?.reason ? ` (${h.reason.en})` : ''}`,
        };
      }
    }
    return null;
  }

  /** The zero credit line, checked before anything is sent; the hold checks it again atomically. */
  private refuseAboveBalance(def: ServiceDefinition, amountFen: number): void {
    if ((def.funding ?? 'hold') !== 'hold') return;
    const refusal = refuseAbove(this.deps.journal.balance, amountFen);
    if (refusal) throw refusal;
  }

  /**
   * Runs every local check of a new transaction without asking HQ or writing anything: safe mode,
   * devices, access, fields, amount rules, caps and the available balance. `check` runs it before
   * the inquiry, so a refusal never costs a question to HQ.
   */
  checkLocal(serviceId: string, input: unknown, actor: Actor): PreparedTxn {
    this.refuseInSafeMode();
    const def = this.deps.services.get(serviceId);
    this.refuseWithoutDevices(def);
    const prepared = prepareTransaction(def, input, actor, this.ctx());
    this.refuseAboveBalance(def, prepared.amount.toFen());
    return prepared;
  }

  /**
   * What a new transaction would cost, checked as `create` checks it before asking HQ (safe mode,
   * devices, access, fields, amount rules, caps), writing nothing; HQ is asked only the inquiry
   * of a service whose answer changes meanwhile (`inquiry.atQuote`). Instead of
   * refusing a balance below the amount it says whether the available balance covers it now.
   */
  async quote(serviceId: string, input: unknown, actor: Actor): Promise<Quote> {
    this.refuseInSafeMode();
    const def = this.deps.services.get(serviceId);
    this.refuseWithoutDevices(def);
    const ctx = this.ctx();
    const prepared = prepareTransaction(def, input, actor, ctx);
    // An answer that changes while the customer chooses (free seats) is checked before they confirm.
    if (def.inquiry?.atQuote) await this.inquiryFor(def, def.inquiry, prepared.fields, ctx);
    const holdFen = (def.funding ?? 'hold') === 'hold' ? prepared.amount.toFen() : 0;
    return { ...prepared, balanceSufficient: refuseAbove(this.deps.journal.balance, holdFen) === null };
  }

  private refuseWithoutDevices(def: ServiceDefinition): void {
    const why = this.unavailable(def);
    if (why) throw new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', { field: 'service', ...why });
  }

  private refuseWhenClosing(): void {
    if (this.closing.signal.aborted) throw shuttingDown();
  }

  private refuseInSafeMode(): void {
    this.refuseWhenClosing();
    if (this.safe)
      throw new KioskError('KIOSK_E_SAFE_MODE', {
        en: `safe mode: ${this.safe.en}`,
        zh: `安全模式：${this.safe.zh}`,
      });
    if (this.deps.journal.faulted) throw this.deps.journal.faulted;
  }

  /** Runs once the commit is durable: updates the cache and tells listeners. */
  private afterCommit(txn: TxnRecord, ev: JournalEvent): TxnRecord {
    if (txn.terminal) {
      this.cache.delete(txn.serial);
      this.transient.delete(txn.serial);
    } else this.cache.set(txn.serial, txn);
    this.emit('txn', txn, ev);
    return txn;
  }

  /** Starts driving `serial`; `sent`: its intent was just written, the request goes out first. */
  private kick(serial: string, sent = false): void {
    if (this.stopping) return;
    if (this.running.has(serial) || this.held.has(serial)) {
      this.rekick.add(serial);
      return;
    }
    this.phase.set(serial, 'io');
    const p = this.drive(serial, sent)
      .catch((e: unknown) => {
        this.deps.logger.error(
          { serial, err: e },
          'transaction driver stopped on an error; it resumes at next start',
        );
      })
      .finally(() => {
        this.running.delete(serial);
        this.phase.delete(serial);
        this.paused(serial);
        if (this.rekick.delete(serial)) this.kick(serial);
      });
    this.running.set(serial, p);
  }

  /**
   * Drives a transaction until it is final. Two bounds keep a confused biller from looping it for
   * ever: a state retried with the engine's back-off (no polling schedule of its own) is tried at most
   * `engine.maxAttempts` times in a row, and no state is entered more than `engine.maxAttempts` times
   * in one run. Past either bound the transaction stays open with its hold, raises
   * `retries-exhausted` once and waits for the operator or the next start; nothing is lost.
   */
  private async drive(serial: string, sent = false): Promise<void> {
    let txn = await this.get(serial);
    const def = this.deps.services.get(txn.service);
    // An intent this process has just written (with the new transaction) is not an interruption.
    let fresh = sent && txn.inFlight !== undefined && !txn.terminal;
    if (txn.inFlight && !txn.terminal && !fresh) txn = await this.recoverInFlight(txn);
    let tries = 0;
    const entries = new Map<string, number>();
    while (!txn.terminal && !this.stopping && !this.safe) {
      const state = stateOf(def, txn.state);
      // An open transaction always waits in an effect state; a final state here is a broken record.
      if (state.type !== 'effect')
        throw new KioskError('KIOSK_E_INTERNAL', {
          field: 'state',
          zh: `流水 ${txn.serial} 未结束却处于终态 ${txn.state}`,
          en: `transaction ${txn.serial} is open but in the final state ${txn.state}`,
        });
      const from = txn.state;
      if (fresh) {
        fresh = false;
        txn = await this.send(txn, state);
      } else {
        const turn = await this.attempt(serial, txn, state);
        if (turn === null) return;
        txn = turn.txn;
        // A window's wait or a lost card number decides nothing about the state's attempts.
        if (!turn.counted) continue;
      }
      const max = this.deps.config().engine.maxAttempts;
      if (txn.state === from) tries = state.delayMs ? 0 : tries + 1;
      else {
        tries = 0;
        entries.set(txn.state, (entries.get(txn.state) ?? 0) + 1);
      }
      if (!txn.terminal && (tries >= max || (entries.get(txn.state) ?? 0) > max)) {
        await this.raise(txn, ['retries-exhausted']);
        return;
      }
    }
  }

  /**
   * One turn of `drive` in `state`: waits for the attempt's time (raising alerts on time), then
   * writes the intent and sends, or applies the outcome a window or a lost card number decides.
   * Null when the driver must stop (shutdown, safe mode, or an action took over).
   */
  private async attempt(
    serial: string,
    start: TxnRecord,
    state: EffectState,
  ): Promise<{ txn: TxnRecord; counted: boolean } | null> {
    let txn = start;
    const attempt = txn.attempts + 1;
    const dueAt = this.deps.clock.now() + delayBefore(state, attempt, this.ctx());
    for (;;) {
      txn = await this.maybeAlert(txn, state);
      const wait = dueAt - this.deps.clock.now();
      if (wait <= 0) break;
      await this.sleep(serial, this.untilAlert(txn, state, wait));
      if (this.stopping || this.safe || this.superseded.delete(serial)) return null;
      if (this.hurried.delete(serial)) break;
    }
    if (state.transient && !this.transient.has(serial)) {
      // The full card numbers are gone with the previous process: never send a masked request.
      const outcome = state.onInterrupted ?? 'unknown';
      return {
        txn: await this.applyOutcome(txn, state, { outcome, reason: TRANSIENT_GONE }, true),
        counted: false,
      };
    }
    const gate = state.beforeSend?.(txn, this.ctx()) ?? null;
    if (gate && 'waitUntil' in gate) {
      // A window closed to this request: wait (alerts still due on time), then decide again.
      txn = await this.maybeAlert(txn, state);
      const wait = gate.waitUntil - this.deps.clock.now();
      if (wait > 0) await this.sleep(serial, this.untilAlert(txn, state, wait));
      if (this.stopping || this.safe) return null;
      return { txn, counted: false };
    }
    if (gate) return { txn: await this.applyOutcome(txn, state, gate.outcome, false), counted: true };
    return { txn: await this.send(await this.writeIntent(txn, attempt), state), counted: true };
  }

  /** Sends the request whose intent is durable and applies its outcome. */
  private async send(txn: TxnRecord, state: EffectState): Promise<TxnRecord> {
    const raw = await this.perform(txn, state);
    const result = state.interpret ? state.interpret(txn, raw, this.ctx()) : raw;
    return this.applyOutcome(txn, state, result, false);
  }

  private async recoverInFlight(txn: TxnRecord): Promise<TxnRecord> {
    const def = this.deps.services.get(txn.service);
    const state = stateOf(def, txn.state);
    if (state.type !== 'effect') return txn;
    if (state.retry === 'safe') return txn; // sent again by the loop, same idempotency key
    const outcome: Outcome = state.onInterrupted ?? 'unknown';
    return this.applyOutcome(txn, state, { outcome, reason: INTERRUPTED }, true);
  }

  private async writeIntent(txn: TxnRecord, attempt: number): Promise<TxnRecord> {
    return this.deps.journal
      .commit((b) => {
        const step = intentStep(b, txn, attempt);
        b.putTxn(step[0], txn);
        return step;
      })
      .then((step) => this.afterCommit(...step));
  }

  private async perform(txn: TxnRecord, state: EffectState): Promise<EffectResult> {
    const ac = new AbortController();
    this.aborts.add(ac);
    this.phase.set(txn.serial, 'effect');
    try {
      const full = state.transient ? this.transient.get(txn.serial) : undefined;
      return await runEffect(
        this.deps.runners,
        state.effect(full ? { ...txn, fields: { ...txn.fields, ...full } } : txn),
        txn,
        this.deps.config().engine.requestTimeoutMs,
        ac,
      );
    } finally {
      this.aborts.delete(ac);
      this.phase.set(txn.serial, 'io');
    }
  }

  private async applyOutcome(
    txn: TxnRecord,
    state: EffectState,
    result: EffectResult,
    interrupted: boolean,
  ): Promise<TxnRecord> {
    const def = this.deps.services.get(txn.service);
    const to = nextFor(state, result.outcome) ?? txn.state;
    return this.deps.journal
      .commit((b) => {
        const moved = moveTo(def, txn, to, b.at, result);
        const op = to !== txn.state ? ledgerOpOnEntry(def, txn, to) : undefined;
        if (op) b.ledger(op);
        const target = stateOf(def, to);
        if (to !== txn.state && target.type === 'terminal' && target.receipt) {
          b.put(receiptDueKey(txn.serial), { at: b.at });
        }
        const alert = state.alertOn?.(result);
        const rec =
          alert && !moved.alerts.includes(alert) ? { ...moved, alerts: [...moved.alerts, alert] } : moved;
        let ev = b.event({
          type: 'txn.transition',
          serial: txn.serial,
          from: txn.state,
          outcome: result.outcome,
          txn: rec,
          ...(interrupted ? { info: { interrupted: true } } : {}),
        });
        if (rec !== moved) ev = b.event({ type: 'txn.alert', serial: txn.serial, alert: alert!, txn: rec });
        b.putTxn(rec, txn);
        return [rec, ev, rec !== moved ? alert : undefined] as const;
      })
      .then(([t, ev, alert]) => {
        const done = this.afterCommit(t, ev);
        if (alert) this.announce(done, [alert]);
        return done;
      });
  }

  /** The alerts a transaction waiting in `state` is due: the state's own and every waiting one's. */
  private alertRules(txn: TxnRecord, state: EffectState): readonly AlertRule[] {
    return [...(state.alerts ?? []), ...waitingAlerts(txn)];
  }

  /** The alerts of `txn` waiting in `state` that are due now and not raised yet. */
  private dueAlerts(txn: TxnRecord, state: EffectState, ctx: RuleContext): AlertRule[] {
    const now = this.deps.clock.now();
    return this.alertRules(txn, state).filter((a) => !txn.alerts.includes(a.name) && a.due(txn, ctx) <= now);
  }

  private async maybeAlert(txn: TxnRecord, state: EffectState): Promise<TxnRecord> {
    const due = this.dueAlerts(txn, state, this.ctx());
    if (due.length === 0) return txn;
    return this.raise(txn, [...new Set(due.map((a) => a.name))]);
  }

  /** Records alerts not raised yet (each once per transaction) and tells listeners. */
  private async raise(txn: TxnRecord, wanted: readonly string[]): Promise<TxnRecord> {
    const names = wanted.filter((n) => !txn.alerts.includes(n));
    if (names.length === 0) return txn;
    const next = await this.deps.journal
      .commit((b) => {
        const rec: TxnRecord = { ...txn, alerts: [...txn.alerts, ...names], updatedAt: b.at };
        let ev!: JournalEvent;
        for (const name of names)
          ev = b.event({ type: 'txn.alert', serial: txn.serial, alert: name, txn: rec });
        b.putTxn(rec, txn);
        return [rec, ev] as const;
      })
      .then(([t, ev]) => this.afterCommit(t, ev));
    this.announce(next, names);
    return next;
  }

  private announce(txn: TxnRecord, names: readonly string[]): void {
    for (const name of names) {
      this.deps.logger.warn({ serial: txn.serial, alert: name, state: txn.state }, 'transaction alert');
      this.emit('alert', txn, name);
    }
  }

  /** Shortens a delay so that the next due alert is raised on time. */
  private untilAlert(txn: TxnRecord, state: EffectState, delay: number): number {
    const now = this.deps.clock.now();
    let wait = delay;
    for (const a of this.alertRules(txn, state)) {
      if (txn.alerts.includes(a.name)) continue;
      const d = a.due(txn, this.ctx()) - now;
      if (d > 0 && d < wait) wait = d;
    }
    return wait;
  }

  /** Tells waiting actions that the driver of `serial` sleeps or has finished. */
  private paused(serial: string): void {
    const waiters = this.pauseWaiters.get(serial);
    this.pauseWaiters.delete(serial);
    for (const w of waiters ?? []) w();
  }

  private sleep(serial: string, ms: number): Promise<void> {
    this.phase.set(serial, 'sleep');
    this.paused(serial);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeups.delete(serial);
        this.phase.set(serial, 'io');
        resolve();
      }, ms);
      this.wakeups.set(serial, { timer, resolve });
    });
  }

  /**
   * Resolves once no transaction is doing journal I/O: each is finished, sleeping until its next
   * attempt, or waiting for an effect's answer. For tests that drive time with fake timers and
   * for an orderly shutdown. `turn` must yield to real I/O (a real setImmediate).
   */
  async whenIdle(turn: () => Promise<void>): Promise<void> {
    let quiet = 0;
    while (quiet < 3) {
      await turn();
      const busy = [...this.running.keys()].some((s) => (this.phase.get(s) ?? 'io') === 'io');
      quiet = busy ? 0 : quiet + 1;
    }
  }
}

export interface CreateOptions {
  /**
   * The customer's money is in (a counter order confirmed by the operator, or a QR payment
   * confirmed by the acquirer). Self-service never pays a biller from the station's balance
   * without it.
   */
  paid?: boolean;
  /** Facts stored in the new transaction's `data` (e.g. the order it settles). */
  data?: Record<string, unknown>;
  /** More writes in the same atomic batch as the new transaction (its order, an idempotency key). */
  alongside?: (b: WriteBatch, txn: TxnRecord) => void;
}

/**
 * A customer on their own may start a transaction that spends the station's prepaid balance only
 * once they have paid for it (through an order); a service that brings money in holds nothing.
 */
function refuseUnpaidSelfService(def: ServiceDefinition, actor: Actor, opts: CreateOptions): void {
  if (actor.channel !== 'self' || opts.paid || def.funding === 'none') return;
  throw new KioskError('KIOSK_E_PAYMENT_REQUIRED', {
    field: 'tender',
    zh: '自助办理需先下单付款（窗口交费或扫码），收款后才会办理',
    en: 'self-service needs an order paid first (at the counter or by QR); nothing is paid before',
  });
}

const DEVICE_NAMES: Record<DeviceName, { zh: string; en: string }> = {
  cardReader: { zh: '读卡器', en: 'card reader' },
  display: { zh: 'LED 屏', en: 'LED sign' },
  printer: { zh: '打印机', en: 'printer' },
  gpio: { zh: '门磁与电源检测', en: 'door and power sensors' },
};

const TRANSIENT_GONE = {
  code: 'KIOSK_E_INTERRUPTED',
  zh: '卡号仅在内存中保存，重启后不再发送，以查询确认结果',
  en: 'card numbers are kept in memory only; after a restart the request is not sent, a query settles it',
};

const INTERRUPTED = {
  code: 'KIOSK_E_INTERRUPTED',
  zh: '处理中断，结果未知，等待查询确认',
  en: 'interrupted; outcome unknown until confirmed',
};

function actorInfo(actor: Actor): Record<string, unknown> {
  return actor.channel === 'operator' ? { operator: actor.code, role: actor.role } : { channel: 'self' };
}

function pick(fields: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = Object.hasOwn(fields, n) ? fields[n] : undefined;
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/**
 * The durable intent of `attempt` in the transaction's state: its snapshot marked in flight and
 * the `txn.intent` event carrying it. The caller stores the snapshot in the same batch.
 */
function intentStep(b: WriteBatch, txn: TxnRecord, attempt: number): [TxnRecord, JournalEvent] {
  const next: TxnRecord = {
    ...txn,
    attempts: attempt,
    updatedAt: b.at,
    inFlight: { state: txn.state, attempt, at: b.at },
  };
  return [next, b.event({ type: 'txn.intent', serial: txn.serial, txn: next })];
}

/** The refusal of anything new once shutdown has begun (HTTP 503; nothing was charged). */
function shuttingDown(): KioskError {
  return new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', {
    zh: '服务亭正在关闭，请稍后再试（未扣款）',
    en: 'the kiosk is shutting down; try again later (nothing was charged)',
  });
}
