import type { Level } from 'level';
import { type ChainHead, type ChainHeadFile, endsBeforeGroup, GENESIS, HEAD_FILE, link } from './chain.ts';
import { decodeValue, encodeValue } from './codec.ts';
import { COUNTERS_KEY, eventKey, prefixRange } from './keys.ts';
import type { Counters, JournalEvent } from './records.ts';

type Db = Level<string, string>;

export interface ChainProblem {
  key: string;
  kind: 'chain';
  message: string;
}

/** Chain value after event `seq` as stored, or null when the event is missing or unreadable. */
export async function chainAfter(db: Db, seq: number): Promise<string | null> {
  if (seq === 0) return GENESIS;
  const value = await db.get(eventKey(seq));
  if (value === undefined) return null;
  try {
    return link(decodeValue<JournalEvent>(eventKey(seq), value).prev ?? GENESIS, value);
  } catch {
    return null;
  }
}

/**
 * Start-up check of the log's end against the chain head kept outside LevelDB (a handful of reads).
 * The journal may be ahead of the head (a crash between the batch and the head write) but never
 * behind it, except where a head written beside its group's batch names a group that never became
 * durable (the log then ends exactly where the head says the group began); the event the head
 * names must be the one it hashed. Returns the problems and, when there are none, the head to
 * store now (null when the file is current).
 */
export async function checkChainEnd(
  db: Db,
  file: ChainHeadFile,
  counters: Counters,
  lastEvent: number,
): Promise<{ problems: ChainProblem[]; write: ChainHead | null }> {
  const problems: ChainProblem[] = [];
  const current: ChainHead = { event: counters.event, chain: counters.chain ?? GENESIS };
  const atEnd = await chainAfter(db, lastEvent);
  if (lastEvent === counters.event && atEnd !== null && atEnd !== current.chain) {
    problems.push({
      key: COUNTERS_KEY,
      kind: 'chain',
      message: `chain value after the last event (${lastEvent}) does not match ${COUNTERS_KEY}`,
    });
  }
  const { head, exists } = await file.read();
  if (!exists) {
    if (lastEvent === 0) return { problems, write: current };
    problems.push({
      key: HEAD_FILE,
      kind: 'chain',
      message: `chain head file ${file.path} is missing but the journal holds ${lastEvent} events`,
    });
    return { problems, write: null };
  }
  if (head === null) {
    problems.push({ key: HEAD_FILE, kind: 'chain', message: `chain head file ${file.path} is unreadable` });
    return { problems, write: null };
  }
  if (head.event > lastEvent && endsBeforeGroup(head, lastEvent, atEnd)) {
    // The head was written beside a group that never became durable: none of it was acknowledged.
    return { problems, write: problems.length === 0 ? current : null };
  }
  if (head.event > lastEvent) {
    problems.push({
      key: eventKey(lastEvent + 1),
      kind: 'chain',
      message: `events ${lastEvent + 1}–${head.event} were committed but are missing: the journal ends at event ${lastEvent} (chain head ${HEAD_FILE})`,
    });
    return { problems, write: null };
  }
  if ((await chainAfter(db, head.event)) !== head.chain) {
    problems.push({
      key: eventKey(head.event),
      kind: 'chain',
      message: `event ${head.event} is not the one committed (its chain value differs from ${HEAD_FILE})`,
    });
    return { problems, write: null };
  }
  const behind = head.event < current.event || head.chain !== current.chain || head.from !== undefined;
  return { problems, write: problems.length === 0 && behind ? current : null };
}

/**
 * Format 1 → 2: links every existing event into the chain (adds `prev`), stores the chain value in
 * the counters and writes the head file. Idempotent: a rerun recomputes the same values.
 */
export async function chainExistingEvents(db: Db, file: ChainHeadFile): Promise<void> {
  let chain = GENESIS;
  let last = 0;
  let ops: Array<{ type: 'put'; key: string; value: string }> = [];
  for await (const [key, value] of db.iterator(prefixRange('e:'))) {
    const ev = decodeValue<JournalEvent>(key, value);
    const linked = encodeValue({ ...ev, prev: chain });
    chain = link(chain, linked);
    last = ev.seq;
    ops.push({ type: 'put', key, value: linked });
    if (ops.length >= 1000) {
      await db.batch(ops, { sync: true });
      ops = [];
    }
  }
  const raw = await db.get(COUNTERS_KEY);
  const counters: Counters = raw
    ? decodeValue<Counters>(COUNTERS_KEY, raw)
    : { event: 0, serial: 0, ledger: 0 };
  ops.push({ type: 'put', key: COUNTERS_KEY, value: encodeValue({ ...counters, chain }) });
  await db.batch(ops, { sync: true });
  await file.reset({ event: last, chain });
  await file.close();
}
