import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { Level } from 'level';
import type { Clock } from '../core/clock.ts';
import { KioskError } from '../core/errors.ts';
import type { LedgerEntry } from '../core/ledger.ts';
import { type BalanceState, EMPTY_BALANCE } from '../core/ledger.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { aheadOf, type ChainHead, ChainHeadFile, GENESIS } from './chain.ts';
import { checkChainEnd } from './chain-check.ts';
import { CorruptRecordError, decodeValue, encodeValue, jsonOf } from './codec.ts';
import { DayTotals, type RebuildReason, type Staged, type StagedBatch } from './day-totals.ts';
import type { TotalsLookups, TotalsMissing } from './day-totals-reads.ts';
import {
  BALANCE_KEY,
  COUNTERS_KEY,
  DAY_TOTALS_META_KEY,
  eventKey,
  FORMAT_KEY,
  holdKey,
  lastSegment,
  ledgerKey,
  OUTBOX_KEY,
  orderKey,
  prefixRange,
  receiptDueKey,
  seqFromKey,
  txnKey,
} from './keys.ts';
import { runMigrations } from './migrations.ts';
import { type BalanceRecord, type Counters, JOURNAL_FORMAT_VERSION, type JournalEvent } from './records.ts';
import { JOURNAL_STORE_OPTIONS } from './store-options.ts';
import { readTxnValue, readTxnValues, TXN_CHUNK } from './txn-records.ts';
import { type BatchOp, WriteBatch } from './write-batch.ts';

export type JournalDb = Level<string, string>;

interface PendingCommit {
  build: (b: WriteBatch) => unknown;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

/** Commits written together at most (bounds one batch's size and the wait of the last one). */
const MAX_GROUP = 64;

/** The commits of a group as one batch, for the per-date totals (later writes of a record win). */
function groupView(batches: WriteBatch[]): StagedBatch {
  // One commit at a time is the common case: its batch is the view.
  if (batches.length === 1) return batches[0] as WriteBatch;
  const last = batches.at(-1);
  return {
    txnsWritten: batches.flatMap((b) => b.txnsWritten),
    txnsCreated: new Set(batches.flatMap((b) => [...b.txnsCreated])),
    ordersWritten: new Map(batches.flatMap((b) => [...b.ordersWritten])),
    ledgerEntries: batches.flatMap((b) => b.ledgerEntries),
    ops: batches.flatMap((b) => b.ops),
    counters: last ? last.counters : { event: 0, serial: 0, ledger: 0 },
  };
}

/** Only the last write of the counters and balance records in a group is kept (the same result, fewer bytes). */
function withoutOverwrittenState(ops: BatchOp[]): BatchOp[] {
  const last = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.key === COUNTERS_KEY || op.key === BALANCE_KEY) last.set(op.key, i);
  });
  return ops.filter((op, i) => (op.key !== COUNTERS_KEY && op.key !== BALANCE_KEY) || last.get(op.key) === i);
}

/**
 * Writes `ops` as one atomic LevelDB batch with `sync: true`. Through a chained batch: the array
 * form costs about three times the main-thread CPU per op (classic-level looks up every op's
 * properties by name in native code, after abstract-level has copied each op), and a group commit
 * writes a dozen ops per commit.
 */
async function writeOps(db: JournalDb, ops: readonly BatchOp[]): Promise<void> {
  const batch = db.batch();
  try {
    for (const op of ops) {
      if (op.type === 'put') batch.put(op.key, op.value);
      else batch.del(op.key);
    }
  } catch (e) {
    await batch.close();
    throw e;
  }
  await batch.write({ sync: true });
}

/**
 * While commits follow each other with no pause, the chain head written beside each group goes to
 * the page cache (a flush of its own beside every batch's would contend with it for the disk), and
 * the first one this many milliseconds (the journal's clock) after the last durable head goes to
 * the disk; a pause of HEAD_IDLE_MS writes a durable one. After a power cut the head on the disk is
 * then at most this long behind the log (behind is allowed: the log may be ahead of it); after a
 * crash of the process alone it is current.
 */
const DURABLE_HEAD_WITHIN_MS = 100;
/** Milliseconds without a commit after which the chain head is written durably (see confirmWhenIdle). */
const HEAD_IDLE_MS = 20;

/** Written and deleted by `recover()` to prove the disk takes writes again (kept outside the layout's data). */
const PROBE_KEY = 'm:probe';
/** Room the probe needs (bytes): a sale's next commits must fit too. */
const PROBE_ROOM = 'x'.repeat(16 * 1024);

