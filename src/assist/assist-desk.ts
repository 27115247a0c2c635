import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import type { Appointment } from '../core/assist/appointments.ts';
import { type Guide, guideProblems, guideSchema, type Matter, matterOf } from '../core/assist/guide.ts';
import {
  type MonthlyStats,
  monthlyStats,
  type StatsRequest,
  statsRequestSchema,
} from '../core/assist/monthly-stats.ts';
import { purgeDue, purgeRequest } from '../core/assist/privacy.ts';
import {
  type AssistRequest,
  applyUpdate,
  flagAt,
  type RegisterInput,
  type RequestUpdate,
  registerInputSchema,
  requestUpdateSchema,
  TransitionRefused,
} from '../core/assist/request.ts';
import { toLocal } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import type { Journal } from '../journal/journal.ts';
import { ASSIST_COUNTERS_KEY, clientKeyKey } from '../journal/keys.ts';
import type { Logger } from '../platform/logger.ts';
import type { Receipt } from '../receipts/receipt.ts';
import { AppointmentBook } from './appointment-book.ts';
import { guideSheet, requestReceipt, resultNotice, type SlipStation, statsSheet } from './assist-slips.ts';
import { type AssistCounters, AssistStore, GUIDE_KEY } from './assist-store.ts';

export interface AssistDeskDeps {
  journal: Journal;
  clock: Clock;
  logger: Logger;
  station: () => SlipStation;
  /** Hands a paper to the print queue; resolves once queued or printed. */
  print: (r: Receipt) => Promise<unknown>;
}

/** Who acts: an operator (by code), the citizen alone, or HQ (the sub-district service centre). */
export type AssistActor = { channel: 'operator'; code: string } | { channel: 'self' } | { channel: 'hq' };

const byOf = (a: AssistActor): string => (a.channel === 'operator' ? `operator:${a.code}` : a.channel);

export interface AssistEvents {
  /** The guide, a request or an appointment changed (screens refresh, the LED shows the day's hours). */
  changed: [];
}

function invalid(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  prefix = '',
): KioskValidationError {
  return new KioskValidationError(
    'KIOSK_E_INVALID_INPUT',
    issues.map(
      (i) =>
        new KioskError('KIOSK_E_INVALID_INPUT', {
          field: `${prefix}${i.path.map(String).join('.')}` || '(body)',
          zh: `输入有误（${i.message}）`,
          en: i.message,
        }),
    ),
  );
}

/**
 * The assisted services of the station (代办/帮办): the published guide HQ pushes, requests
 * registered at the console or by the citizen and followed to their reply, the monthly statistics.
 * Every change is serialised here (one at a time), journaled before anything is printed or sent,
 * and reaches HQ through the journal's outbox.
 */
