import { mkdir } from 'node:fs/promises';
import { Level } from 'level';
import { KeyedLocks } from './keyed-locks.ts';
import {
  encodeOrAbsent,
  encodeValue,
  type HqStore,
  KeyExistsError,
  type ListOptions,
  StoreConflictError,
  type StoreOp,
} from './store.ts';

/**
 * The HQ store in one process's LevelDB (every write `sync: true`): the embedded default. Several
 * HQ instances in this process may share it; locks are in-process, so `insert` and `expect` are
 * checked under the batch lock before the one atomic LevelDB batch.
 */
export class LevelHqStore implements HqStore {
  private db!: Level<string, string>;
  private readonly locks = new KeyedLocks();
  /** Batches with `insert`/`expect` ops run one at a time so their checks hold until they write. */
  private readonly checked = new KeyedLocks();

  constructor(private readonly path: string) {}

  async open(): Promise<void> {
    await mkdir(this.path, { recursive: true });
    this.db = new Level<string, string>(this.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.locks.idle();
    if (this.db?.status === 'open') await this.db.close();
  }

  async get<T>(key: string): Promise<T | undefined> {
    const v = await this.db.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async getMany<T>(keys: string[]): Promise<Array<T | undefined>> {
    const vs = await this.db.getMany(keys);
    return vs.map((v) => (v === undefined ? undefined : (JSON.parse(v) as T)));
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.db.put(key, encodeValue(value), { sync: true });
  }

  async del(key: string): Promise<void> {
    await this.db.del(key, { sync: true });
  }

  async batch(ops: readonly StoreOp[]): Promise<void> {
    if (ops.length === 0) return;
    // A chained batch: the array form copies and checks every operation again (about three times
    // the CPU per operation, measured), and a relayed journal batch is hundreds of puts.
    const write = async (): Promise<void> => {
      const batch = this.db.batch();
      try {
        for (const o of ops) {
          if (o.type === 'del') batch.del(o.key);
          else if (o.type !== 'expect') batch.put(o.key, encodeValue(o.value));
        }
      } catch (e) {
        await batch.close();
        throw e;
      }
      await batch.write({ sync: true });
    };
    if (!ops.some((o) => o.type === 'insert' || o.type === 'expect')) return void (await write());
    await this.checked.run('batch', async () => {
      for (const o of ops) {
        if (o.type === 'insert' && (await this.db.get(o.key)) !== undefined) throw new KeyExistsError(o.key);
        if (o.type === 'expect' && (await this.db.get(o.key)) !== encodeOrAbsent(o.value))
          throw new StoreConflictError(o.key);
      }
      await write();
    });
  }

  async *entries<T>(prefix: string, opts: ListOptions = {}): AsyncGenerator<[string, T]> {
    for await (const [k, v] of this.db.iterator({
      gte: prefix,
      lt: `${prefix}\xff`,
      limit: opts.limit ?? -1,
      reverse: opts.reverse ?? false,
    })) {
      yield [k, JSON.parse(v) as T];
    }
  }

  async list<T>(prefix: string, opts: ListOptions = {}): Promise<Array<[string, T]>> {
    const out: Array<[string, T]> = [];
    for await (const e of this.entries<T>(prefix, opts)) out.push(e);
    return out;
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }
}
