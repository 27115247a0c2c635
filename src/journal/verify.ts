import { crc32 } from 'node:zlib';
import { type LedgerEntry, replayLedger } from '../core/ledger.ts';
import { isFinalOrder, type OrderRecord } from '../core/orders/order.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { endsBeforeGroup, GENESIS, HEAD_FILE, link } from './chain.ts';
import { decodeValue } from './codec.ts';
import { assembleDays, DAY_TOTALS_FORMAT } from './day-totals.ts';
import { checkDayTotals } from './day-totals-check.ts';
import { type DayTotalsEntry, decodeDayTotalsEntry } from './day-totals-codec.ts';
import { type Journal, type JournalProblem, problemFrom } from './journal.ts';
import {
  BALANCE_KEY,
  COUNTERS_KEY,
  DAY_TOTALS_META_KEY,
  dayIndexKey,
  eventKey,
  FORMAT_KEY,
  formatSerial,
  lastSegment,
  OUTBOX_KEY,
  openIndexKey,
  operatorIndexKey,
  pad16,
  serviceIndexKey,
} from './keys.ts';
import type { BalanceRecord, Counters, JournalEvent } from './records.ts';
import { isTxnPointer, snapshotInEvent, TXN_CHUNK, type TxnPointer } from './txn-records.ts';

