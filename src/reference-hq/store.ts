/**
 * The reference HQ's durable state, as one key-value interface with two implementations: LevelDB in
 * one process (`store-level.ts`, the embedded default) and PostgreSQL shared by any number of HQ
 * instances (`store-pg.ts`). Values are JSON; keys sort bytewise (UTF-8).
 *
 *   j:<station>:<seq16>        relayed journal event
 *   jm:<station>               { contiguous, highest, stored, duplicates, gapSince }
 *   st:<station>               station registry: presence, last telemetry, groups, region, services
 *   a:<station>                prepaid account { balanceFen } (never below zero)
 *   ar:<ref>                   account reference already applied (inserted with the change and the
 *                              biller record that causes it, in one atomic write; unique)
 *   i:<station>:<key>          first answer to a state-changing request (idempotency)
 *   cs:<station>               last command sequence number
 *   cp:<station>:<seq16>       command sent and not yet answered by the kiosk (re-sent on birth)
 *   cr:<station>:<seq16>       command result
 *   mc:<station>:<yyyymm>      completed transactions of the month
 *   ms:<station>:<serial>      serial already counted
 *   b:<service>:<key>          biller records (each biller owns its sub-keys)
 */
export interface HqStore {
  open(): Promise<void>;
  /** Waits for the work under way, then closes. */
  close(): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: string[]): Promise<Array<T | undefined>>;
  /** One durable write. */
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /**
   * One atomic, durable write of every op, or none of them: an `insert` whose key exists throws
   * KeyExistsError, an `expect` whose key no longer holds the value throws StoreConflictError.
   */
  batch(ops: readonly StoreOp[]): Promise<void>;
  /** Entries whose key starts with `prefix`, in key order (or reverse), at most `limit`. */
  entries<T>(prefix: string, opts?: ListOptions): AsyncGenerator<[string, T]>;
  list<T>(prefix: string, opts?: ListOptions): Promise<Array<[string, T]>>;
  /**
   * Runs `fn` with `key` locked against every other caller of the same store: every HQ instance
   * sharing it, in this process or another one. Callers nest locks in one order only (a request's
   * key, then its station's account).
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export interface ListOptions {
  limit?: number;
  reverse?: boolean;
}

/**
 * One operation of an atomic batch; values are stored as JSON. `insert` writes a key that must not
 * exist yet (an idempotency reference); `expect` writes nothing and requires `key` to hold `value`
 * (undefined: absent) when the batch commits (compare-and-set of a read-modify-write).
 */
export type StoreOp =
  | { type: 'put'; key: string; value: unknown }
  | { type: 'insert'; key: string; value: unknown }
  | { type: 'expect'; key: string; value: unknown }
  | { type: 'del'; key: string };

/** An `insert` found its key already written: the batch wrote nothing. */
export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`HQ store: ${key} exists already`);
    this.name = 'KeyExistsError';
  }
}

/** An `expect` found its key changed since it was read: the batch wrote nothing. */
export class StoreConflictError extends Error {
  constructor(readonly key: string) {
    super(`HQ store: ${key} changed under a batch`);
    this.name = 'StoreConflictError';
  }
}

export const pad16 = (n: number): string => String(n).padStart(16, '0');

/** The JSON text a value is stored as, and compared by for `expect`. */
export const encodeValue = (value: unknown): string => JSON.stringify(value);

/** The stored text of an `expect` value; undefined stands for an absent key. */
export const encodeOrAbsent = (value: unknown): string | undefined =>
  value === undefined ? undefined : encodeValue(value);
