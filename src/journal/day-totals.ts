import { businessDate } from '../core/business-day.ts';
import type { LedgerEntry } from '../core/ledger.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import {
  addLedgerEntry,
  addRow,
  contributionOf,
  emptyLedgerDay,
  emptyRow,
  isEmptyRow,
  type LedgerDay,
  type TallyRow,
  tallyKey,
} from '../reports/day-tally.ts';
import { type Tender, tenderOf } from '../reports/tender.ts';
import { decodeValue, encodeValue } from './codec.ts';
import {
  type DayTotalsEntry,
  dayRowKey,
  decodeDayTotalsEntry,
  encodeDatePart,
  encodeRow,
  splitDayTotalsKey,
} from './day-totals-codec.ts';
import {
  missingFor,
  orderOf,
  readLookups,
  readOrderTender,
  type StagedBatch,
  type TotalsLookups,
  type TotalsMissing,
  tenderWith,
} from './day-totals-reads.ts';
import { DAY_TOTALS_META_KEY, dayTotalsKey, prefixRange } from './keys.ts';
import type { Counters } from './records.ts';
import { readTxnValues, TXN_CHUNK } from './txn-records.ts';
import type { BatchOp } from './write-batch.ts';

export type { StagedBatch } from './day-totals-reads.ts';

/** Nothing read: what a batch whose snapshots and orders are all at hand is staged with. */
const NO_LOOKUPS: TotalsLookups = { txns: new Map(), orderTenders: new Map() };

/** Order tenders kept between steps (a transaction's steps each count it under its order's tender). */
export const ORDER_TENDERS_KEPT = 1024;

/**
 * Totals of one business date, kept in the same atomic batch as every transition and ledger entry
 * that changes them, so a report over past dates reads a few small records per date (stored as
 * `day-totals-codec.ts` lays them out: the ledger part and each row under keys of their own).
 * `rows`: the transactions of that business date by service, teller and tender. `ledger`: the
 * ledger entries made during that business date under the day cut `cut`; an entry written while
 * another cut was configured leaves `cut` empty (the ledger part is then read from the journal).
 */
export interface DayTotalsRecord {
  date: string;
  rows: TallyRow[];
  cut: string;
  ledger: LedgerDay;
}

/** Written with every batch: the totals are maintained through this event, in this record format. */
interface DayTotalsMeta {
  event: number;
  format?: number;
}

/**
 * Record format: 2 added the per-view entry counts of each date's ledger part; 3 stores each row
 * under its own key and every value as an array of integers.
 */
export const DAY_TOTALS_FORMAT = 3;

const metaValue = (event: number): string => encodeValue({ event, format: DAY_TOTALS_FORMAT });

type DbLike = {
  get(key: string): Promise<string | undefined>;
  getMany(keys: string[]): Promise<Array<string | undefined>>;
  iterator(o: { gte: string; lt: string }): AsyncIterable<[string, string]>;
};

/** Why the totals were rebuilt at start-up, or null when they were found consistent. */
export type RebuildReason = 'missing' | 'format' | 'behind' | 'damaged' | 'cut' | null;

/**
 * The per-date totals, all held in memory (a few hundred small records a year). `stage` computes
 * a batch's changes before it is written; `adopt` takes them once the batch is durable.
 */
export class DayTotals {
  private days = new Map<string, DayTotalsRecord>();
  /** Stored values by key, filled as they are written or first compared (see storedValue). */
  private values = new Map<string, string>();
  /** Order tenders read or written lately, by order id (see keepTender). */
  private readonly orderTenders = new Map<string, unknown>();
  /** False until loaded and found consistent (or rebuilt): reports then read the journal. */
  ready = false;

  constructor(private readonly dayCut: () => string) {}

  /** The totals of a date, if any transaction or ledger entry fell on it. */
  get(date: string): DayTotalsRecord | undefined {
    return this.days.get(date);
  }

  /** Every date's totals, in no particular order. */
  records(): IterableIterator<DayTotalsRecord> {
    return this.days.values();
  }

  /** The day cut new ledger entries are dated by. */
  get cut(): string {
    return this.dayCut();
  }

