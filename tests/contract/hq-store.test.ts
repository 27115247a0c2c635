import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../../src/reference-hq/accounts.ts';
import { type HqStore, KeyExistsError, StoreConflictError } from '../../src/reference-hq/store.ts';
import { LevelHqStore } from '../../src/reference-hq/store-level.ts';
import { PgHqStore } from '../../src/reference-hq/store-pg.ts';
import { type PostgresCluster, startPostgres } from '../support/postgres.ts';

/**
 * One contract, both HQ stores. `a` and `b` are two HQ instances' handles on the same state: the
 * same LevelDB object (instances of one process), or two connection pools on one PostgreSQL
 * database (instances in two processes).
 */
interface Kind {
  name: string;
  open(tag: string): Promise<{ a: HqStore; b: HqStore; close(): Promise<void> }>;
}

let cluster: PostgresCluster | undefined;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => cluster?.stop());
const kinds: Kind[] = [
  {
    name: 'LevelDB',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'hq-store-'));
      const a = new LevelHqStore(dir);
      await a.open();
      return {
        a,
        b: a,
        async close() {
          await a.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    async open(tag) {
      if (!cluster) throw new Error('PostgreSQL did not start');
      const url = await cluster.createDatabase(tag);
      const a = new PgHqStore(url);
      const b = new PgHqStore(url);
      await Promise.all([a.open(), b.open()]);
      return {
        a,
        b,
        async close() {
          await Promise.all([a.close(), b.close()]);
        },
      };
    },
  },
];

const S = '33010001';
const bal = async (s: HqStore) => (await new Accounts(s, () => 0, 0).get(S)).balanceFen;

