import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { JOURNAL_STORE_OPTIONS } from '../../../src/journal/store-options.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

/**
 * The journal's LevelDB store keeps its native memory within the bounds of JOURNAL_STORE_OPTIONS:
 * after ~12 MiB of journal-like JSON records were written and every one read back (which fills
 * LevelDB's default 8 MiB block cache: compressed blocks are cached once decompressed), the store's
 * own figure of the memory it holds (block cache and memtables) stays within the 2 MiB block cache
 * plus one memtable.
 */
describe('journal store memory', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('bounds the block cache and the write buffer whatever has been read', async () => {
    const journal = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await journal.open();
    const db = journal.raw as unknown as {
      batch(ops: unknown[], o: { sync: boolean }): Promise<void>;
      get(k: string, o?: { fillCache: boolean }): Promise<string | undefined>;
      getProperty(p: string): string;
    };
    // Test records outside the journal's layout, ~600 bytes of JSON each (compressible, as the journal's).
    const keys: string[] = [];
    for (let b = 0; b < 160; b++) {
      const ops = Array.from({ length: 128 }, (_, i) => {
        const key = `z:${String(b * 128 + i).padStart(8, '0')}`;
        keys.push(key);
        const steps = Array.from({ length: 20 }, (_, s) => ({
          state: 'paying',
          at: 1e12 + s * Math.random(),
        }));
        return { type: 'put', key, value: JSON.stringify({ serial: key, amount: Math.random(), steps }) };
      });
      await db.batch(ops, { sync: false });
    }
    for (const k of keys) expect(await db.get(k, { fillCache: true })).toContain(k);
    const held = Number(db.getProperty('leveldb.approximate-memory-usage'));
    expect(held).toBeGreaterThan(JOURNAL_STORE_OPTIONS.cacheSize / 2);
    expect(held).toBeLessThanOrEqual(JOURNAL_STORE_OPTIONS.cacheSize + JOURNAL_STORE_OPTIONS.writeBufferSize);
    await journal.close();
  }, 60_000);
});
