import { Level } from 'level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { decodeValue, encodeValue } from '../../../src/journal/codec.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { eventKey, FORMAT_KEY, prefixRange } from '../../../src/journal/keys.ts';
import { transactionsOfDates } from '../../../src/journal/range-reads.ts';
import { type JournalEvent, txnOf } from '../../../src/journal/records.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { openKiosk, tempDir } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;

type Raw = Level<string, string>;
const openRaw = async (path: string): Promise<Raw> => {
  const raw = new Level<string, string>(path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await raw.open();
  return raw;
};

describe('each snapshot stored once (journal format 3)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  /** Sales through the engine; returns their final snapshots. */
  async function sell(n: number): Promise<TxnRecord[]> {
    const k = await openKiosk(dir.path, new FakeHq());
    await k.balance.applyHqEvent({ kind: 'topup', fen: 1_000_00, ref: `slip-${n}` });
    const out: TxnRecord[] = [];
    for (let i = 0; i < n; i++) {
      const t = await k.engine.create('test-bill', { phone: '13800138000', amount: '10' }, TELLER);
      out.push(await k.engine.waitFor(t.serial, (x) => x.terminal));
    }
    await k.close();
    return out;
  }

  it('keeps the snapshot in its event only: t: names that event', async () => {
    const sold = await sell(2);
    const raw = await openRaw(dir.path);
    for (const t of sold) {
      const body = decodeValue<{ event: number }>(`t:${t.serial}`, (await raw.get(`t:${t.serial}`))!);
      expect(Object.keys(body)).toEqual(['event']);
      const ev = decodeValue<JournalEvent>('e', (await raw.get(eventKey(body.event)))!);
      expect(ev.serial).toBe(t.serial);
      expect(txnOf(ev)).toEqual(t);
    }
    await raw.close();
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j.open();
    expect(j.startupProblems).toEqual([]);
    expect(await j.getTxn(sold[1]!.serial)).toEqual(sold[1]);
    const all: TxnRecord[] = [];
    for await (const t of j.transactions()) all.push(t);
    expect(all).toEqual(sold);
    expect((await verifyJournal(j)).problems).toEqual([]);
    await j.close();
  });

  it('opens a format-2 store (snapshots in t:) as it is, reads both forms and sells on', async () => {
    const sold = await sell(2);
    // Rewrite the store as format 2 wrote it: every t: holds the snapshot itself.
    const raw = await openRaw(dir.path);
    for (const t of sold) await raw.put(`t:${t.serial}`, encodeValue(t));
    await raw.put(FORMAT_KEY, encodeValue({ version: 2 }));
    await raw.close();

    const more = await sell(1);
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j.open();
    expect(j.startupProblems).toEqual([]);
    expect(await j.getJson(FORMAT_KEY)).toEqual({ version: 3 });
    const date = sold[0]!.businessDate;
    const read = await transactionsOfDates(j, date, more[0]!.businessDate);
    expect(read.map((t) => t.serial)).toEqual(['0000000001', '0000000002', '0000000003']);
    expect(read).toEqual([...sold, ...more]);
    expect(await j.getTxn('0000000001')).toEqual(sold[0]);
    const report = await verifyJournal(j);
    expect(report.problems).toEqual([]);
    expect(report.counts.transactions).toBe(3);
    const rawT = await j.raw.get('t:0000000003');
    expect(decodeValue<object>('t', rawT!)).not.toHaveProperty('serial');
    expect(decodeValue<object>('t', (await j.raw.get('t:0000000001'))!)).toHaveProperty('serial');
    await j.close();
  });

  it('names a t: record whose event is missing or holds another transaction', async () => {
    await sell(2);
    const raw = await openRaw(dir.path);
    const events: JournalEvent[] = [];
    for await (const [k, v] of raw.iterator(prefixRange('e:'))) events.push(decodeValue<JournalEvent>(k, v));
    const otherTxn = events.find((e) => e.serial === '0000000001')!;
    await raw.put('t:0000000002', encodeValue({ event: otherTxn.seq }));
    await raw.close();
    const j = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j.open();
    const report = await verifyJournal(j);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        key: 't:0000000002',
        kind: 'decode',
        message: expect.stringContaining('no snapshot'),
      }),
    );
    await expect(j.getTxn('0000000002')).rejects.toMatchObject({ key: 't:0000000002' });
    await j.close();
    const raw2 = await openRaw(dir.path);
    await raw2.put('t:0000000002', encodeValue({ event: 999_999 }));
    await raw2.close();
    const j2 = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await j2.open();
    expect((await verifyJournal(j2)).problems).toContainEqual(
      expect.objectContaining({ key: 't:0000000002', message: expect.stringContaining('missing') }),
    );
    await j2.close();
  });
});
