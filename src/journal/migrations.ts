import { Level } from 'level';
import { KioskError } from '../core/errors.ts';
import { ChainHeadFile } from './chain.ts';
import { chainExistingEvents } from './chain-check.ts';
import { encodeValue } from './codec.ts';
import { FORMAT_KEY } from './keys.ts';

type Db = Level<string, string>;

/**
 * Numbered migrations: MIGRATIONS[n] turns a version-n store into version n+1, in place, and must
 * be idempotent (a crash mid-migration reruns it). Version 1 is the first released format.
 */
export type Migration = (db: Db) => Promise<void>;
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  /** 1 → 2: the hash chain over events and its head file. */
  1: (db) => chainExistingEvents(db, new ChainHeadFile(db.location)),
  /**
   * 2 → 3: a `t:` record may name the event holding the snapshot (`txn-records.ts`). Records that
   * hold the snapshot itself stay readable as they are, so nothing is rewritten; the version
   * keeps older software, which cannot read the new records, from opening the store.
   */
  2: async () => undefined,
};

/**
 * Copies every key to `<path>.backup-v<from>` (a separate LevelDB) before the first step, then
 * runs the steps in order, bumping the format record after each.
 */
export async function runMigrations(
  db: Db,
  from: number,
  to: number,
  table: Readonly<Record<number, Migration>> = MIGRATIONS,
  backupPath?: string,
): Promise<void> {
  for (let v = from; v < to; v++) {
    if (!table[v]) {
      throw new KioskError('KIOSK_E_JOURNAL_VERSION', {
        field: FORMAT_KEY,
        zh: `没有从版本 ${v} 升级的迁移`,
        en: `no migration from format ${v}`,
      });
    }
  }
  const backup = new Level<string, string>(backupPath ?? `${db.location}.backup-v${from}`, {
    keyEncoding: 'utf8',
    valueEncoding: 'utf8',
  });
  await backup.open();
  try {
    let ops: Array<{ type: 'put'; key: string; value: string }> = [];
    for await (const [key, value] of db.iterator()) {
      ops.push({ type: 'put', key, value });
      if (ops.length >= 1000) {
        await backup.batch(ops);
        ops = [];
      }
    }
    await backup.batch(ops, { sync: true });
  } finally {
    await backup.close();
  }
  for (let v = from; v < to; v++) {
    await table[v]!(db);
    await db.put(FORMAT_KEY, encodeValue({ version: v + 1 }), { sync: true });
  }
}