export interface JournalOptions {
  path: string;
  stationId: string;
  clock: Clock;
  /** Opens the database; tests inject faults through it. */
  openDb?: (path: string) => JournalDb;
  /** The configured day cut "HH:MM" the per-date ledger totals are dated by (default 21:00). */
  dayCut?: () => string;
}

const DEFAULT_DAY_CUT = '21:00';

/** A problem found in the store, named by its key. */
export interface JournalProblem {
  key: string;
  kind: 'checksum' | 'decode' | 'gap' | 'index' | 'counter' | 'balance' | 'format' | 'io' | 'chain';
  message: string;
}

/** An event in the outbox with the JSON text it is stored as (absent: serialise the event). */
export interface OutboxEntry {
  event: JournalEvent;
  json?: string;
}

export interface JournalEvents {
  /** Emitted after a commit is durable, once per event in it, in order, with its stored JSON text. */
  event: [JournalEvent, string];
  /** The journal found committed events missing after start-up (HQ holds more than it has). */
  integrity: [JournalProblem];
  /** A write failed (full disk, I/O error): the journal refuses writes until `recover()` succeeds. */
  fault: [KioskError];
}

/**
 * The write-ahead journal on LevelDB. Every commit is one atomic batch written with `sync: true`;
 * commits are serialised, so counters and the balance are never raced. A failed write throws
 * KIOSK_E_JOURNAL_WRITE and leaves the journal refusing further writes until it is reopened,
 * because LevelDB's own state after an I/O error is unknown.
 *
 * Events form a hash chain whose head is written to a file beside LevelDB at the same time as each
 * group's batch, naming where the log ended before the group; a commit resolves once both are
 * written. A durable (O_DSYNC) plain head follows once the journal pauses (HEAD_IDLE_MS), and
 * while it does not, a head beside a batch is durable once the last durable one is
 * DURABLE_HEAD_WITHIN_MS old. A tail that LevelDB loses while recovering a damaged log is detected
 * at the next start, except, after a power cut, groups lost between their acknowledgement and the
 * durable head after them (at most DURABLE_HEAD_WITHIN_MS of a run without a pause); HQ's
 * acknowledgements are checked against the log's end too. A journal that lost committed events is
 * sealed: it refuses every commit, so nothing (least of all a serial number) is reused.
 */
export class Journal extends EventEmitter<JournalEvents> {
  private db!: JournalDb;
  private counters: Counters = { event: 0, serial: 0, ledger: 0 };
  private balanceState: BalanceState = EMPTY_BALANCE;
  /** The group writer while it runs; recover() and close() wait for it. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly waiting: PendingCommit[] = [];
  private flushing = false;
  /** Every event up to here is acknowledged by HQ. */
  private ackedThrough = 0;
  /** The last event announced (`event` emitted); every stored event counts as announced at open. */
  private announcedEvent = 0;
  /** Acknowledged events above the watermark (HQ may acknowledge batches out of order). */
  private readonly ackedAbove = new Set<number>();
  /** The watermark as last stored, and the store chain: one write at a time, each the latest mark. */
  private watermarkStored = 0;
  private watermarkWrite: Promise<void> = Promise.resolve();
  private writeFault: KioskError | null = null;
  private sealedBy: KioskError | null = null;
  private readonly head: ChainHeadFile;
  /** Chain head writes, one at a time in order (each is queued behind the one before). */
  private headQueue: Promise<void> = Promise.resolve();
  /** The last head written is plain and durable: nothing is left for the idle head to write. */
  private headSettled = true;
  /** When (the journal's clock) the last durable head was written; the store's opening counts as one. */
  private durableHeadAt = 0;
  /** Writes the durable head once no commit has resolved for HEAD_IDLE_MS. */
  private confirmTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolution of the durable groups, in write order, each once the chain head names it. */
  private resolving: Promise<void> = Promise.resolve();
  /** Latest durable snapshot of each open transaction written since the store was loaded. */
  private readonly openSnapshots = new Map<string, TxnRecord>();
  private readonly knownSnapshot = (serial: string): TxnRecord | undefined => this.openSnapshots.get(serial);
  private readonly totals: DayTotals;
  /** Why the per-date totals were counted again at the last open or check; null when they were sound. */
  dayTotalsRebuilt: RebuildReason = null;
  /** Problems found by the start-up check; non-empty means the kiosk must run in safe mode. */
  startupProblems: JournalProblem[] = [];

