import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
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

/** The one table: keys sort bytewise ("C" collation, like LevelDB); values are JSON text, kept as written. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS hq_kv (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL,
  -- zero credit line: no prepaid account below zero, whatever writes it
  CONSTRAINT hq_kv_account_not_negative
    CHECK (left(key, 2) <> 'a:' OR (value::jsonb ->> 'balanceFen')::bigint >= 0)
)`;
/** Serialises the schema creation of instances starting together (advisory lock id). */
const SCHEMA_LOCK = 7_310_417;
const PAGE = 500;
const UNIQUE_VIOLATION = '23505';

/**
 * The HQ store in PostgreSQL, shared by any number of HQ instances in any number of processes.
 * Every batch is one SQL transaction (committed durably, `synchronous_commit` as the server has it);
 * an `insert` is a plain INSERT, so the primary key makes an idempotency reference unique even
 * across instances; an `expect` reads its row FOR UPDATE inside the transaction.
 *
 * `withLock` is a session advisory lock held on one connection of this instance: callers of one key
 * in this process queue in-process first, then the lock is taken with `pg_try_advisory_lock`, polled
 * with jittered back-off (1–50 ms), so waiting never holds a pool connection. A killed instance's
 * locks end with its connection. If the lock connection fails, every later call of this store
 * throws: nothing runs unlocked.
 */
export class PgHqStore implements HqStore {
  private readonly pool: pg.Pool;
  private lockClient: pg.PoolClient | null = null;
  private lockFailure: Error | null = null;
  private readonly locks = new KeyedLocks();
  /** The lock connection runs one statement at a time. */
  private readonly lockQueue = new KeyedLocks();

  constructor(
    readonly url: string,
    poolSize = 8,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize + 1 });
    // An idle client's error (the server went away) surfaces on the next query instead.
    this.pool.on('error', () => undefined);
  }

  async open(): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await c.query(SCHEMA);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
    this.lockClient = await this.pool.connect();
    this.lockClient.on('error', (e) => {
      this.lockFailure = e;
    });
  }

  async close(): Promise<void> {
    await this.locks.idle();
    this.lockClient?.release();
    this.lockClient = null;
    await this.pool.end();
  }

  async get<T>(key: string): Promise<T | undefined> {
    const r = await this.query('SELECT value FROM hq_kv WHERE key = $1', [key]);
    const v = r.rows[0]?.value as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async getMany<T>(keys: string[]): Promise<Array<T | undefined>> {
    if (keys.length === 0) return [];
    const r = await this.query('SELECT key, value FROM hq_kv WHERE key = ANY($1::text[])', [keys]);
    const found = new Map(r.rows.map((row) => [row.key as string, row.value as string]));
    return keys.map((k) => {
      const v = found.get(k);
      return v === undefined ? undefined : (JSON.parse(v) as T);
    });
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.batch([{ type: 'put', key, value }]);
  }

  async del(key: string): Promise<void> {
    await this.batch([{ type: 'del', key }]);
  }

  async batch(ops: readonly StoreOp[]): Promise<void> {
    if (ops.length === 0) return;
    this.healthy();
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      for (const o of ops) await this.apply(c, o);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      const code = (e as { code?: string }).code;
      const insert = ops.find(
        (o) => o.type === 'insert' && (e as { detail?: string }).detail?.includes(o.key),
      );
      if (code === UNIQUE_VIOLATION && insert) throw new KeyExistsError(insert.key);
      throw e;
    } finally {
      c.release();
    }
  }

  private async apply(c: pg.PoolClient, o: StoreOp): Promise<void> {
    switch (o.type) {
      case 'put':
        await c.query(
          'INSERT INTO hq_kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
          [o.key, encodeValue(o.value)],
        );
        return;
      case 'insert':
        await c.query('INSERT INTO hq_kv (key, value) VALUES ($1, $2)', [o.key, encodeValue(o.value)]);
        return;
      case 'del':
        await c.query('DELETE FROM hq_kv WHERE key = $1', [o.key]);
        return;
      case 'expect': {
        const r = await c.query('SELECT value FROM hq_kv WHERE key = $1 FOR UPDATE', [o.key]);
        if ((r.rows[0]?.value as string | undefined) !== encodeOrAbsent(o.value))
          throw new StoreConflictError(o.key);
        return;
      }
    }
  }

  async *entries<T>(prefix: string, opts: ListOptions = {}): AsyncGenerator<[string, T]> {
    const reverse = opts.reverse ?? false;
    let left = opts.limit !== undefined && opts.limit >= 0 ? opts.limit : Number.POSITIVE_INFINITY;
    const end = prefixEnd(prefix);
    let after: string | null = null;
    while (left > 0) {
      const n = Math.min(PAGE, left);
      const params: unknown[] = [prefix, end, after, n];
      const r = await this.query(
        `SELECT key, value FROM hq_kv
          WHERE key >= $1 AND ($2::text IS NULL OR key < $2)
            AND ($3::text IS NULL OR key ${reverse ? '<' : '>'} $3)
          ORDER BY key ${reverse ? 'DESC' : 'ASC'} LIMIT $4`,
        params,
      );
      for (const row of r.rows) yield [row.key as string, JSON.parse(row.value as string) as T];
      if (r.rows.length < n) return;
      left -= r.rows.length;
      after = r.rows[r.rows.length - 1].key as string;
    }
  }

  async list<T>(prefix: string, opts: ListOptions = {}): Promise<Array<[string, T]>> {
    const out: Array<[string, T]> = [];
    for await (const e of this.entries<T>(prefix, opts)) out.push(e);
    return out;
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, async () => {
      await this.acquire(key);
      try {
        return await fn();
      } finally {
        await this.onLockClient('SELECT pg_advisory_unlock(hashtextextended($1, 0))', key).catch(
          (e: unknown) => {
            this.lockFailure ??= e instanceof Error ? e : new Error(String(e));
          },
        );
      }
    });
  }

  private async acquire(key: string): Promise<void> {
    let wait = 1;
    for (;;) {
      const r = await this.onLockClient('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', key);
      if (r.rows[0]?.ok === true) return;
      await sleep(wait * (0.5 + Math.random()));
      wait = Math.min(50, wait * 2);
    }
  }

  private onLockClient(sql: string, key: string): Promise<pg.QueryResult> {
    return this.lockQueue.run('lock', async () => {
      this.healthy();
      const c = this.lockClient;
      if (!c) throw new Error('HQ store: not open');
      return c.query(sql, [key]);
    });
  }

  private query(sql: string, params: unknown[]): Promise<pg.QueryResult> {
    this.healthy();
    return this.pool.query(sql, params);
  }

  private healthy(): void {
    if (this.lockFailure) throw new Error(`HQ store: lock connection lost (${this.lockFailure.message})`);
  }
}

/** The least string above every key starting with `prefix` (null: no bound). */
function prefixEnd(prefix: string): string | null {
  const cps = [...prefix];
  while (cps.length > 0) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) return cps.join('') + String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1);
  }
  return null;
}
