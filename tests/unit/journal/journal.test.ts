import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { ChainHeadFile, HEAD_FILE } from '../../../src/journal/chain.ts';
import { encodeValue } from '../../../src/journal/codec.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { FORMAT_KEY } from '../../../src/journal/keys.ts';
import { runMigrations } from '../../../src/journal/migrations.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { openKiosk, tempDir } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

describe('journal on LevelDB', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  async function fill(n: number): Promise<void> {
    const k = await openKiosk(dir.path, new FakeHq());
    await k.balance.applyHqEvent({ kind: 'topup', fen: 1_000_00, ref: 'slip-1' });
    for (let i = 0; i < n; i++) {
      const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '10' }, TELLER);
      await k.engine.waitFor(t.serial, (x) => x.terminal);
    }
    await k.close();
  }

  it('hands out monotonic serial numbers that survive restarts and are never reused', async () => {
    await fill(2);
    const hq = new FakeHq();
    const k = await openKiosk(dir.path, hq);
    await expect(
      k.engine.create('test-bill', { phone: '13800138000', amount: '999' }, TELLER),
    ).rejects.toThrow();
    const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '10' }, TELLER);
    expect(t.serial).toBe('0000000003');
    await k.engine.waitFor(t.serial, (x) => x.terminal);
    await k.close();
    const k2 = await openKiosk(dir.path, hq);
    const t2 = await k2.engine.create(
      'test-bill',
      { phone: '13800138000', amount: '10' },
      { channel: 'self' },
      { paid: true },
    );
    expect(t2.serial).toBe('0000000004');
    await k2.engine.waitFor(t2.serial, (x) => x.terminal);
    expect(await k2.journal.indexSerials(`i:d:${t2.businessDate}:`)).toEqual([
      '0000000001',
      '0000000002',
      '0000000003',
      '0000000004',
    ]);
    expect(await k2.journal.indexSerials('i:s:test-bill:')).toHaveLength(4);
    expect(await k2.journal.indexSerials('i:o:A001:')).toEqual(['0000000001', '0000000002', '0000000003']);
    expect(await k2.journal.indexSerials('i:o:~self:')).toEqual(['0000000004']);
    expect(await k2.journal.openSerials()).toEqual([]);
    expect(k2.balance.summary().balance).toBe('960.00');
    const report = await verifyJournal(k2.journal);
    expect(report).toMatchObject({ ok: true, counts: { transactions: 4 } });
    await k2.close();
  });

  it('resolves a commit only once the chain head beside the store names its event', async () => {
    const k = await openKiosk(dir.path, new FakeHq());
    const head = k.journal.chainHead;
    const write = head.write.bind(head);
    let opened!: () => void;
    const gate = new Promise<void>((r) => {
      opened = r;
    });
    let called!: () => void;
    const headAsked = new Promise<void>((r) => {
      called = r;
    });
    head.write = async (h) => {
      called();
      await gate;
      return write(h);
    };
    let resolved = false;
    const topup = k.balance.applyHqEvent({ kind: 'topup', fen: 1_000_00, ref: 'slip-1' }).then(() => {
      resolved = true;
    });
    // The batch is durable once the head is asked for; the commit still waits for the head.
    await headAsked;
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    opened();
    await topup;
    expect((await new ChainHeadFile(k.journal.path).read()).head?.event).toBe(k.journal.lastCounters.event);
    await k.close();
  });

  it('puts every event in the outbox in the same batch and removes only acknowledged ones', async () => {
    await fill(1);
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j.open();
    const seqs = await j.outboxSeqs();
    expect(seqs).toEqual([1, 2, 3, 4]);
    await j.ackOutbox([1, 2]);
    expect(await j.outboxSeqs()).toEqual([3, 4]);
    expect((await j.getEvent(3))?.type).toBe('txn.intent');
    await j.close();
  });

  it('finds a corrupted record and names its key; start-up refuses to trust it', async () => {
    await fill(2);
    const raw = new Level<string, string>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const bad = await raw.get('t:0000000002');
    await raw.put('t:0000000002', bad!.replace(/\}$/, ' }'));
    await raw.close();
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j.open();
    const report = await verifyJournal(j);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ key: 't:0000000002', kind: 'checksum' }),
    );
    await j.close();
  });

  it('reports index entries that disagree with the log, missing ones, and a wrong balance', async () => {
    await fill(2);
    const raw = new Level<string, string>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const dates = [];
    for await (const k of raw.keys({ gte: 'i:d:', lt: 'i:d:\xff' })) dates.push(k);
    await raw.del(dates[0]!);
    await raw.put('i:s:other:0000000002', '');
    await raw.put('m:balance', encodeValue({ balanceFen: 1, heldFen: 0 }));
    await raw.put('i:n:0000000009', '');
    await raw.close();
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j.open();
    expect(j.startupProblems.map((p) => p.key)).toContain('i:n:0000000009');
    const { problems } = await verifyJournal(j);
    const keys = problems.map((p) => `${p.kind} ${p.key}`);
    expect(keys).toContain(`index ${dates[0]}`);
    expect(keys).toContain('index i:s:other:0000000002');
    expect(keys).toContain('index i:n:0000000009');
    expect(keys).toContain('balance m:balance');
    await j.close();
  });

  it('reports damage inside LevelDB table files instead of skipping it', async () => {
    await fill(3);
    const raw = new Level<string, string>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await raw.open();
    await (raw as unknown as { compactRange: (a: string, b: string) => Promise<void> }).compactRange(
      '\x00',
      '\xff',
    );
    await raw.close();
    const files = await readdir(dir.path);
    const table = files.find((f) => f.endsWith('.ldb'));
    expect(table).toBeDefined();
    const path = join(dir.path, table!);
    const bytes = await readFile(path);
    // Overwrite a stretch in the middle of the data blocks (values and keys of stored records).
    const at = Math.floor(bytes.length / 3);
    bytes.fill(0x55, at, at + 48);
    await writeFile(path, bytes);
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    let problems: Array<{ key: string; kind: string }> = [];
    try {
      await j.open();
      problems = [...j.startupProblems, ...(await verifyJournal(j)).problems];
    } catch (e) {
      problems = [{ key: 'open', kind: (e as { code: string }).code }];
    }
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p.key).toBeTruthy();
    await j.close();
  });

  it('refuses a store written by newer software and migrates older ones after a backup', async () => {
    await fill(1);
    const raw = new Level<string, string>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await raw.put(FORMAT_KEY, encodeValue({ version: 99 }));
    await raw.close();
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await expect(j.open()).rejects.toMatchObject({ code: 'KIOSK_E_JOURNAL_VERSION' });
    await j.close();

    const db = new Level<string, string>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.put(FORMAT_KEY, encodeValue({ version: 0 }));
    const seen: number[] = [];
    await runMigrations(
      db,
      0,
      1,
      {
        0: async (d) =>
          void seen.push(
            await d
              .keys()
              .all()
              .then((k) => k.length),
          ),
      },
      `${dir.path}-bak`,
    );
    expect(seen[0]).toBeGreaterThan(5);
    expect(JSON.parse((await db.get(FORMAT_KEY))!.slice(8))).toEqual({ version: 1 });
    await db.close();
    const backup = new Level<string, string>(`${dir.path}-bak`, {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    expect(JSON.parse((await backup.get(FORMAT_KEY))!.slice(8))).toEqual({ version: 0 });
    await backup.close();
    await expect(runMigrations(new Level(`${dir.path}-x`), 0, 2, {})).rejects.toMatchObject({
      code: 'KIOSK_E_JOURNAL_VERSION',
    });
  });

  it('migrates a format-1 store into the hash chain and writes its head', async () => {
    await fill(2);
    const raw = new Level<string, string>(dir.path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    for await (const [key, value] of raw.iterator({ gte: 'e:', lt: 'e:\xff' })) {
      const { prev: _prev, ...ev } = JSON.parse(value.slice(8)) as Record<string, unknown>;
      await raw.put(key, encodeValue(ev));
    }
    const { chain: _chain, ...counters } = JSON.parse((await raw.get('m:counters'))!.slice(8));
    await raw.put('m:counters', encodeValue(counters));
    await raw.put(FORMAT_KEY, encodeValue({ version: 1 }));
    await raw.close();
    await rm(join(dir.path, HEAD_FILE));
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j.open();
    expect(j.startupProblems).toEqual([]);
    expect((await verifyJournal(j)).problems).toEqual([]);
    expect((await j.chainHead.read()).head?.event).toBe(j.lastCounters.event);
    expect((await j.getEvent(1))?.prev).toBe('0'.repeat(32));
    await j.close();
    await rm(`${dir.path}.backup-v1`, { recursive: true, force: true });
  });

  it('is locked against a second opener', async () => {
    const a = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await a.open();
    const b = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await expect(b.open()).rejects.toMatchObject({ code: 'KIOSK_E_JOURNAL_LOCKED' });
    await a.close();
  });
});