  /**
   * Loads every record and checks it is usable: maintained through the journal's last event,
   * every record readable and dated by the current cut. Returns why a rebuild is needed, or null.
   */
  async load(db: DbLike, counters: Counters): Promise<RebuildReason> {
    const lastEvent = counters.event;
    this.ready = false;
    this.days.clear();
    this.values.clear();
    const rawMeta = await db.get(DAY_TOTALS_META_KEY);
    if (rawMeta === undefined) {
      const empty = counters.event === 0 && counters.serial === 0 && counters.ledger === 0;
      return empty ? this.readyEmpty() : 'missing';
    }
    try {
      const meta = decodeValue<DayTotalsMeta>(DAY_TOTALS_META_KEY, rawMeta);
      if (meta.format !== DAY_TOTALS_FORMAT) return 'format';
      if (meta.event !== lastEvent) return 'behind';
      const entries: Array<DayTotalsEntry & { key: string }> = [];
      for await (const [key, value] of db.iterator(prefixRange('g:')))
        entries.push({ ...decodeDayTotalsEntry(key, value), key });
      const { days, orphans } = assembleDays(entries);
      if (orphans.length > 0) return 'damaged';
      this.days = days;
    } catch {
      return 'damaged';
    }
    const cut = this.dayCut();
    for (const rec of this.days.values()) if (rec.ledger.entries > 0 && rec.cut !== cut) return 'cut';
    this.ready = true;
    return null;
  }

  private readyEmpty(): null {
    this.ready = true;
    return null;
  }

  /**
   * Counts every date again from the snapshots and the ledger (one pass over each) and returns
   * the ops that replace every stored record; `adopt` the result once written.
   */
  async recount(db: DbLike, lastEvent: number): Promise<Staged> {
    const cut = this.dayCut();
    const days = new Map<string, DayTotalsRecord>();
    const ops: BatchOp[] = [];
    for await (const [key] of db.iterator(prefixRange('g:'))) ops.push({ type: 'del', key });
    const tenders = new Map<string, unknown>();
    const tender = async (t: TxnRecord): Promise<Tender> => {
      const id = orderOf(t);
      if (id === undefined) return tenderOf(t);
      if (!tenders.has(id)) tenders.set(id, await readOrderTender(db, id));
      return tenderWith(t, tenders.get(id));
    };
    let chunk: Array<[string, string]> = [];
    const count = async () => {
      for (const t of await readTxnValues(db, chunk))
        addTo(days, t.businessDate, cut, contributionOf(t, await tender(t)), 1);
      chunk = [];
    };
    for await (const entry of db.iterator(prefixRange('t:'))) {
      chunk.push(entry);
      if (chunk.length >= TXN_CHUNK) await count();
    }
    await count();
    for await (const [key, value] of db.iterator(prefixRange('l:'))) {
      const e = decodeValue<LedgerEntry>(key, value);
      addLedgerEntry(dayOf(days, businessDate(e.at, cut), cut).ledger, e);
    }
    const values = new Map<string, string | null>();
    const put = (key: string, value: string) => {
      values.set(key, value);
      ops.push({ type: 'put', key, value });
    };
    for (const rec of days.values()) {
      rec.rows = rec.rows.filter((r) => !isEmptyRow(r));
      put(dayTotalsKey(rec.date), encodeDatePart(rec.cut, rec.ledger));
      for (const row of rec.rows) put(dayRowKey(rec.date, row), encodeRow(row));
    }
    ops.push({ type: 'put', key: DAY_TOTALS_META_KEY, value: metaValue(lastEvent) });
    return { ops, days, values, replaceAll: true, tenders: new Map() };
  }