/** A transaction event's serial, from the fields `WriteBatch.event` writes first. */
const TXN_EVENT =
  /^[0-9a-f]{8}\{"seq":\d+,"at":\d+,"stationId":"[^"]*","type":"txn\.[a-z]+","serial":"([^"]+)"/;

/** Bytes the scan reads from LevelDB per round trip. */
const SCAN_BYTES = 1 << 20;

/**
 * Sequence number and chain link of a stored event without parsing its JSON (the scan's hot path):
 * `seq` is the first field and `prev` the last, as `WriteBatch.event` writes them. The checksum is
 * still checked over the whole text. Null (parse it fully) for any other shape or a bad checksum.
 */
function eventHeader(value: string): Pick<JournalEvent, 'seq' | 'prev'> | null {
  const head = /^[0-9a-f]{8}\{"seq":(\d{1,16}),/.exec(value);
  const tail = /,"prev":"([0-9a-f]{32})"\}$/.exec(value.slice(-50));
  if (!head || !tail) return null;
  const json = value.slice(8);
  if (crc32(json).toString(16).padStart(8, '0') !== value.slice(0, 8)) return null;
  return { seq: Number(head[1]), prev: tail[1] as string };
}

export interface VerifyReport {
  ok: boolean;
  counts: {
    events: number;
    transactions: number;
    ledgerEntries: number;
    indexEntries: number;
    outbox: number;
  };
  problems: JournalProblem[];
}

/**
 * Full scan of the store: every value's checksum and decoding, gaps in the event, serial and ledger
 * sequences, the hash chain over the events and its head file (no committed event missing), index
 * entries against the snapshots (both directions), the outbox against the log, and the stored
 * balance against a replay of the ledger. Every problem is reported with its key; nothing is
 * skipped or repaired.
 */
export async function verifyJournal(journal: Journal): Promise<VerifyReport> {
  const db = journal.raw;
  const problems: JournalProblem[] = [];
  const counts = { events: 0, transactions: 0, ledgerEntries: 0, indexEntries: 0, outbox: 0 };
  const meta = new Map<string, unknown>();
  const txns = new Map<string, TxnRecord | null>();
  const expectedIndex = new Set<string>();
  const ledger: LedgerEntry[] = [];
  const dayTotalValues: Array<[string, string]> = [];
  const holds = new Map<string, number>();
  let lastEvent = 0;
  let lastSerial = 0;
  let lastLedger = 0;
  const indexKeys: string[] = [];
  const receiptKeys: string[] = [];
  const orders = new Map<string, OrderRecord>();
  const openOrderKeys: string[] = [];

  const decode = <T>(key: string, value: string): T | undefined => {
    try {
      return decodeValue<T>(key, value);
    } catch (e) {
      problems.push(problemFrom(e, key));
      return undefined;
    }
  };
  const expectIndexes = (txn: TxnRecord): void => {
    expectedIndex.add(dayIndexKey(txn.businessDate, txn.serial));
    expectedIndex.add(serviceIndexKey(txn.service, txn.serial));
    expectedIndex.add(operatorIndexKey(txn.operator, txn.serial));
    if (!txn.terminal) expectedIndex.add(openIndexKey(txn.serial));
  };
  // The last transaction event per serial seen by the scan (events sort before `t:`), so the
  // snapshot a `t:` record names is found without another read; other targets are read after.
  const lastTxnEvent = new Map<string, { seq: number; value: string }>();
  const pointers: Array<[string, number]> = [];
  const noteTxn = (key: string, serial: string, seq: number, value: string | undefined): void => {
    try {
      const txn = snapshotInEvent(key, serial, seq, value);
      txns.set(serial, txn);
      expectIndexes(txn);
    } catch (e) {
      txns.set(serial, null);
      problems.push(problemFrom(e, key));
    }
  };
  const gap = (key: string, expected: string): void => {
    problems.push({ key, kind: 'gap', message: `expected ${expected} before ${key}` });
  };

  // Read before the scan's snapshot is taken, so the head never names an event the scan cannot see.
  const head = await journal.chainHead.read().catch((e: unknown) => {
    problems.push({ key: HEAD_FILE, kind: 'chain', message: `cannot read: ${(e as Error).message}` });
    return { head: null, exists: true };
  });
  let chain = GENESIS;
  let chainAtHead: string | null = head.head?.event === 0 ? GENESIS : null;

  let lastKey = '';
  try {
    // Large reads: the scan gates selling at start-up, and LevelDB round trips dominate its time.
    for await (const [key, value] of db.iterator({ highWaterMarkBytes: SCAN_BYTES })) {
      lastKey = key;
      const p = key.slice(0, 2);
      if (p === 'e:') {
        counts.events++;
        const seq = Number(key.slice(2));
        if (seq !== lastEvent + 1) gap(key, `e:${pad16(lastEvent + 1)}`);
        lastEvent = seq;
        const ev = eventHeader(value) ?? decode<JournalEvent>(key, value);
        const carries = TXN_EVENT.exec(value);
        if (carries) lastTxnEvent.set(carries[1] as string, { seq, value });
        if (ev && ev.seq !== seq)
          problems.push({ key, kind: 'decode', message: `record says seq ${ev.seq}` });
        if (ev) {
          const prev = ev.prev ?? GENESIS;
          if (prev !== chain)
            problems.push({
              key,
              kind: 'chain',
              message: 'does not follow the event before it (hash chain)',
            });
          chain = link(prev, value);
          if (seq === head.head?.event) chainAtHead = chain;
        }
      } else if (p === 't:') {
        counts.transactions++;
        const n = Number(key.slice(2));
        if (n !== lastSerial + 1) gap(key, `t:${formatSerial(lastSerial + 1)}`);
        lastSerial = n;
        const body = decode<TxnRecord | TxnPointer>(key, value);
        const serial = key.slice(2);
        if (body && isTxnPointer(body)) {
          const carrier = lastTxnEvent.get(serial);
          lastTxnEvent.delete(serial);
          if (carrier?.seq === body.event) noteTxn(key, serial, body.event, carrier.value);
          else pointers.push([key, body.event]);
        } else {
          txns.set(serial, body ?? null);
          if (body) expectIndexes(body);
        }
      } else if (p === 'l:') {
        counts.ledgerEntries++;
        const seq = Number(key.slice(2));
        if (seq !== lastLedger + 1) gap(key, `l:${pad16(lastLedger + 1)}`);
        lastLedger = seq;
        const entry = decode<LedgerEntry>(key, value);
        if (entry) ledger.push(entry);
      } else if (p === 'h:') {
        const h = decode<{ fen: number }>(key, value);
        if (h) holds.set(lastSegment(key), h.fen);
      } else if (p === 'i:') {
        counts.indexEntries++;
        indexKeys.push(key);
      } else if (p === 'q:') {
        receiptKeys.push(key);
        decode<unknown>(key, value);
      } else if (p === 'o:') {
        const order = decode<OrderRecord>(key, value);
        if (order) orders.set(order.id, order);
      } else if (p === 'w:') {
        openOrderKeys.push(key);
      } else if (p === 'k:' || p === 'a:') {
        decode<unknown>(key, value);
      } else if (p === 'g:') {
        dayTotalValues.push([key, value]);
      } else if (p === 'm:' || p === 'p:' || p === 'c:' || p === 'r:') {
        const body = decode<unknown>(key, value);
        if (p === 'm:') meta.set(key, body);
      } else {
        problems.push({ key, kind: 'decode', message: 'key outside the journal layout' });
      }
    }
  } catch (e) {
    problems.push({
      key: lastKey || '(start)',
      kind: 'io',
      message: `store read failed after this key: ${(e as Error).message}`,
    });
  }

  lastTxnEvent.clear();
  for (let i = 0; i < pointers.length; i += TXN_CHUNK) {
    const part = pointers.slice(i, i + TXN_CHUNK);
    const values = await db.getMany(part.map(([, seq]) => eventKey(seq))).catch((e: unknown) => {
      problems.push({
        key: part[0]?.[0] ?? 't:',
        kind: 'io',
        message: `read failed: ${(e as Error).message}`,
      });
      return [];
    });
    part.forEach(([key, seq], n) => {
      noteTxn(key, key.slice(2), seq, values[n]);
    });
  }

  for (const key of indexKeys) {
    if (!expectedIndex.delete(key)) {
      const serial = lastSegment(key);
      const why = txns.has(serial)
        ? 'disagrees with the transaction snapshot'
        : 'points to a missing transaction';
      problems.push({ key, kind: 'index', message: `index entry ${why}` });
    }
  }
  for (const key of expectedIndex) {
    const serial = lastSegment(key);
    problems.push({ key, kind: 'index', message: `missing index entry for t:${serial}` });
  }
  for (const key of receiptKeys) {
    if (!txns.has(key.slice(2)))
      problems.push({ key, kind: 'index', message: 'receipt due for a missing transaction' });
  }
  for (const key of openOrderKeys) {
    const order = orders.get(key.slice(2));
    if (!order || isFinalOrder(order))
      problems.push({ key, kind: 'index', message: 'open-order entry for a missing or final order' });
  }
  for (const order of orders.values()) {
    if (!isFinalOrder(order) && !openOrderKeys.includes(`w:${order.id}`))
      problems.push({ key: `o:${order.id}`, kind: 'index', message: 'open order missing from w:' });
  }
  const outbox = meta.get(OUTBOX_KEY) as { ackedThrough: number } | undefined;
  if (outbox && outbox.ackedThrough > lastEvent) {
    problems.push({
      key: OUTBOX_KEY,
      kind: 'counter',
      message: `acknowledged through ${outbox.ackedThrough}, last event ${lastEvent}`,
    });
  }
  counts.outbox = Math.max(0, lastEvent - (outbox?.ackedThrough ?? 0));

  if (head.exists && head.head === null) {
    problems.push({ key: HEAD_FILE, kind: 'chain', message: 'chain head file is unreadable' });
  } else if (!head.exists && lastEvent > 0) {
    problems.push({
      key: HEAD_FILE,
      kind: 'chain',
      message: `missing, but the journal holds ${lastEvent} events`,
    });
  } else if (head.head && head.head.event > lastEvent) {
    // A head written beside a group still being written (or never made durable) names its end.
    if (!endsBeforeGroup(head.head, lastEvent, chain))
      problems.push({
        key: `e:${pad16(lastEvent + 1)}`,
        kind: 'chain',
        message: `events ${lastEvent + 1}–${head.head.event} were committed but are missing (chain head ${HEAD_FILE})`,
      });
  } else if (head.head && chainAtHead !== head.head.chain) {
    problems.push({
      key: `e:${pad16(head.head.event)}`,
      kind: 'chain',
      message: `not the event committed as ${head.head.event} (chain head ${HEAD_FILE} differs)`,
    });
  }
  // Totals in another record format (an older layout, left while the store is in safe mode) are
  // counted again at the next sound open: only their checksums are checked.
  const totalsMeta = meta.get(DAY_TOTALS_META_KEY) as { format?: number } | undefined;
  if (totalsMeta?.format !== DAY_TOTALS_FORMAT)
    for (const [key, value] of dayTotalValues) decode<unknown>(key, value);
  else {
    const entries: Array<DayTotalsEntry & { key: string }> = [];
    for (const [key, value] of dayTotalValues) {
      try {
        entries.push({ ...decodeDayTotalsEntry(key, value), key });
      } catch (e) {
        problems.push(problemFrom(e, key));
      }
    }
    const snapshots = [...txns.values()].filter((t): t is TxnRecord => t !== null);
    const { days, orphans } = assembleDays(entries);
    for (const key of orphans)
      problems.push({ key, kind: 'index', message: 'per-date totals row without its date record' });
    problems.push(...checkDayTotals(days, snapshots, orders, ledger, journal.dayTotals.cut));
  }
  if (!meta.has(FORMAT_KEY))
    problems.push({ key: FORMAT_KEY, kind: 'format', message: 'missing format record' });
  const counters = meta.get(COUNTERS_KEY) as Counters | undefined;
  const expect = counters ?? { event: 0, serial: 0, ledger: 0 };
  if (lastEvent > 0 && expect.event === lastEvent && (expect.chain ?? GENESIS) !== chain)
    problems.push({ key: COUNTERS_KEY, kind: 'chain', message: 'chain value differs from the event log' });
  if (expect.event !== lastEvent)
    problems.push({
      key: COUNTERS_KEY,
      kind: 'counter',
      message: `event counter ${expect.event}, last event ${lastEvent}`,
    });
  if (expect.serial !== lastSerial)
    problems.push({
      key: COUNTERS_KEY,
      kind: 'counter',
      message: `serial counter ${expect.serial}, last transaction ${lastSerial}`,
    });
  if (expect.ledger !== lastLedger)
    problems.push({
      key: COUNTERS_KEY,
      kind: 'counter',
      message: `ledger counter ${expect.ledger}, last entry ${lastLedger}`,
    });

  const replay = replayLedger(ledger);
  const bal = (meta.get(BALANCE_KEY) as BalanceRecord | undefined) ?? { balanceFen: 0, heldFen: 0 };
  if (replay.balanceFen !== bal.balanceFen || replay.heldFen !== bal.heldFen) {
    problems.push({
      key: BALANCE_KEY,
      kind: 'balance',
      message: `stored balance ${bal.balanceFen}/${bal.heldFen} fen, ledger gives ${replay.balanceFen}/${replay.heldFen}`,
    });
  }
  if (replay.balanceFen - replay.heldFen < 0) {
    problems.push({ key: BALANCE_KEY, kind: 'balance', message: 'available balance is below zero' });
  }
  for (const [serial, fen] of replay.holds) {
    if (holds.get(serial) !== fen)
      problems.push({
        key: `h:${serial}`,
        kind: 'balance',
        message: `ledger holds ${fen} fen for ${serial}`,
      });
  }
  for (const serial of holds.keys()) {
    if (!replay.holds.has(serial))
      problems.push({ key: `h:${serial}`, kind: 'balance', message: 'hold without an open ledger hold' });
  }
  return { ok: problems.length === 0, counts, problems };
}
