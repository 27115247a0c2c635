import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JournalBatch } from '../../../src/protocol/schemas/index.ts';
import { JournalArchive } from '../../../src/reference-hq/journals.ts';
import { LevelHqStore } from '../../../src/reference-hq/store-level.ts';

const STATION = '33010078';
type Ev = JournalBatch['events'][number];

/** Event `seq`; even ones complete a transaction of November 2026 (counted once per serial). */
function ev(seq: number, station = STATION): Ev {
  const txn = { serial: `S${seq}`, result: 'succeeded', businessDate: '20261130' };
  return (seq % 2 === 0
    ? { seq, stationId: station, at: 1, type: 'txn.transition', txn }
    : { seq, stationId: station, at: 1, type: 'system', info: { n: seq } }) as unknown as Ev;
}
const evs = (from: number, to: number): Ev[] => Array.from({ length: to - from + 1 }, (_, i) => ev(from + i));

describe('HQ journal archive', () => {
  let dir: string;
  let store: LevelHqStore;
  let archive: JournalArchive;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-archive-'));
    store = new LevelHqStore(join(dir, 'hq'));
    await store.open();
    archive = new JournalArchive(store, () => 1_000);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('batches that arrive while a write is under way are stored together; each hears of its own events', async () => {
    const writes = vi.spyOn(store, 'batch');
    const results = await Promise.all([
      archive.storeBatch(STATION, evs(1, 3)),
      archive.storeBatch(STATION, evs(4, 6)),
      archive.storeBatch(STATION, evs(7, 9)),
    ]);
    expect(results.map((r) => r.acked)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    // The first alone, the two that queued behind it in one write.
    expect(writes).toHaveBeenCalledTimes(2);
    expect(await archive.meta(STATION)).toMatchObject({
      contiguous: 9,
      highest: 9,
      stored: 9,
      duplicates: 0,
    });
    expect((await archive.events(STATION)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('out of order: the contiguous mark waits at the gap and moves over it once the gap arrives', async () => {
    await archive.storeBatch(STATION, evs(4, 6));
    expect(await archive.meta(STATION)).toMatchObject({ contiguous: 0, highest: 6, gapSince: 1_000 });
    await archive.storeBatch(STATION, evs(1, 3));
    expect(await archive.meta(STATION)).toMatchObject({ contiguous: 6, highest: 6, gapSince: null });
  });

  it('a batch sent again is acknowledged again and neither stored nor counted twice', async () => {
    await archive.storeBatch(STATION, evs(1, 4));
    const [again, overlap] = await Promise.all([
      archive.storeBatch(STATION, evs(1, 4)),
      archive.storeBatch(STATION, evs(3, 6)),
    ]);
    expect(again.acked).toEqual([1, 2, 3, 4]);
    expect(overlap.acked).toEqual([3, 4, 5, 6]);
    expect(await archive.meta(STATION)).toMatchObject({ stored: 6, duplicates: 6, contiguous: 6 });
    expect(await archive.monthlyCounts(STATION)).toEqual({ '202611': 3 });
  });

  it('the same event twice in one group is stored and counted once', async () => {
    const [a, b] = await Promise.all([
      archive.storeBatch(STATION, evs(1, 1)),
      archive.storeBatch(STATION, evs(2, 2)),
      archive.storeBatch(STATION, evs(2, 2)),
    ]);
    expect([a?.acked, b?.acked]).toEqual([[1], [2]]);
    expect(await archive.meta(STATION)).toMatchObject({ stored: 2, duplicates: 1 });
    expect(await archive.monthlyCounts(STATION)).toEqual({ '202611': 1 });
  });

  it("never acknowledges another station's events", async () => {
    const r = await archive.storeBatch(STATION, [ev(1), ev(2, '33010099')]);
    expect(r.acked).toEqual([1]);
    expect(await archive.meta(STATION)).toMatchObject({ stored: 1, highest: 1 });
  });

  it('a failed write acknowledges nothing of its group, stores nothing, and the next batches still go', async () => {
    const write = store.batch.bind(store);
    // The first write goes through; the second, holding the two batches that queued behind it, fails.
    const writes = vi
      .spyOn(store, 'batch')
      .mockImplementationOnce(write)
      .mockRejectedValueOnce(new Error('disk full'));
    const first = archive.storeBatch(STATION, evs(1, 2));
    const failing = [archive.storeBatch(STATION, evs(3, 4)), archive.storeBatch(STATION, evs(5, 6))];
    expect((await first).acked).toEqual([1, 2]);
    await expect(failing[0]).rejects.toThrow('disk full');
    await expect(failing[1]).rejects.toThrow('disk full');
    expect(await archive.meta(STATION)).toMatchObject({ stored: 2, highest: 2, contiguous: 2 });
    expect((await archive.events(STATION)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await archive.storeBatch(STATION, evs(3, 6))).acked).toEqual([3, 4, 5, 6]);
    expect(writes).toHaveBeenCalledTimes(3);
    expect(await archive.meta(STATION)).toMatchObject({ stored: 6, contiguous: 6 });
  });
});