  /**
   * The changes a batch makes to the totals: each snapshot it writes replaces the contribution of
   * the snapshot before it (written earlier in the same batch, `known` to the caller as the stored
   * one, or in `got`), each ledger entry adds to its date. Only the records that change are
   * written: a date's ledger part when a ledger entry falls on it, each row a snapshot moves.
   * Writes nothing. `got` holds what `missing` named, read by `read`; a snapshot or order neither
   * at hand nor in it throws (the caller then drops the totals).
   */
  stage(
    batch: StagedBatch,
    known: (serial: string) => TxnRecord | undefined = () => undefined,
    got: TotalsLookups = NO_LOOKUPS,
  ): Staged {
    const cut = this.dayCut();
    const changed = new Map<string, DayTotalsRecord>();
    /** The rows each changed date's snapshots moved, by key. */
    const moved = new Map<string, Map<string, TallyRow>>();
    const working = (date: string): DayTotalsRecord => {
      let rec = changed.get(date);
      if (!rec) {
        const have = this.days.get(date);
        rec = have ? cloneRecord(have) : newRecord(date, cut);
        changed.set(date, rec);
        moved.set(date, new Map());
      }
      return rec;
    };
    // A row is copied the first time the batch moves it (the records in memory stay as stored).
    const move = (date: string, c: TallyRow, sign: 1 | -1) => {
      const rec = working(date);
      const rows = moved.get(date) as Map<string, TallyRow>;
      const key = dayRowKey(date, c);
      let row = rows.get(key);
      if (!row) {
        const at = rec.rows.findIndex((r) => tallyKey(r) === tallyKey(c));
        row = at >= 0 ? cloneRow(rec.rows[at] as TallyRow) : emptyRow(c.service, c.who, c.tender);
        if (at >= 0) rec.rows[at] = row;
        else {
          rec.rows.push(row);
          rec.rows.sort(byTallyKey);
        }
        rows.set(key, row);
      }
      addRow(row, c, sign);
    };
    const tender = (t: TxnRecord): Tender => {
      const id = orderOf(t);
      if (id === undefined) return tenderOf(t);
      const order = batch.ordersWritten.get(id);
      if (order) return tenderWith(t, (order as { tender?: unknown }).tender);
      if (got.orderTenders.has(id)) return tenderWith(t, got.orderTenders.get(id));
      if (this.orderTenders.has(id)) return tenderWith(t, this.orderTenders.get(id));
      throw new Error(`order ${id} was not read before staging`);
    };
    const latest = new Map<string, TxnRecord>();
    for (const t of batch.txnsWritten) {
      // A transaction the batch creates has no snapshot before it: nothing to read back.
      let before = latest.get(t.serial) ?? known(t.serial);
      if (!before && !batch.txnsCreated.has(t.serial)) {
        if (!got.txns.has(t.serial)) throw new Error(`snapshot ${t.serial} was not read before staging`);
        before = got.txns.get(t.serial);
      }
      latest.set(t.serial, t);
      const after = contributionOf(t, tender(t));
      if (before) {
        const was = contributionOf(before, tender(before));
        // A step that leaves the transaction's row and amounts as they were (an intent, say).
        if (before.businessDate === t.businessDate && sameContribution(was, after)) continue;
        move(before.businessDate, was, -1);
      }
      move(t.businessDate, after, 1);
    }
    for (const e of batch.ledgerEntries) {
      const rec = working(businessDate(e.at, cut));
      if (rec.ledger.entries > 0 && rec.cut !== cut) rec.cut = '';
      else if (rec.ledger.entries === 0) rec.cut = cut;
      addLedgerEntry(rec.ledger, e);
    }
    const ops: BatchOp[] = [];
    const values = new Map<string, string | null>();
    for (const [date, rec] of changed) {
      rec.rows = rec.rows.filter((r) => !isEmptyRow(r));
      const writes = ops.length;
      const dateKey = dayTotalsKey(date);
      const dateValue = encodeDatePart(rec.cut, rec.ledger);
      if (dateValue !== this.storedValue(dateKey)) {
        values.set(dateKey, dateValue);
        ops.push({ type: 'put', key: dateKey, value: dateValue });
      }
      for (const [key, row] of moved.get(date) ?? []) {
        const stored = this.storedValue(key);
        if (isEmptyRow(row)) {
          if (stored === undefined) continue;
          values.set(key, null);
          ops.push({ type: 'del', key });
          continue;
        }
        const value = encodeRow(row);
        // Changes that cancel out rewrite nothing.
        if (value === stored) continue;
        values.set(key, value);
        ops.push({ type: 'put', key, value });
      }
      if (ops.length === writes) changed.delete(date);
    }
    if (batch.ops.length > 0 || ops.length > 0)
      ops.push({
        type: 'put',
        key: DAY_TOTALS_META_KEY,
        value: metaValue(batch.counters.event),
      });
    const tenders = new Map(got.orderTenders);
    for (const [id, order] of batch.ordersWritten)
      tenders.set(id, (order as { tender?: unknown }).tender ?? null);
    return { ops, days: changed, values, replaceAll: false, tenders };
  }

  /** What staging `batch` must read from the store first; null when nothing (see `read`). */
  missing(batch: StagedBatch, known: (serial: string) => TxnRecord | undefined): TotalsMissing | null {
    return missingFor(batch, known, this.orderTenders);
  }

  /**
   * Reads what `missing` named. The order tenders read are kept with the batch's own once it is
   * durable (`adopt`): kept now, they could push out one that `missing` counted on.
   */
  read(db: DbLike, missing: TotalsMissing, batch: StagedBatch): Promise<TotalsLookups> {
    return readLookups(db, missing, this.orderTenders, batch.ordersWritten);
  }

  /** Keeps an order's tender field (an order's tender is set when it is made), the latest few. */
  private keepTender(id: string, tender: unknown): void {
    this.orderTenders.delete(id);
    this.orderTenders.set(id, tender);
    if (this.orderTenders.size > ORDER_TENDERS_KEPT) {
      const oldest = this.orderTenders.keys().next().value;
      if (oldest !== undefined) this.orderTenders.delete(oldest);
    }
  }

