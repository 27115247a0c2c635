import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { encodeValue } from '../../../src/journal/codec.ts';
import { ORDER_TENDERS_KEPT } from '../../../src/journal/day-totals.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { DAY_TOTALS_META_KEY, dayTotalsKey, orderKey, prefixRange } from '../../../src/journal/keys.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { CUT, FIRST, newSale, play, START, type Step } from '../../support/journal-steps.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

/** A busy day: three services, two tellers and self-service, cash and QR, every sale finished. */
function busyDay(): Step[] {
  const steps: Step[] = [];
  for (const service of ['mobile-topup', 'water-bill', 'gas-bill'])
    for (const operator of ['A001', 'A002', null])
      for (const qr of operator === null ? [false, true] : [false]) {
        steps.push({ kind: 'sale', service, operator, amountFen: 1234, feeFen: 50, qr });
        steps.push({ kind: 'finish', pick: 0, ok: true });
      }
  return steps;
}

/** A self-service sale paid by the order `order`, just started. */
const selfSale = (serial: string, order: string, at: number): TxnRecord =>
  newSale(serial, { service: 'water-bill', operator: null, amountFen: 100, feeFen: 0, at, order });

async function totalsOnDisk(journal: Journal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const [k, v] of journal.raw.iterator(prefixRange('g:'))) out.set(k, v);
  return out;
}