  constructor(private readonly opts: JournalOptions) {
    super();
    this.head = new ChainHeadFile(opts.path);
    this.totals = new DayTotals(opts.dayCut ?? (() => DEFAULT_DAY_CUT));
  }

  /** Per-business-date totals kept with every commit; `ready` false means read the journal instead. */
  get dayTotals(): DayTotals {
    return this.totals;
  }

  /**
   * Checks the per-date totals against the journal's end and the configured day cut, and counts
   * them again from the journal when they are missing, behind, unreadable or dated by another cut.
   * Runs between commits. Resolves with why they were counted again (null: they were sound).
   */
  checkDayTotals(): Promise<RebuildReason> {
    const run = async (): Promise<RebuildReason> => {
      const why = await this.totals.load(this.db, this.counters);
      this.dayTotalsRebuilt = why;
      if (why === null || this.sealedBy || this.writeFault) return why;
      const staged = await this.totals.recount(this.db, this.counters.event);
      await this.db.batch(staged.ops, { sync: true });
      this.totals.adopt(staged);
      return why;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  get path(): string {
    return this.opts.path;
  }
  get stationId(): string {
    return this.opts.stationId;
  }
  get raw(): JournalDb {
    return this.db;
  }
  get lastCounters(): Counters {
    return this.counters;
  }
  get balance(): BalanceState {
    return this.balanceState;
  }

  async open(): Promise<void> {
    await mkdir(this.opts.path, { recursive: true });
    await this.openDb();
    await this.ensureFormat();
    this.startupProblems = await this.loadState();
    if (this.startupProblems.length === 0) await this.checkDayTotals();
  }

  private async openDb(): Promise<void> {
    this.db = this.opts.openDb
      ? this.opts.openDb(this.opts.path)
      : new Level<string, string>(this.opts.path, JOURNAL_STORE_OPTIONS);
    try {
      await this.db.open();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') {
        throw new KioskError('KIOSK_E_JOURNAL_LOCKED', { field: this.opts.path, cause: e });
      }
      throw new KioskError('KIOSK_E_JOURNAL_CORRUPT', {
        field: this.opts.path,
        en: `cannot open journal: ${(e as Error).message}`,
        zh: '无法打开流水库',
        cause: e,
      });
    }
  }

  /**
   * After a write fault: reopens LevelDB (its state after an I/O error is unknown), proves that a
   * durable write succeeds again, and reloads and checks counters, balance, holds and the chain
   * end. Resolves when the journal takes writes again; `startupProblems` then lists what the reload
   * found (non-empty: safe mode). Throws while writes still fail (try again later).
   */
  async recover(): Promise<void> {
    if (!this.writeFault) return;
    if (this.sealedBy) throw this.sealedBy;
    await this.queue.catch(() => undefined);
    await this.headWritten();
    await this.head.close();
    if (this.db.status === 'open') await this.db.close().catch(() => undefined);
    await this.openDb();
    await this.db.put(PROBE_KEY, encodeValue({ at: this.opts.clock.now(), room: PROBE_ROOM }), {
      sync: true,
    });
    await this.db.del(PROBE_KEY, { sync: true });
    this.startupProblems = await this.loadState();
    this.writeFault = null;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.watermarkWrite.catch(() => undefined);
    await this.headWritten();
    clearTimeout(this.confirmTimer);
    if (!this.headSettled && !this.writeFault && !this.sealedBy) await this.queueHead(this.logEnd(), true);
    await this.head.close();
    if (this.db && this.db.status === 'open') await this.db.close();
  }

  private async ensureFormat(): Promise<void> {
    const rawFormat = await this.db.get(FORMAT_KEY);
    if (rawFormat === undefined) {
      const it = this.db.keys({ limit: 1 });
      const any = await it.next();
      await it.close();
      if (any !== undefined) {
        throw new KioskError('KIOSK_E_JOURNAL_VERSION', {
          field: FORMAT_KEY,
          zh: '流水库缺少版本记录',
          en: 'journal has data but no format record',
        });
      }
      await this.db.put(FORMAT_KEY, encodeValue({ version: JOURNAL_FORMAT_VERSION }), { sync: true });
      return;
    }
    const { version } = decodeValue<{ version: number }>(FORMAT_KEY, rawFormat);
    if (version > JOURNAL_FORMAT_VERSION) {
      throw new KioskError('KIOSK_E_JOURNAL_VERSION', {
        field: FORMAT_KEY,
        zh: `流水库版本 ${version} 高于本软件支持的 ${JOURNAL_FORMAT_VERSION}`,
        en: `journal format ${version} is newer than this software (${JOURNAL_FORMAT_VERSION})`,
      });
    }
    if (version < JOURNAL_FORMAT_VERSION) await runMigrations(this.db, version, JOURNAL_FORMAT_VERSION);
  }

  /**
   * Loads counters, balance and holds and checks that they agree with the last keys of the log.
   * Cheap (a handful of reads plus the open holds), so it runs on every start; `verifyJournal`
   * does the full scan.
   */
  private async loadState(): Promise<JournalProblem[]> {
    const problems: JournalProblem[] = [];
    const read = async <T>(key: string, fallback: T): Promise<T> => {
      const v = await this.db.get(key);
      if (v === undefined) return fallback;
      try {
        return decodeValue<T>(key, v);
      } catch (e) {
        problems.push(problemFrom(e, key));
        return fallback;
      }
    };
    this.openSnapshots.clear();
    this.counters = await read<Counters>(COUNTERS_KEY, { event: 0, serial: 0, ledger: 0 });
    this.ackedThrough = (await read<{ ackedThrough: number }>(OUTBOX_KEY, { ackedThrough: 0 })).ackedThrough;
    this.ackedAbove.clear();
    this.announcedEvent = this.counters.event;
    this.watermarkStored = this.ackedThrough;
    const bal = await read<BalanceRecord>(BALANCE_KEY, { balanceFen: 0, heldFen: 0 });
    const holds = new Map<string, number>();
    for await (const [key, value] of this.db.iterator(prefixRange('h:'))) {
      try {
        holds.set(lastSegment(key), decodeValue<{ fen: number }>(key, value).fen);
      } catch (e) {
        problems.push(problemFrom(e, key));
      }
    }
    this.balanceState = { balanceFen: bal.balanceFen, heldFen: bal.heldFen, holds };
    const heldSum = [...holds.values()].reduce((a, b) => a + b, 0);
    if (heldSum !== bal.heldFen) {
      problems.push({
        key: BALANCE_KEY,
        kind: 'balance',
        message: `held ${bal.heldFen} fen but open holds sum to ${heldSum}`,
      });
    }
    const checks: Array<[string, number, (n: number) => string]> = [
      ['e:', this.counters.event, eventKey],
      ['t:', this.counters.serial, (n) => txnKey(String(n).padStart(10, '0'))],
      ['l:', this.counters.ledger, ledgerKey],
    ];
    let lastEvent = 0;
    for (const [prefix, expected, keyOf] of checks) {
      const it = this.db.keys({ ...prefixRange(prefix), reverse: true, limit: 1 });
      const last = await it.next();
      await it.close();
      const lastNum = last === undefined ? 0 : Number(last.slice(2));
      if (prefix === 'e:') lastEvent = lastNum;
      if (lastNum !== expected) {
        problems.push({
          key: last ?? keyOf(expected),
          kind: 'counter',
          message: `last ${prefix} key is ${lastNum} but ${COUNTERS_KEY} says ${expected}`,
        });
      }
    }
    for (const serial of await this.openSerials()) {
      const v = await this.db.get(txnKey(serial));
      if (v === undefined) {
        problems.push({
          key: `i:n:${serial}`,
          kind: 'index',
          message: 'open index points to a missing transaction',
        });
        continue;
      }
      try {
        await readTxnValue(this.db, txnKey(serial), v);
      } catch (e) {
        problems.push(problemFrom(e, txnKey(serial)));
      }
    }
    const chain = await checkChainEnd(this.db, this.head, this.counters, lastEvent);
    problems.push(...chain.problems);
    if (chain.problems.length > 0) this.seal(chain.problems[0] as JournalProblem);
    else if (chain.write && chain.write.event === 0) await this.head.reset(chain.write);
    else if (chain.write) {
      // Into both slots, one at a time: the other slot may hold a head naming a group that never
      // became durable, and it must not outlive this one (a torn write still leaves one valid).
      await this.head.write(chain.write);
      await this.head.write(chain.write);
    }
    // The head on the disk names the log's end now.
    this.durableHeadAt = this.opts.clock.now();
    return problems;
  }

  /**
   * Refuses every further commit: committed events are missing, so writing on would reuse their
   * numbers and hide the loss. Only people repair such a store.
   */
  private seal(problem: JournalProblem): void {
    this.sealedBy ??= new KioskError('KIOSK_E_SAFE_MODE', {
      field: problem.key,
      zh: `流水库缺失已提交的记录，停止写入：${problem.message}`,
      en: `journal lost committed events; writes stopped: ${problem.message}`,
    });
  }

  /** Non-null when the journal refuses commits because committed events are missing. */
  get sealed(): KioskError | null {
    return this.sealedBy;
  }

  /** The chain head file beside the store (verify compares the log against it). */
  get chainHead(): ChainHeadFile {
    return this.head;
  }

  /**
   * Runs `build` against a fresh batch and writes the batch atomically with `sync: true`. `build`
   * may throw to abort (nothing of it is written). Resolves only once the batch is durable; the
   * events are then emitted. Commits run one at a time, in call order.
   *
   * Group commit: commits called while a write is in flight wait, and are then written together as
   * one LevelDB batch with one sync and one chain head write. Each `build` still sees the counters
   * and balance left by the commits before it (in the same group too), so holds and serials are
   * checked and handed out exactly as one by one; the group is atomic, so after a crash either every
   * commit of it is on disk or none, and none of them had resolved before it was durable.
   */
  commit<T>(build: (b: WriteBatch) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ build, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        this.queue = this.flush();
      }
    });
  }

  /** Writes waiting commits, a group at a time, until none are left. */
  private async flush(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        await this.writeGroup(group);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async writeGroup(group: PendingCommit[]): Promise<void> {
    const refusal = this.sealedBy ?? this.writeFault;
    if (refusal) {
      for (const c of group) c.reject(refusal);
      return;
    }
    const at = this.opts.clock.now();
    let counters = this.counters;
    let balance = this.balanceState;
    const built: Array<{ commit: PendingCommit; batch: WriteBatch; result: unknown }> = [];
    const ops: BatchOp[] = [];
    for (const commit of group) {
      const batch = new WriteBatch(at, this.opts.stationId, counters, balance);
      let result: unknown;
      try {
        result = commit.build(batch);
      } catch (e) {
        commit.reject(e);
        continue;
      }
      ops.push(...batch.finish());
      counters = batch.counters;
      balance = batch.balance;
      built.push({ commit, batch, result });
    }
    let staged: Staged | null = null;
    if (ops.length > 0) {
      const view = groupView(built.map((b) => b.batch));
      // Staged without waiting for the store unless a snapshot or order is not at hand.
      const missing = this.totals.ready ? this.totals.missing(view, this.knownSnapshot) : null;
      staged = this.stageTotals(view, missing ? await this.readForTotals(missing, view) : undefined);
      if (staged) ops.push(...staged.ops);
      else ops.push({ type: 'del', key: DAY_TOTALS_META_KEY });
      const chained = counters.event !== this.counters.event;
      // The head naming this group is written beside its batch, not after it: a step then waits for
      // one disk write, not two in a row. The head says where the log ended before the group (every
      // group before it is durable by now), so a crash that keeps the head but not the batch is told
      // apart from a lost tail; the group's commits resolve only once both writes are done.
      const covered = chained
        ? this.queueHead(
            aheadOf(this.logEnd(), { event: counters.event, chain: counters.chain ?? GENESIS }),
            'periodic',
          )
        : Promise.resolve();
      try {
        await writeOps(this.db, withoutOverwrittenState(ops));
      } catch (e) {
        const fault = this.fail(
          new KioskError('KIOSK_E_JOURNAL_WRITE', {
            en: `journal write failed: ${(e as Error).message}`,
            zh: `流水写入失败：${(e as Error).message}`,
            cause: e,
          }),
        );
        for (const b of built) b.commit.reject(fault);
        return;
      }
      this.counters = counters;
      this.balanceState = balance;
      if (staged) this.totals.adopt(staged);
      for (const b of built) for (const t of b.batch.txnsWritten) this.rememberSnapshot(t);
      // Callers hear of this group only once the head names it, so no side effect follows an
      // event the head misses; the next group goes to LevelDB meanwhile.
      this.resolving = Promise.all([this.resolving, covered]).then(() => {
        this.announce(built);
        if (chained) this.confirmWhenIdle();
      });
      return;
    }
    this.announce(built);
  }

  private announce(built: Array<{ commit: PendingCommit; batch: WriteBatch; result: unknown }>): void {
    for (const b of built) {
      b.batch.events.forEach((ev, i) => {
        this.announcedEvent = ev.seq;
        this.emit('event', ev, b.batch.eventTexts[i] as string);
      });
      b.commit.resolve(b.result);
    }
  }

  /**
   * The batch's changes to the per-date totals; null when they cannot be kept (not loaded, or a
   * record before this batch is unreadable: `got` null): the totals are then dropped until the next
   * check, and reports read the journal.
   */
  private stageTotals(batch: StagedBatch, got: TotalsLookups | null | undefined): Staged | null {
    if (!this.totals.ready) return null;
    try {
      if (got === null) throw new Error('the records staging needs are unreadable');
      return this.totals.stage(batch, this.knownSnapshot, got);
    } catch {
      this.totals.ready = false;
      return null;
    }
  }

  /** What staging a batch needs from the store; null when a record is unreadable. */
  private async readForTotals(missing: TotalsMissing, batch: StagedBatch): Promise<TotalsLookups | null> {
    try {
      return await this.totals.read(this.db, missing, batch);
    } catch {
      return null;
    }
  }

  /** The head naming the log's durable end (the counters adopted after the last written batch). */
  private logEnd(): ChainHead {
    return { event: this.counters.event, chain: this.counters.chain ?? GENESIS };
  }

  /**
   * Queues a chain head write behind the one before (resolves once it is done or has failed: a
   * failure refuses further commits, see writeHead). Nothing is written after a write fault.
   * `periodic`: durable when the last durable head is DURABLE_HEAD_WITHIN_MS old.
   */
  private queueHead(head: ChainHead, durable: boolean | 'periodic'): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.writeFault) return;
      const since = this.opts.clock.now() - this.durableHeadAt;
      // A clock set back (by hand or by the time service) makes the next head durable too.
      const due = since < 0 || since >= DURABLE_HEAD_WITHIN_MS;
      await this.writeHead(head, durable === 'periodic' ? due : durable);
    };
    const p = this.headQueue.then(run);
    this.headQueue = p;
    return p;
  }

  /**
   * A head written beside its group says the log may still end before the group, and it may be in
   * the page cache only; once no commit has resolved for HEAD_IDLE_MS, a plain durable head names
   * the durable end, so a group LevelDB loses after acknowledging it is caught at the next start,
   * even after a power cut. Waiting that long keeps the durable write out of the way of a run of
   * commits (a kiosk's next step follows within a round trip to HQ, if at all).
   */
  private confirmWhenIdle(): void {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      this.confirmTimer = undefined;
      if (this.flushing || this.waiting.length > 0 || this.headSettled) return;
      void this.queueHead(this.logEnd(), true);
    }, HEAD_IDLE_MS);
    this.confirmTimer.unref?.();
  }

  /**
   * Resolves once every commit asked for so far has been written (or refused) and resolved, and the
   * chain head names the last durable event: the journal is at rest.
   */
  async settled(): Promise<void> {
    for (;;) {
      const queue = this.queue;
      await queue.catch(() => undefined);
      await this.headWritten();
      if (queue === this.queue && !this.flushing) return;
    }
  }

  /** Resolves once the chain head names the last durable event and every commit has resolved. */
  async headWritten(): Promise<void> {
    for (;;) {
      const queued = this.headQueue;
      await queued;
      await this.resolving;
      if (queued === this.headQueue) return;
    }
  }

  /**
   * The snapshot a commit just made durable, for the next batch's per-date totals (they subtract
   * the snapshot replaced): kept while the transaction is open, so it is not read back.
   */
  private rememberSnapshot(t: TxnRecord): void {
    if (t.terminal) this.openSnapshots.delete(t.serial);
    else this.openSnapshots.set(t.serial, t);
  }

  /**
   * Writes the chain head for the last durable batch. The batch stands if this fails (the log is
   * only ever allowed to be ahead of the head), but the disk is failing: further commits are refused.
   */
  private async writeHead(head: ChainHead, durable: boolean): Promise<void> {
    try {
      await this.head.write(head, durable);
      if (durable) this.durableHeadAt = this.opts.clock.now();
      this.headSettled = durable && head.from === undefined;
    } catch (e) {
      this.fail(
        new KioskError('KIOSK_E_JOURNAL_WRITE', {
          en: `journal chain head write failed: ${(e as Error).message}`,
          zh: `流水链头写入失败：${(e as Error).message}`,
          cause: e,
        }),
      );
    }
  }

  private fail(fault: KioskError): KioskError {
    const first = this.writeFault === null;
    this.writeFault = fault;
    if (first) this.emit('fault', fault);
    return fault;
  }

  /** True once a write has failed; the journal refuses writes until reopened. */
  get faulted(): KioskError | null {
    return this.writeFault;
  }

  async getTxn(serial: string): Promise<TxnRecord | undefined> {
    const v = await this.db.get(txnKey(serial));
    return v === undefined ? undefined : readTxnValue(this.db, txnKey(serial), v);
  }

  async getEvent(seq: number): Promise<JournalEvent | undefined> {
    const v = await this.db.get(eventKey(seq));
    return v === undefined ? undefined : decodeValue<JournalEvent>(eventKey(seq), v);
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const v = await this.db.get(key);
    return v === undefined ? undefined : decodeValue<T>(key, v);
  }

  /** Serials of every non-terminal transaction, oldest first. */
  async openSerials(): Promise<string[]> {
    const out: string[] = [];
    for await (const key of this.db.keys(prefixRange('i:n:'))) out.push(lastSegment(key));
    return out;
  }

  /** Serials under an index prefix such as `i:d:20261126:` or `i:s:mobile-topup:`. */
  async indexSerials(prefix: string, opts: { limit?: number; reverse?: boolean } = {}): Promise<string[]> {
    const out: string[] = [];
    for await (const key of this.db.keys({
      ...prefixRange(prefix),
      limit: opts.limit ?? -1,
      reverse: opts.reverse ?? false,
    })) {
      out.push(lastSegment(key));
    }
    return out;
  }

  async *transactions(opts: { reverse?: boolean; limit?: number } = {}): AsyncGenerator<TxnRecord> {
    let chunk: Array<[string, string]> = [];
    for await (const entry of this.db.iterator({
      ...prefixRange('t:'),
      reverse: opts.reverse ?? false,
      limit: opts.limit ?? -1,
    })) {
      chunk.push(entry);
      if (chunk.length < TXN_CHUNK) continue;
      yield* await readTxnValues(this.db, chunk);
      chunk = [];
    }
    yield* await readTxnValues(this.db, chunk);
  }

  async *events(fromSeq = 1, limit = -1): AsyncGenerator<JournalEvent> {
    for await (const [key, value] of this.db.iterator({ gte: eventKey(fromSeq), lt: 'e:\xff', limit })) {
      yield decodeValue<JournalEvent>(key, value);
    }
  }

  async *ledgerEntries(opts: { reverse?: boolean; limit?: number } = {}): AsyncGenerator<LedgerEntry> {
    for await (const [key, value] of this.db.iterator({
      ...prefixRange('l:'),
      reverse: opts.reverse ?? false,
      limit: opts.limit ?? -1,
    })) {
      yield decodeValue<LedgerEntry>(key, value);
    }
  }

  /**
   * Event sequence numbers still waiting for HQ's acknowledgement, oldest first, from `fromSeq`.
   * The outbox is every event after the acknowledged watermark (`m:outbox`), minus the ones HQ has
   * acknowledged out of order since; nothing extra is written per event.
   */
  async outboxSeqs(fromSeq = 0, limit = -1): Promise<number[]> {
    const out: number[] = [];
    const start = Math.max(fromSeq, this.ackedThrough + 1);
    for await (const key of this.db.keys({ gte: eventKey(start), lt: 'e:\xff' })) {
      const seq = seqFromKey(key);
      if (this.ackedAbove.has(seq)) continue;
      out.push(seq);
      if (limit >= 0 && out.length >= limit) break;
    }
    return out;
  }

  /**
   * Up to `limit` events still waiting for HQ's acknowledgement, oldest first, from `fromSeq`, in
   * one read of the log (entries fetched `limit` at a time), skipping those acknowledged out of
   * order, each with its stored JSON text. `through` is the last sequence number the read covered:
   * every event up to it that is not among the entries is acknowledged (it is at least the last
   * event announced before the read began). What the relay reads when it cannot follow the commits.
   */
  async outboxEntries(fromSeq: number, limit: number): Promise<{ entries: OutboxEntry[]; through: number }> {
    const entries: OutboxEntry[] = [];
    const start = Math.max(fromSeq, this.ackedThrough + 1);
    // Events announced so far are durable, so the iterator (a snapshot taken now) holds them.
    let through = Math.max(start - 1, this.announcedEvent);
    const it = this.db.iterator({ gte: eventKey(start), lt: 'e:\xff' });
    try {
      while (entries.length < limit) {
        const got = await it.nextv(limit - entries.length);
        if (got.length === 0) break;
        for (const [key, value] of got) {
          const event = decodeValue<JournalEvent>(key, value);
          if (!this.ackedAbove.has(event.seq)) entries.push({ event, json: jsonOf(value) });
        }
      }
    } finally {
      await it.close();
    }
    const last = entries[entries.length - 1]?.event.seq;
    if (last !== undefined && entries.length >= limit) through = last;
    else if (last !== undefined) through = Math.max(through, last);
    return { entries, through };
  }

  /** The last event announced to `event` listeners (every event up to it is durable). */
  get lastAnnounced(): number {
    return this.announcedEvent;
  }

  /** HQ has acknowledged event `seq` (below the watermark or out of order above it). */
  isAcknowledged(seq: number): boolean {
    return seq <= this.ackedThrough || this.ackedAbove.has(seq);
  }

  /** Events written but not yet acknowledged by HQ. */
  outboxDepth(): number {
    return Math.max(0, this.counters.event - this.ackedThrough - this.ackedAbove.size);
  }

  /**
   * Records HQ's acknowledgement. The watermark advances over every contiguous acknowledged event,
   * never past one that is not (an acknowledgement above a gap waits in memory until the gap is
   * acknowledged), and is stored without fsync: losing it only makes the relay send again what HQ
   * already has, which HQ recognises by event id. The in-memory outbox changes before this
   * returns its promise (the relay may send on at once); the promise resolves once the watermark
   * it moved is stored. Stores are one at a time and each writes the latest mark, so acks that
   * come back to back cost one write and the stored mark never goes back.
   */
  async ackOutbox(seqs: readonly number[]): Promise<void> {
    const beyond = seqs.filter((s) => s > this.counters.event);
    if (beyond.length > 0) {
      const problem: JournalProblem = {
        key: eventKey(this.counters.event + 1),
        kind: 'chain',
        message: `HQ holds event ${Math.max(...beyond)} but the journal ends at event ${this.counters.event}: committed events are missing`,
      };
      this.seal(problem);
      this.emit('integrity', problem);
    }
    for (const s of seqs) if (s > this.ackedThrough && s <= this.counters.event) this.ackedAbove.add(s);
    const before = this.ackedThrough;
    while (this.ackedAbove.delete(this.ackedThrough + 1)) this.ackedThrough++;
    if (this.ackedThrough !== before) await this.storeWatermark();
  }

  private storeWatermark(): Promise<void> {
    const write = this.watermarkWrite
      .catch(() => undefined)
      .then(async () => {
        const mark = this.ackedThrough;
        if (mark <= this.watermarkStored) return;
        await this.db.put(OUTBOX_KEY, encodeValue({ ackedThrough: mark }));
        this.watermarkStored = Math.max(this.watermarkStored, mark);
      });
    this.watermarkWrite = write;
    return write;
  }

  /** Serials whose receipt is due (recorded with their final transition, not yet queued). */
  async receiptsDue(): Promise<string[]> {
    return this.indexSerials('q:');
  }

  /** The receipt of `serial` is in the print queue (which keeps it across restarts). */
  async receiptQueued(serial: string): Promise<void> {
    await this.db.del(receiptDueKey(serial), { sync: true });
  }

  async getOrder(id: string): Promise<OrderRecord | undefined> {
    return this.getJson<OrderRecord>(orderKey(id));
  }

  /** Ids of every order that is not final yet, oldest business date first. */
  async openOrderIds(): Promise<string[]> {
    return this.indexSerials('w:');
  }

  /** Orders of one business date (`o:<yyyymmdd>…`), in id order. */
  async *ordersOn(date: string): AsyncGenerator<OrderRecord> {
    for await (const [key, value] of this.db.iterator(prefixRange(`o:${date}`))) {
      yield decodeValue<OrderRecord>(key, value);
    }
  }

  async holdOf(serial: string): Promise<number | undefined> {
    return (await this.getJson<{ fen: number }>(holdKey(serial)))?.fen;
  }
}

export function problemFrom(e: unknown, key: string): JournalProblem {
  if (e instanceof CorruptRecordError) return { key: e.key, kind: e.why, message: e.message };
  return { key, kind: 'io', message: (e as Error).message };
}