  /**
   * The stored value under a key of the totals as this process last wrote or read it (encoded
   * once), from the records in memory, which are what the store holds; undefined when not stored.
   */
  private storedValue(key: string): string | undefined {
    let v = this.values.get(key);
    if (v !== undefined) return v;
    const parts = splitDayTotalsKey(key);
    const had = parts && this.days.get(parts.date);
    if (!parts || !had) return undefined;
    if (parts.row === undefined) v = encodeDatePart(had.cut, had.ledger);
    else {
      const row = had.rows.find((r) => tallyKey(r) === parts.row);
      if (!row) return undefined;
      v = encodeRow(row);
    }
    this.values.set(key, v);
    return v;
  }

  /** Takes staged changes once their batch is durable. */
  adopt(staged: Staged): void {
    if (staged.replaceAll) {
      this.days = staged.days;
      this.values.clear();
    } else for (const [date, rec] of staged.days) this.days.set(date, rec);
    for (const [key, value] of staged.values) {
      if (value === null) this.values.delete(key);
      else this.values.set(key, value);
    }
    for (const [id, tender] of staged.tenders) this.keepTender(id, tender);
    if (staged.replaceAll) this.ready = true;
  }
}

/**
 * The records of each date from its stored entries (in key order: a date's ledger part before its
 * rows), and the keys of rows with no ledger part beside them (the totals always write it first).
 */
export function assembleDays(entries: ReadonlyArray<DayTotalsEntry & { key: string }>): {
  days: Map<string, DayTotalsRecord>;
  orphans: string[];
} {
  const days = new Map<string, DayTotalsRecord>();
  const orphans: string[] = [];
  for (const e of entries) {
    if (e.kind === 'date') {
      days.set(e.date, { date: e.date, rows: [], cut: e.cut, ledger: e.ledger });
      continue;
    }
    const rec = days.get(e.date);
    if (rec) rec.rows.push(e.row);
    else orphans.push(e.key);
  }
  for (const rec of days.values()) rec.rows.sort(byTallyKey);
  return { days, orphans };
}

const byTallyKey = (a: TallyRow, b: TallyRow): number => (tallyKey(a) < tallyKey(b) ? -1 : 1);

export interface Staged {
  ops: BatchOp[];
  days: Map<string, DayTotalsRecord>;
  /** The values written under each key of the totals (null: deleted). */
  values: Map<string, string | null>;
  replaceAll: boolean;
  /** The tender fields of the orders the batch writes or staging read (null: none), kept once it is durable. */
  tenders: Map<string, unknown>;
}

const newRecord = (date: string, cut: string): DayTotalsRecord => ({
  date,
  rows: [],
  cut,
  ledger: emptyLedgerDay(),
});

/** A copy to change; its rows are copied as they are changed (see `stage`). */
function cloneRecord(r: DayTotalsRecord): DayTotalsRecord {
  return {
    ...r,
    rows: [...r.rows],
    ledger: { ...r.ledger, counts: { ...r.ledger.counts } },
  };
}

function cloneRow(r: TallyRow): TallyRow {
  return {
    ...r,
    payments: { ...r.payments },
    reversals: { ...r.reversals },
    open: { ...r.open },
    failed: { ...r.failed },
  };
}

const sameTally = (a: TallyRow['open'], b: TallyRow['open']): boolean =>
  a.count === b.count && a.amountFen === b.amountFen && a.feeFen === b.feeFen;

function sameContribution(a: TallyRow, b: TallyRow): boolean {
  return (
    a.service === b.service &&
    a.who === b.who &&
    a.tender === b.tender &&
    a.recorded === b.recorded &&
    sameTally(a.payments, b.payments) &&
    sameTally(a.reversals, b.reversals) &&
    sameTally(a.open, b.open) &&
    sameTally(a.failed, b.failed)
  );
}

function dayOf(days: Map<string, DayTotalsRecord>, date: string, cut: string): DayTotalsRecord {
  let rec = days.get(date);
  if (!rec) {
    rec = newRecord(date, cut);
    days.set(date, rec);
  }
  return rec;
}

function addTo(
  days: Map<string, DayTotalsRecord>,
  date: string,
  cut: string,
  c: TallyRow,
  sign: 1 | -1,
): void {
  addRowTo(dayOf(days, date, cut), c, sign);
}

function addRowTo(rec: DayTotalsRecord, c: TallyRow, sign: 1 | -1): void {
  const key = tallyKey(c);
  let row = rec.rows.find((r) => tallyKey(r) === key);
  if (!row) {
    row = emptyRow(c.service, c.who, c.tender);
    rec.rows.push(row);
    rec.rows.sort(byTallyKey);
  }
  addRow(row, c, sign);
}