export class AssistDesk extends EventEmitter<AssistEvents> {
  readonly store: AssistStore;
  readonly appointments: AppointmentBook;
  private current: Guide | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AssistDeskDeps) {
    super();
    this.store = new AssistStore(deps.journal);
    this.appointments = new AppointmentBook(this, deps);
  }

  async load(): Promise<void> {
    this.current = await this.store.guide();
  }

  get guide(): Guide | undefined {
    return this.current;
  }

  /** Runs changes one at a time, so HQ's commands and the operator never overwrite each other. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  matter(id: string, field = 'matter'): Matter {
    const m = matterOf(this.current, id);
    if (!m)
      throw new KioskError('KIOSK_E_NOT_FOUND', {
        field,
        zh: this.current ? `办事指南中没有该事项：${id}` : '总部尚未发布办事指南',
        en: this.current
          ? `no such matter in the service guide: ${id}`
          : 'HQ has not published a service guide yet',
      });
    return m;
  }

  /**
   * Applies a guide HQ pushed: newer than the one applied, valid in every part (all problems are
   * listed and nothing changes otherwise). The same version again is a repeat.
   */
  applyGuide(input: unknown): Promise<{ version: number; unchanged?: true; previous: number | null }> {
    return this.serial(async () => {
      const problems = guideProblems(input);
      if (problems.length > 0)
        throw new KioskValidationError(
          'KIOSK_E_CONFIG',
          problems.map(
            (p) => new KioskError('KIOSK_E_CONFIG', { field: `guide.${p.field}`, zh: p.zh, en: p.en }),
          ),
        );
      const guide = guideSchema.parse(input);
      const previous = this.current?.version ?? null;
      if (previous !== null && guide.version === previous)
        return { version: guide.version, unchanged: true, previous };
      if (previous !== null && guide.version < previous)
        throw new KioskError('KIOSK_E_CONFIG', {
          field: 'guide.version',
          zh: `办事指南版本 ${guide.version} 低于当前版本 ${previous}`,
          en: `guide version ${guide.version} is older than the applied ${previous}`,
        });
      await this.deps.journal.commit((b) => {
        b.put(GUIDE_KEY, guide);
        b.event({
          type: 'assist',
          info: { kind: 'guide', version: guide.version, previous, matters: guide.matters.length },
        });
      });
      this.current = guide;
      this.deps.logger.info({ version: guide.version, previous }, 'service guide applied');
      this.emit('changed');
      return { version: guide.version, previous };
    });
  }

  /** Prints the guide sheet of a matter (anyone may ask). */
  async printGuide(matterId: string): Promise<void> {
    const m = this.matter(matterId, 'id');
    await this.deps.print(guideSheet(this.current as Guide, m, this.deps.station(), this.deps.clock.now()));
  }

  /** Hands out the next number of the day for requests (R) or appointments (A): R202612010001. */
  nextNumber(
    counters: AssistCounters | undefined,
    which: 'request' | 'appointment',
  ): { id: string; counters: AssistCounters } {
    const date = toLocal(this.deps.clock.now()).date;
    const base = counters?.date === date ? counters : { date, request: 0, appointment: 0 };
    const next = { ...base, [which]: base[which] + 1 };
    return {
      id: `${which === 'request' ? 'R' : 'A'}${date}${String(next[which]).padStart(4, '0')}`,
      counters: next,
    };
  }

  /**
   * Registers a request (受理/登记). A citizen alone may register only matters the guide marks for
   * self-service. The request and its idempotency key are one atomic write before the receipt is
   * printed; a repeat with the same key returns the first request unchanged.
   */
  register(
    body: unknown,
    actor: AssistActor,
    key?: string,
  ): Promise<{ request: AssistRequest; repeated: boolean }> {
    if (key !== undefined && !/^[\w-]{8,64}$/.test(key))
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'idempotencyKey',
        zh: '幂等键应为 8–64 位字母、数字、下划线或连字符',
        en: 'the idempotency key must be 8–64 letters, digits, _ or -',
      });
    const parsed = registerInputSchema.safeParse(body ?? {});
    if (!parsed.success) throw invalid(parsed.error.issues);
    const input: RegisterInput = parsed.data;
    return this.serial(async () => {
      const stored = key
        ? await this.deps.journal.getJson<{ request: string }>(clientKeyKey(`assist:${key}`))
        : undefined;
      if (stored) {
        const first = await this.store.request(stored.request);
        if (first) return { request: first, repeated: true };
      }
      const m = this.matter(input.matter);
      if (actor.channel === 'self' && !m.selfService)
        throw new KioskError('KIOSK_E_FORBIDDEN', {
          field: 'matter',
          zh: '该事项需到窗口由代办员受理',
          en: 'this matter is registered by the operator at the counter',
        });
      const bad = input.materials.filter((i) => i >= m.materials.length);
      if (bad.length > 0)
        throw new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'materials',
          zh: `该事项没有第 ${bad[0]! + 1} 项材料`,
          en: `the matter has no material number ${bad[0]}`,
        });
      if (m.inPerson && input.consent)
        throw new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'consent',
          zh: '该事项须本人到场办理，不能委托代办',
          en: 'this matter must be done in person and cannot be done by proxy',
        });
      const now = this.deps.clock.now();
      const { id, counters } = this.nextNumber(await this.store.counters(), 'request');
      const by = byOf(actor);
      const r: AssistRequest = {
        id,
        number: id,
        matter: m.id,
        kind: m.kind,
        matterTitle: m.title,
        citizen: { name: input.name, idNumber: input.idNumber, phone: input.phone },
        purgedAt: null,
        details: input.details,
        materials: input.materials.map((i) => m.materials[i]!.zh),
        consent: input.consent,
        channel: actor.channel === 'operator' ? 'operator' : 'self',
        operator: actor.channel === 'operator' ? actor.code : null,
        state: 'registered',
        registeredAt: now,
        deadlineAt: now + m.timeLimitDays * 86_400_000,
        flag: null,
        result: null,
        refusal: null,
        notice: null,
        history: [{ state: 'registered', at: now, by }],
        rev: 1,
        updatedAt: now,
      };
      await this.deps.journal.commit((b) => {
        b.put(ASSIST_COUNTERS_KEY, counters);
        if (key) b.put(clientKeyKey(`assist:${key}`), { request: id });
        AssistStore.putRequest(b, r, 'registered');
      });
      this.deps.logger.info({ id, matter: m.id, channel: r.channel }, 'assisted request registered');
      this.emit('changed');
      this.printQuietly(() => requestReceipt(r, m, this.deps.station()));
      return { request: r, repeated: false };
    });
  }

  async get(id: string): Promise<AssistRequest> {
    const r = await this.store.request(id);
    if (!r)
      throw new KioskError('KIOSK_E_NOT_FOUND', {
        field: 'id',
        zh: `查无此受理编号：${id}`,
        en: `no request ${id}`,
      });
    return r;
  }

  /** Requests, newest first; `open` keeps the unfinished ones. */
  async list(opts: { open?: boolean } = {}): Promise<AssistRequest[]> {
    const all = await this.store.requests();
    return all
      .filter((r) => !opts.open || (r.state !== 'closed' && r.state !== 'refused'))
      .sort((a, b) => b.registeredAt - a.registeredAt || b.id.localeCompare(a.id));
  }

  /**
   * Moves a request along (HQ's command or the operator's screen): validated, journaled, then a
   * printed notice when the citizen is told on paper. Moving to the current state is a repeat.
   */
  update(body: unknown, actor: AssistActor): Promise<{ request: AssistRequest; unchanged: boolean }> {
    const parsed = requestUpdateSchema.safeParse(body ?? {});
    if (!parsed.success) throw invalid(parsed.error.issues);
    const u: RequestUpdate = parsed.data;
    return this.serial(async () => {
      const r = await this.get(u.id);
      const now = this.deps.clock.now();
      let next: AssistRequest | null;
      try {
        next = applyUpdate(r, u, byOf(actor), now);
      } catch (e) {
        if (e instanceof TransitionRefused)
          throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', { field: e.field, zh: e.zh, en: e.en });
        throw e;
      }
      if (!next) return { request: r, unchanged: true };
      const done = next;
      await this.deps.journal.commit((b) => AssistStore.putRequest(b, done, done.state));
      this.deps.logger.info(
        { id: r.id, from: r.state, to: done.state, by: byOf(actor) },
        'assisted request moved',
      );
      this.emit('changed');
      if (done.state === 'notified' && u.method === 'print')
        this.printQuietly(() => resultNotice(done, this.deps.station(), now));
      return { request: done, unchanged: false };
    });
  }

  /** Prints the request's receipt again (the citizen lost it). */
  async reprint(id: string): Promise<void> {
    const r = await this.get(id);
    const now = this.deps.clock.now();
    const receipt = requestReceipt(r, matterOf(this.current, r.matter), this.deps.station());
    await this.deps.print({
      ...receipt,
      serial: `${r.id}P${now.toString(36).toUpperCase()}`,
      reprint: true,
      reprintedAt: now,
    });
  }

  /**
   * Flags requests nearing (due-soon) or past (overdue) their promised time limit and erases the
   * personal data of finished ones after the retention period; each change is journaled (and so
   * reaches HQ). Returns how many records changed.
   */
  tick(): Promise<number> {
    return this.serial(async () => {
      const g = this.current;
      if (!g) return 0;
      const now = this.deps.clock.now();
      const warnMs = g.overdueWarnHours * 3_600_000;
      let changed = 0;
      for (const r of await this.store.requests()) {
        const flag = flagAt(r, now, warnMs);
        let next: AssistRequest | null = null;
        if (flag !== null && flag !== r.flag) next = { ...r, flag, rev: r.rev + 1, updatedAt: r.updatedAt };
        else if (purgeDue(r, now, g.retentionDays)) next = purgeRequest(r, now);
        if (!next) continue;
        const done = next;
        await this.deps.journal.commit((b) =>
          AssistStore.putRequest(b, done, done.purgedAt !== r.purgedAt ? 'purged' : (done.flag ?? 'flag')),
        );
        if (done.flag && done.flag !== r.flag)
          this.deps.logger.warn(
            { id: r.id, flag: done.flag, deadlineAt: r.deadlineAt },
            'assisted request nearing or past its time limit',
          );
        changed++;
      }
      changed += await this.appointments.purge(now, g.retentionDays);
      if (changed > 0) this.emit('changed');
      return changed;
    });
  }

  /** Which month's statistics a query or body asks for, checked by its schema (bad fields named). */
  statsRequest(body: unknown, schema: z.ZodType<StatsRequest> = statsRequestSchema): StatsRequest {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw invalid(parsed.error.issues);
    return parsed.data;
  }

  /** The month's statistics (yyyymm). */
  async stats(month: string): Promise<MonthlyStats> {
    if (!/^\d{4}(0[1-9]|1[0-2])$/.test(month))
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'month',
        zh: '月份格式应为 yyyymm',
        en: 'month must be yyyymm',
      });
    return monthlyStats(month, await this.store.requests(), await this.store.appointments());
  }

  /** Journals the month's statistics for HQ (每月结报) and prints them when asked. */
  sendStats(month: string, operator: string, print: boolean): Promise<MonthlyStats> {
    return this.serial(async () => {
      const s = await this.stats(month);
      await this.deps.journal.commit((b) =>
        b.event({ type: 'assist', info: { kind: 'monthly-stats', operator, stats: s } }),
      );
      if (print) this.printQuietly(() => statsSheet(s, this.deps.station(), this.deps.clock.now(), operator));
      return s;
    });
  }

  async printStats(month: string, operator: string): Promise<void> {
    const s = await this.stats(month);
    await this.deps.print(statsSheet(s, this.deps.station(), this.deps.clock.now(), operator));
  }

  /** Prints after the record is durable; a printer fault is logged, never undoes the record. */
  printQuietly(build: () => Receipt): void {
    try {
      void this.deps
        .print(build())
        .catch((e: unknown) => this.deps.logger.error({ err: e }, 'assist paper not printed'));
    } catch (e) {
      this.deps.logger.error({ err: e }, 'assist paper not built');
    }
  }

  /** Appointments as the operator sees them (of a date). */
  appointmentsOn(date: string): Promise<Appointment[]> {
    return this.appointments.on(date);
  }
}
