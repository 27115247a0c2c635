import type { JournalDb } from '../../src/journal/journal.ts';

type Write = (options?: { sync?: boolean }) => Promise<void>;
type Batch = { write: Write };

/**
 * Calls `before` ahead of every batch `db` writes, in either form (an op array, or a chained batch
 * at its `write`), with its sync option; `before` may throw to fail that write. Returns the undo.
 */
export function onBatchWrite(db: JournalDb, before: (sync: boolean) => void | Promise<void>): () => void {
  const target = db as unknown as { batch: (...args: unknown[]) => unknown };
  const real = target.batch;
  target.batch = function (this: unknown, ...args: unknown[]) {
    if (args.length === 0) {
      const chained = real.call(db) as Batch;
      const write = chained.write.bind(chained);
      chained.write = async (options) => {
        try {
          await before(options?.sync === true);
        } catch (e) {
          await (chained as unknown as { close: () => Promise<void> }).close();
          throw e;
        }
        return write(options);
      };
      return chained;
    }
    const options = args[1] as { sync?: boolean } | undefined;
    return (async () => {
      await before(options?.sync === true);
      return real.apply(db, args);
    })();
  };
  return () => {
    target.batch = real;
  };
}

/**
 * Makes every batch `db` writes skip the fsync (op arrays and chained batches alike): for filling
 * a journal before what is measured.
 */
export function writeWithoutSync(db: JournalDb): void {
  const realBatch = db.batch.bind(db) as (...args: unknown[]) => unknown;
  (db as unknown as { batch: unknown }).batch = (...args: unknown[]) => {
    if (args.length > 0) return realBatch(args[0], { sync: false });
    const chained = realBatch() as { write: (o?: object) => Promise<void> };
    const write = chained.write.bind(chained);
    chained.write = () => write({ sync: false });
    return chained;
  };
}
