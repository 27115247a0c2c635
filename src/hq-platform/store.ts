import { mkdir } from 'node:fs/promises';
import { Level } from 'level';

/**
 * The reference HQ's durable state (LevelDB, every write `sync: true`). Several HQ instances in one
 * process share one store; a fleet would put the same interface over a shared database.
 *
 *   j:<station>:<seq16>        relayed journal event
 *   jm:<station>               { contiguous, highest, stored, duplicates, gapSince }
 *   st:<station>               station registry: presence, last telemetry, groups, region, services
 *   a:<station>                prepaid account { balanceFen }
 *   ar:<ref>                   account reference already applied (written with the change and the
 *                              biller record that causes it, in one batch)
 *   i:<station>:<key>          first answer to a state-changing request (idempotency)
 *   cs:<station>               last command sequence number
 *   cp:<station>:<seq16>       command sent and not yet answered by the kiosk (re-sent on birth)
 *   cr:<station>:<seq16>       command result
 *   mc:<station>:<yyyymm>      completed transactions of the month
 *   ms:<station>:<serial>      serial already counted
 *   b:<service>:<key>          biller records (each biller owns its sub-keys)
 */
export class HqStore {
  private db!: Level<string, string>;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly path: string) {}

  async open(): Promise<void> {
    await mkdir(this.path, { recursive: true });
    this.db = new Level<string, string>(this.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await this.db.open();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.locks.values()]);
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
    await this.db.put(key, JSON.stringify(value), { sync: true });
  }

  async del(key: string): Promise<void> {
    await this.db.del(key, { sync: true });
  }

  /** One atomic, durable write. */
  async batch(ops: readonly StoreOp[]): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(
      ops.map((o) => (o.type === 'put' ? { type: 'put', key: o.key, value: JSON.stringify(o.value) } : o)),
      { sync: true },
    );
  }

  async *entries<T>(
    prefix: string,
    opts: { limit?: number; reverse?: boolean } = {},
  ): AsyncGenerator<[string, T]> {
    for await (const [k, v] of this.db.iterator({
      gte: prefix,
      lt: `${prefix}\xff`,
      limit: opts.limit ?? -1,
      reverse: opts.reverse ?? false,
    })) {
      yield [k, JSON.parse(v) as T];
    }
  }

  async list<T>(
    prefix: string,
    opts: { limit?: number; reverse?: boolean } = {},
  ): Promise<Array<[string, T]>> {
    const out: Array<[string, T]> = [];
    for await (const e of this.entries<T>(prefix, opts)) out.push(e);
    return out;
  }

  /**
   * Runs `fn` with `key` locked against every other caller in this process (the HQ instances that
   * share this store), so one request is never processed twice at the same time.
   */
  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }
}

/** One operation of an atomic batch; values are stored as JSON. */
export type StoreOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

export const pad16 = (n: number): string => String(n).padStart(16, '0');
