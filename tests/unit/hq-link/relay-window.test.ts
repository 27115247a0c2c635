import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { journalPayload } from '../../../src/hq-link/journal-for-hq.ts';
import { type OutboxBatch, OutboxRelay, type RelayOptions } from '../../../src/hq-link/relay.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import type { JournalBatch } from '../../../src/protocol/schemas/index.ts';

const STATION = '33010077';
const OPTS: RelayOptions = { batchMax: 2, inflightMax: 3, ackTimeoutMs: 5000 };

/** The HQ side of the wire as the relay sees it: records every message as sent; PUBACK at once. */
class RecordingTransport {
  connected = true;
  readonly sent: JournalBatch[] = [];
  failNext = false;

  async publishJournal(batch: OutboxBatch): Promise<void> {
    this.sent.push(JSON.parse(journalPayload(batch, () => undefined)) as JournalBatch);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection reset');
    }
  }

  /** Sequence numbers of each batch sent from `from` on. */
  seqs(from = 0): number[][] {
    return this.sent.slice(from).map((b) => b.events.map((e) => e.seq));
  }
}

describe('journal relay window', () => {
  let dir: string;
  let journal: Journal;
  let transport: RecordingTransport;
  let relay: OutboxRelay;
  let now: number;

  const openJournal = async (): Promise<Journal> => {
    const j = new Journal({ path: join(dir, 'journal'), stationId: STATION, clock: systemClock });
    await j.open();
    return j;
  };
  const write = async (n: number): Promise<void> => {
    await journal.commit((b) => {
      for (let i = 0; i < n; i++) b.event({ type: 'system', info: { n: i } });
    });
  };
  const startRelay = (opts: RelayOptions = OPTS): OutboxRelay => {
    relay = new OutboxRelay(
      journal,
      transport,
      () => opts,
      silentLogger(),
      () => now,
    );
    relay.start();
    return relay;
  };
  /** What a fresh start of the kiosk would find in the outbox: the stored watermark, nothing else. */
  const outboxAfterRestart = async (): Promise<number[]> => {
    relay.stop();
    await journal.close();
    journal = await openJournal();
    return journal.outboxSeqs();
  };

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    now = 1_000_000;
    dir = await mkdtemp(join(tmpdir(), 'relay-window-'));
    journal = await openJournal();
    transport = new RecordingTransport();
  });

  afterEach(async () => {
    relay?.stop();
    vi.useRealTimers();
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps up to inflightMax batches unacknowledged and sends the next one as each is acknowledged', async () => {
    await write(10);
    startRelay();
    await relay.whenIdle();
    expect(transport.seqs()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(relay.inFlightBatches).toBe(3);
    await relay.acknowledge([[1, 2]]);
    await relay.whenIdle();
    expect(transport.seqs(3)).toEqual([[7, 8]]);
    expect(relay.stats.peakInFlight).toBe(3);
  });

  it('an ack out of order is kept, and the watermark never moves past an unacknowledged event', async () => {
    await write(10);
    startRelay();
    await relay.whenIdle();
    await relay.acknowledge([[5, 6]]);
    await relay.acknowledge([[3, 4]]);
    await relay.whenIdle();
    // Two batches left the window: the next two went out; 1 and 2 still wait.
    expect(transport.seqs(3)).toEqual([
      [7, 8],
      [9, 10],
    ]);
    expect(await journal.outboxSeqs()).toEqual([1, 2, 7, 8, 9, 10]);
    expect(journal.outboxDepth()).toBe(6);
    // Nothing above the gap was stored as acknowledged: a crash now re-sends 1..10.
    expect(await outboxAfterRestart()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('the watermark moves over the contiguous prefix once the gap is acknowledged', async () => {
    await write(10);
    startRelay();
    await relay.whenIdle();
    await relay.acknowledge([[3, 6]]);
    await relay.acknowledge([[1, 2]]);
    expect(journal.outboxDepth()).toBe(4);
    expect(await outboxAfterRestart()).toEqual([7, 8, 9, 10]);
  });

  it('a reconnect sends every unacknowledged event again with the same sequence numbers and content', async () => {
    await write(10);
    startRelay();
    await relay.whenIdle();
    const first = transport.sent.flatMap((b) => b.events);
    await relay.acknowledge([[3, 4]]);
    await relay.whenIdle();
    transport.connected = false;
    const before = transport.sent.length;
    transport.connected = true;
    relay.restart();
    await relay.whenIdle();
    expect(transport.seqs(before)).toEqual([
      [1, 2],
      [5, 6],
      [7, 8],
    ]);
    const again = transport.sent.slice(before).flatMap((b) => b.events);
    for (const ev of again.filter((e) => e.seq <= 6)) expect(ev).toEqual(first.find((e) => e.seq === ev.seq));
  });

  it('offline, nothing is sent; the window fills on the reconnect', async () => {
    transport.connected = false;
    await write(4);
    startRelay();
    await relay.whenIdle();
    expect(transport.sent).toHaveLength(0);
    transport.connected = true;
    relay.restart();
    await relay.whenIdle();
    expect(transport.seqs()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('an overdue ack sends the unacknowledged window again, not before ackTimeoutMs', async () => {
    await write(6);
    startRelay();
    await relay.whenIdle();
    await relay.acknowledge([[3, 4]]);
    now += OPTS.ackTimeoutMs - 1;
    vi.advanceTimersByTime(OPTS.ackTimeoutMs - 1);
    await relay.whenIdle();
    expect(transport.sent).toHaveLength(3);
    now += 1;
    vi.advanceTimersByTime(1);
    await relay.whenIdle();
    expect(transport.seqs(3)).toEqual([
      [1, 2],
      [5, 6],
    ]);
    expect(relay.stats.resends).toBe(1);
  });

  it('a failed publish sends the window again from the oldest unacknowledged event', async () => {
    await write(6);
    transport.failNext = true;
    startRelay();
    await relay.whenIdle();
    await vi.waitUntil(() => relay.stats.resends === 1, { interval: 1, timeout: 60_000 });
    await relay.whenIdle();
    expect(transport.seqs().at(-3)).toEqual([1, 2]);
    expect(transport.seqs().slice(-3)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('a read under way when the window restarts is dropped: the new window starts at the oldest unacknowledged event', async () => {
    await write(4);
    // The first read of the log is held until the window has restarted (a reconnect while it ran).
    const read = journal.outboxEntries.bind(journal);
    let release = (): void => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const spy = vi.spyOn(journal, 'outboxEntries').mockImplementationOnce(async (from, limit) => {
      const got = await read(from, limit);
      await held;
      return got;
    });
    startRelay({ ...OPTS, inflightMax: 2 });
    await vi.waitUntil(() => spy.mock.calls.length === 1, { interval: 1, timeout: 60_000 });
    relay.restart();
    release();
    await relay.whenIdle();
    // The held read sent nothing; the restarted window sent 1..4 once, in order.
    expect(transport.seqs()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('follows the commits: events written while it runs are sent as stored, without reading the log again', async () => {
    startRelay({ ...OPTS, inflightMax: 8 });
    await relay.whenIdle();
    const reads = vi.spyOn(journal, 'outboxEntries');
    for (let i = 0; i < 5; i++) await write(2);
    await relay.whenIdle();
    expect(reads).not.toHaveBeenCalled();
    expect(transport.seqs()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
    const stored = [];
    for await (const ev of journal.events(1)) stored.push(ev);
    expect(transport.sent.flatMap((b) => b.events)).toEqual(stored);
  });

  it('past one window queued it reads the log instead, and still sends every event once, in order', async () => {
    startRelay();
    await relay.whenIdle();
    const reads = vi.spyOn(journal, 'outboxEntries');
    // One window (3 batches of 2) in flight, one window (6 events) queued, the rest left in the log.
    await write(30);
    await relay.whenIdle();
    expect(transport.seqs()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    for (let first = 1; first < 30; first += 2) {
      await relay.acknowledge([[first, first + 1]]);
      await relay.whenIdle();
    }
    expect(transport.seqs().flat()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(journal.outboxDepth()).toBe(0);
    expect(reads).toHaveBeenCalled();
  });

  it('an event HQ acknowledges before it is sent (HQ already holds it) is not sent', async () => {
    startRelay({ ...OPTS, inflightMax: 1 });
    await write(6);
    await relay.whenIdle();
    expect(transport.seqs()).toEqual([[1, 2]]);
    await relay.acknowledge([[3, 4]]);
    await relay.acknowledge([[1, 2]]);
    await relay.whenIdle();
    expect(transport.seqs()).toEqual([
      [1, 2],
      [5, 6],
    ]);
  });

  it('an acknowledgement beyond the last event written seals the journal: committed events were lost', async () => {
    await write(2);
    startRelay();
    await relay.whenIdle();
    await relay.acknowledge([[1, 5]]);
    expect(journal.sealed).toBeTruthy();
  });
});
