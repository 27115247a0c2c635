import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { Journal, type JournalDb } from '../../../src/journal/journal.ts';
import { DAY_TOTALS_META_KEY } from '../../../src/journal/keys.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import type { WriteBatch } from '../../../src/journal/write-batch.ts';
import { onBatchWrite } from '../../support/batch-writes.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { openKiosk, tempDir } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

const STATION = '11010001';

/** A real LevelDB whose batches are counted, and can be made to fail. */
function countingDb(path: string, state: { batches: number; syncs: number; failNext: boolean }): JournalDb {
  const db = new Level<string, string>(path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  onBatchWrite(db, (sync) => {
    state.batches++;
    if (sync) state.syncs++;
    if (state.failNext) {
      state.failNext = false;
      throw new Error('EIO: i/o error');
    }
  });
  return db;
}

let made = 0;
/** A hold and its event under a fresh name; resolves with the ledger entry's number. */
function sale(fen: number) {
  const serial = `S${++made}`;
  return (b: WriteBatch) => {
    const entry = b.ledger({ kind: 'hold', serial, fen });
    b.event({ type: 'ledger', serial, ledger: entry });
    return entry.seq;
  };
}

describe('journal group commit', () => {
  it('writes concurrent sales through the engine in fewer synced batches, and verifies clean', async () => {
    const d = await tempDir();
    const k = await openKiosk(d.path, new FakeHq());
    try {
      await k.balance.applyHqEvent({ kind: 'topup', fen: 1_000_00, ref: 'slip-1' });
      let syncs = 0;
      onBatchWrite(k.journal.raw, (sync) => {
        if (sync) syncs++;
      });
      const txns = await Promise.all(
        Array.from({ length: 8 }, () =>
          k.engine.create('test-bill', { phone: '13800138000', amount: '10' }, TELLER),
        ),
      );
      await Promise.all(txns.map((t) => k.engine.waitFor(t.serial, (x) => x.terminal)));
      // One by one this is 3 synced commits per sale (created + hold, intent, outcome + capture).
      expect(syncs).toBeLessThan(3 * 8);
      expect(new Set(txns.map((t) => t.serial)).size).toBe(8);
      const report = await verifyJournal(k.journal);
      expect(report.problems).toEqual([]);
      expect(k.journal.balance.heldFen).toBe(0);
      // The per-date totals staged for whole groups equal a full recount of the journal.
      const date = txns[0]?.businessDate ?? '';
      const grouped = structuredClone(k.journal.dayTotals.get(date));
      expect(grouped?.rows.length).toBeGreaterThan(0);
      await k.journal.raw.del(DAY_TOTALS_META_KEY);
      expect(await k.journal.checkDayTotals()).toBe('missing');
      expect(k.journal.dayTotals.get(date)).toEqual(grouped);
    } finally {
      await k.close();
      await d.cleanup();
    }
  });

  let dir: Awaited<ReturnType<typeof tempDir>>;
  let state: { batches: number; syncs: number; failNext: boolean };
  let journal: Journal;

  beforeEach(async () => {
    dir = await tempDir();
    state = { batches: 0, syncs: 0, failNext: false };
    journal = new Journal({
      path: dir.path,
      stationId: STATION,
      clock: systemClock,
      openDb: (p) => countingDb(p, state),
    });
    await journal.open();
    await journal.commit((b) => b.ledger({ kind: 'topup', fen: 100_00, ref: 'slip-1' }));
    state.batches = 0;
    state.syncs = 0;
  });

  afterEach(async () => {
    await journal.close();
    await dir.cleanup();
  });

  it('writes commits that arrive during a write as one synced batch, in call order', async () => {
    const seen: number[] = [];
    journal.on('event', (ev) => seen.push(ev.seq));
    const entries = await Promise.all(Array.from({ length: 10 }, () => journal.commit(sale(1_00))));
    expect(entries).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(state.syncs).toBe(2); // the first alone, the nine that queued behind it together
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(journal.balance.heldFen).toBe(10_00);
  });

  it('checks each hold against what the commits before it in the group left', async () => {
    const results = await Promise.allSettled([
      journal.commit(sale(1_00)),
      journal.commit(sale(60_00)),
      journal.commit(sale(60_00)),
      journal.commit(sale(39_00)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({
      code: 'KIOSK_E_INSUFFICIENT_BALANCE',
    });
    // The refused commit wrote nothing: the next one got the ledger number after the second.
    expect((results[3] as PromiseFulfilledResult<number>).value).toBe(4);
    expect(journal.balance.heldFen).toBe(100_00);
  });

  it('fails every commit of a group whose write fails, keeps none of them, and refuses more', async () => {
    await journal.commit(sale(1_00));
    await journal.commit(sale(1_00));
    state.failNext = true;
    const group = [journal.commit(sale(1_00)), journal.commit(sale(1_00)), journal.commit(sale(1_00))];
    for (const r of await Promise.allSettled(group))
      expect(r).toMatchObject({ status: 'rejected', reason: { code: 'KIOSK_E_JOURNAL_WRITE' } });
    await expect(journal.commit(sale(1_00))).rejects.toMatchObject({ code: 'KIOSK_E_JOURNAL_WRITE' });
    await journal.close();
    const reopened = new Journal({ path: dir.path, stationId: STATION, clock: systemClock });
    await reopened.open();
    expect(reopened.lastCounters.ledger).toBe(3);
    expect(reopened.balance.heldFen).toBe(2_00);
    expect(reopened.startupProblems).toEqual([]);
    journal = reopened;
  });
});