describe('per-date totals stored a row per key', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let journal: Journal;
  let clock: ManualClock;
  const open = async (name: string) => {
    journal = new Journal({ path: `${dir.path}/${name}`, stationId: '33010001', clock, dayCut: () => CUT });
    await journal.open();
  };
  beforeEach(async () => {
    dir = await tempDir();
    clock = new ManualClock(START);
  });
  afterEach(async () => {
    await journal.close();
    await dir.cleanup();
  });

  it('a sale on a busy day rewrites only its own row and the date’s ledger part', async () => {
    await open('busy');
    await play(journal, clock, busyDay());
    expect(journal.dayTotals.get(FIRST)?.rows).toHaveLength(12);
    const before = await totalsOnDisk(journal);
    await play(journal, clock, [
      { kind: 'sale', service: 'water-bill', operator: 'A002', amountFen: 500, feeFen: 0, qr: false },
    ]);
    const after = await totalsOnDisk(journal);
    const rewritten = [...after].filter(([k, v]) => before.get(k) !== v);
    // The play's opening top-up and the sale's hold move the ledger part; the sale moves one row.
    expect(rewritten.map(([k]) => k).sort()).toEqual([
      dayTotalsKey(FIRST),
      `${dayTotalsKey(FIRST)}:water-bill|A002|cash`,
    ]);
    const bytes = rewritten.reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(bytes).toBeLessThan(220);
    expect((await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'))).toEqual([]);
  });

  it('a step whose snapshot and order are at hand is staged without reading the store', async () => {
    await open('no-reads');
    // A self-service QR sale: its order was written by an earlier commit and is read once.
    await play(journal, clock, [
      { kind: 'sale', service: 'water-bill', operator: null, amountFen: 800, feeFen: 0, qr: true },
    ]);
    const serial = (await journal.openSerials())[0] as string;
    const t = (await journal.getTxn(serial))!;
    const raw = journal.raw;
    const get = raw.get.bind(raw);
    let reads = 0;
    raw.get = ((...args: Parameters<typeof get>) => {
      reads++;
      return get(...args);
    }) as typeof raw.get;
    try {
      await journal.commit((b) => {
        b.ledger({ kind: 'capture', serial });
        b.putTxn({ ...t, state: 'succeeded', terminal: true, result: 'succeeded' }, t);
      });
    } finally {
      raw.get = get;
    }
    expect(reads).toBe(0);
    expect(journal.dayTotals.get(FIRST)?.rows).toEqual([
      expect.objectContaining({
        service: 'water-bill',
        who: '~self',
        tender: 'qr',
        payments: expect.objectContaining({ count: 1, amountFen: 800 }),
      }),
    ]);
  });

  it('a transaction opened before a restart is finished under its order’s tender, read back from the store', async () => {
    await open('restart');
    await play(journal, clock, [
      { kind: 'sale', service: 'gas-bill', operator: null, amountFen: 900, feeFen: 10, qr: true },
    ]);
    await journal.close();
    await open('restart');
    const serial = (await journal.openSerials())[0] as string;
    const t = (await journal.getTxn(serial))!;
    await journal.commit((b) => {
      b.ledger({ kind: 'capture', serial });
      b.putTxn({ ...t, state: 'succeeded', terminal: true, result: 'succeeded' }, t);
    });
    expect(journal.dayTotals.ready).toBe(true);
    expect(journal.dayTotals.get(FIRST)?.rows).toEqual([
      expect.objectContaining({
        tender: 'qr',
        open: expect.objectContaining({ count: 0 }),
        payments: expect.objectContaining({ count: 1, amountFen: 900 }),
      }),
    ]);
    expect((await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'))).toEqual([]);
  });

  it('an order tender read for a step never pushes out one the same step counts on', async () => {
    await open('tenders');
    await journal.commit((b) => {
      b.ledger({ kind: 'topup', fen: 100_000_000, ref: 'slip-0' });
      for (let i = 0; i <= ORDER_TENDERS_KEPT; i++) b.put(orderKey(`o${i}`), { id: `o${i}`, tender: 'qr' });
    });
    // Orders o0… are read in that order, so o0 is the oldest tender kept once they fill the room.
    const sales: TxnRecord[] = [];
    for (let from = 0; from < ORDER_TENDERS_KEPT; from += 64)
      await journal.commit((b) => {
        for (let i = from; i < from + 64; i++) {
          const t = selfSale(b.nextSerial(), `o${i}`, b.at);
          b.ledger({ kind: 'hold', serial: t.serial, fen: t.amountFen });
          b.putTxn(t);
          sales.push(t);
        }
      });
    const first = sales[0] as TxnRecord;
    // One step finishes o0's sale (its tender at hand) and starts one whose order must be read.
    await journal.commit((b) => {
      b.ledger({ kind: 'capture', serial: first.serial });
      b.putTxn({ ...first, state: 'succeeded', terminal: true, result: 'succeeded' }, first);
      const t = selfSale(b.nextSerial(), `o${ORDER_TENDERS_KEPT}`, b.at);
      b.ledger({ kind: 'hold', serial: t.serial, fen: t.amountFen });
      b.putTxn(t);
    });
    expect(journal.dayTotals.ready).toBe(true);
    const row = journal.dayTotals.get(FIRST)?.rows[0];
    expect(row).toMatchObject({ tender: 'qr', payments: { count: 1 }, open: { count: ORDER_TENDERS_KEPT } });
    expect((await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'))).toEqual([]);
  });

  it('verify checks only the checksums of totals left in an earlier layout (a store in safe mode)', async () => {
    await open('old-layout');
    await play(journal, clock, busyDay());
    const kept = journal.dayTotals.get(FIRST);
    const meta = JSON.parse((await journal.raw.get(DAY_TOTALS_META_KEY))!.slice(8));
    for await (const k of journal.raw.keys(prefixRange('g:'))) await journal.raw.del(k);
    await journal.raw.put(dayTotalsKey(FIRST), encodeValue(kept));
    await journal.raw.put(DAY_TOTALS_META_KEY, encodeValue({ ...meta, format: 2 }));
    // (The generated orders are bare tender records, so only the totals' findings are looked at.)
    const totalsProblems = async () =>
      (await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'));
    expect(await totalsProblems()).toEqual([]);
    await journal.raw.put(dayTotalsKey('20261102'), `00000000${JSON.stringify(kept)}`);
    expect(await totalsProblems()).toEqual([
      expect.objectContaining({ key: dayTotalsKey('20261102'), kind: 'checksum' }),
    ]);
  });

  it('a row that empties is deleted, not kept as zeros', async () => {
    await open('empties');
    await play(journal, clock, [
      { kind: 'sale', service: 'gas-bill', operator: 'A001', amountFen: 700, feeFen: 0, qr: false },
    ]);
    const key = `${dayTotalsKey(FIRST)}:gas-bill|A001|cash`;
    expect((await totalsOnDisk(journal)).has(key)).toBe(true);
    // A snapshot moved to another date takes its contribution out of the first date's row.
    const serial = (await journal.openSerials())[0] as string;
    const t = (await journal.getTxn(serial))!;
    await journal.commit((b) => b.putTxn({ ...t, businessDate: '20261102' }, t));
    const disk = await totalsOnDisk(journal);
    expect(disk.has(key)).toBe(false);
    expect(disk.has(`${dayTotalsKey('20261102')}:gas-bill|A001|cash`)).toBe(true);
    expect(journal.dayTotals.get(FIRST)?.rows).toEqual([]);
  });

  it('totals stored in the earlier whole-date layout are counted again at open', async () => {
    await open('format2');
    await play(journal, clock, busyDay());
    const kept = journal.dayTotals.get(FIRST);
    await journal.close();
    const { Level } = await import('level');
    const db = new Level<string, string>(`${dir.path}/format2`, {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    await db.open();
    const batch = db.batch();
    for await (const k of db.keys(prefixRange('g:'))) batch.del(k);
    batch.put(dayTotalsKey(FIRST), encodeValue(kept));
    const meta = JSON.parse((await db.get(DAY_TOTALS_META_KEY))!.slice(8));
    batch.put(DAY_TOTALS_META_KEY, encodeValue({ ...meta, format: 2 }));
    await batch.write();
    await db.close();
    await open('format2');
    expect(journal.dayTotalsRebuilt).toBe('format');
    expect(journal.dayTotals.get(FIRST)).toEqual(kept);
    expect((await totalsOnDisk(journal)).size).toBe(13);
    expect((await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'))).toEqual([]);
  });

  it('verify names a row without its date record and a row that is not integers; open counts them again', async () => {
    await open('damaged');
    await play(journal, clock, busyDay());
    const rowKey = `${dayTotalsKey(FIRST)}:mobile-topup|A001|cash`;
    await journal.raw.del(dayTotalsKey(FIRST));
    await journal.raw.put(`${dayTotalsKey('20261102')}:gas-bill|A001|cash`, encodeValue([1, 1, 2, 0]));
    const problems = (await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: rowKey, kind: 'index' }),
        expect.objectContaining({ key: `${dayTotalsKey('20261102')}:gas-bill|A001|cash`, kind: 'decode' }),
      ]),
    );
    expect(await journal.checkDayTotals()).toBe('damaged');
    expect((await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'))).toEqual([]);
  });
});