describe.each(kinds)('the HQ store on $name', (kind) => {
  let n = 0;
  const fresh = () => kind.open(`db_${++n}`);

  it('keeps values exactly as written and forgets deleted ones', async () => {
    const { a, b, close } = await fresh();
    const v = { z: 1, a: [1, 'два', { 价: '12.30' }], n: null, big: 9_007_199_254_740_991 };
    await a.put('x:1', v);
    expect(JSON.stringify(await b.get('x:1'))).toBe(JSON.stringify(v));
    expect(await b.getMany(['x:0', 'x:1'])).toEqual([undefined, v]);
    await b.del('x:1');
    expect(await a.get('x:1')).toBeUndefined();
    await close();
  });

  it('lists a prefix in key order, reversed, limited, across pages, without its neighbours', async () => {
    const { a, b, close } = await fresh();
    const keys = Array.from({ length: 1203 }, (_, i) => `j:${S}:${String(i).padStart(16, '0')}`);
    await a.batch([
      ...keys.map((key, i) => ({ type: 'put' as const, key, value: i })),
      { type: 'put', key: `j:${S}`, value: 'no' },
      { type: 'put', key: `j:${S};`, value: 'no' },
      { type: 'put', key: 'jm:x', value: 'no' },
      { type: 'put', key: `j:${S}:\u00e9`, value: 'last' },
    ]);
    const all = await b.list<unknown>(`j:${S}:`);
    expect(all.map(([k]) => k)).toEqual([...keys, `j:${S}:\u00e9`]);
    expect((await b.list<number>(`j:${S}:`, { limit: 3 })).map(([, v]) => v)).toEqual([0, 1, 2]);
    const rev = await b.list<unknown>(`j:${S}:`, { reverse: true, limit: 600 });
    expect(rev.map(([, v]) => v)).toEqual(['last', ...Array.from({ length: 599 }, (_, i) => 1202 - i)]);
    expect(await b.list('none:')).toEqual([]);
    await close();
  });

  it('writes a batch whole or not at all: an existing insert key or a changed expected value stops it', async () => {
    const { a, b, close } = await fresh();
    await a.put('ar:ref1', { fen: 1 });
    await expect(
      b.batch([
        { type: 'put', key: 'p:1', value: 1 },
        { type: 'insert', key: 'ar:ref1', value: { fen: 2 } },
      ]),
    ).rejects.toBeInstanceOf(KeyExistsError);
    expect(await a.get('p:1')).toBeUndefined();
    expect(await a.get('ar:ref1')).toEqual({ fen: 1 });
    await expect(
      b.batch([
        { type: 'expect', key: 'ar:ref1', value: { fen: 9 } },
        { type: 'put', key: 'p:2', value: 2 },
      ]),
    ).rejects.toBeInstanceOf(StoreConflictError);
    await expect(b.batch([{ type: 'expect', key: 'p:3', value: 3 }])).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    await b.batch([
      { type: 'expect', key: 'ar:ref1', value: { fen: 1 } },
      { type: 'expect', key: 'p:3', value: undefined },
      { type: 'insert', key: 'p:3', value: 3 },
      { type: 'del', key: 'ar:ref1' },
    ]);
    expect(await a.getMany(['p:2', 'p:3', 'ar:ref1'])).toEqual([undefined, 3, undefined]);
    await close();
  });

  it('runs callers of one lock one at a time, from either instance', async () => {
    const { a, b, close } = await fresh();
    const bump = (s: HqStore) =>
      s.withLock('counter', async () => {
        const v = (await s.get<number>('c:1')) ?? 0;
        await s.put('c:1', v + 1);
      });
    await Promise.all(Array.from({ length: 30 }, (_, i) => bump(i % 2 ? a : b)));
    expect(await a.get('c:1')).toBe(30);
    // A failing holder releases the lock.
    await expect(a.withLock('counter', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await bump(b);
    expect(await b.get('c:1')).toBe(31);
    await close();
  });

  it('moves a station’s money once per reference, with its record, never below zero', async () => {
    const { a, b, close } = await fresh();
    const accA = new Accounts(a, () => 1, 10_000);
    const accB = new Accounts(b, () => 2, 10_000);
    expect(await accA.openIfNew(S)).toBe(true);
    expect(await accB.openIfNew(S)).toBe(false);
    // Both instances take the same payment at once: charged once.
    const same = await Promise.all([
      accA.change(S, -2_500, 'pay-1', 'water', [{ type: 'put', key: 'b:water:pay-1', value: 'A' }]),
      accB.change(S, -2_500, 'pay-1', 'water', [{ type: 'put', key: 'b:water:pay-1', value: 'B' }]),
    ]);
    expect(same.filter(Boolean)).toHaveLength(1);
    expect(await bal(a)).toBe(7_500);
    expect(['A', 'B']).toContain(await a.get('b:water:pay-1'));
    // Different payments from both instances at once: none lost.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? accA : accB).change(S, -100, `p-${i}`, 'mobile')),
    );
    expect(await bal(b)).toBe(5_500);
    // A debit beyond the balance is refused and writes nothing, not even its record.
    await expect(
      accB.change(S, -5_501, 'pay-big', 'gas', [{ type: 'put', key: 'b:gas:pay-big', value: 1 }]),
    ).rejects.toBeInstanceOf(RangeError);
    expect(await a.getMany(['ar:pay-big', 'b:gas:pay-big'])).toEqual([undefined, undefined]);
    // A biller record that cannot be written takes the money move with it.
    await a.put('b:gas:taken', 1);
    await expect(
      accA.change(S, -100, 'pay-2', 'gas', [{ type: 'insert', key: 'b:gas:taken', value: 2 }]),
    ).rejects.toBeInstanceOf(KeyExistsError);
    expect(await bal(b)).toBe(5_500);
    expect(await b.get('ar:pay-2')).toBeUndefined();
    await close();
  });
});

describe('the PostgreSQL store itself', () => {
  it('refuses a prepaid account below zero whoever writes it', async () => {
    if (!cluster) throw new Error('PostgreSQL did not start');
    const s = new PgHqStore(await cluster.createDatabase('guard'));
    await s.open();
    await expect(s.put(`a:${S}`, { balanceFen: -1, updatedAt: 0 })).rejects.toThrow(/account_not_negative/);
    expect(await s.get(`a:${S}`)).toBeUndefined();
    await s.close();
  });
});
