import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStatement } from '../../../src/reconcile/statement-file.ts';
import {
  type Difference,
  type HqRepayment,
  reconcileStatement,
} from '../../../src/reconcile/statement-match.ts';

const HEADER = 'date,time,terminal,serial,card,amount,reference';
const line = (serial: string, amount: string, date = '20261105', terminal = '88000001') =>
  `${date},102345,${terminal},${serial},622588******1234,${amount},A1B2C3D4E5F6`;
const hqRec = (serial: string, amountFen: number, over: Partial<HqRepayment> = {}): HqRepayment => ({
  station: '33010001',
  terminal: '88000001',
  serial,
  day: '20261105',
  amountFen,
  status: 'ok',
  ref: `R${serial}`,
  ...over,
});

describe('UnionPay statement import', () => {
  let dir: string;
  const file = async (name: string, text: string): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, text);
    return p;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'unionpay-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the documented example file without an error', async () => {
    const c = await checkStatement(
      new URL('../../../docs/examples/unionpay-statement.csv', import.meta.url).pathname,
    );
    expect(c).toMatchObject({ rows: 3, from: '20261105', to: '20261106', errors: [], moreErrors: 0 });
  });

  it('finds each kind of difference: matched, missing at HQ, missing at UnionPay, amount differs', async () => {
    const p = await file(
      'kinds.csv',
      `\uFEFF${HEADER}\r\n${line('0000000001', '10.00')}\r\n${line('0000000002', '20.00')}\r\n${line('0000000003', '30.00')}\r\n${line('0000000005', '50.00')}\r\n\r\n`,
    );
    expect((await checkStatement(p)).errors).toEqual([]);
    const hq = [
      hqRec('0000000001', 10_00),
      hqRec('0000000002', 25_00),
      hqRec('0000000004', 40_00),
      hqRec('0000000005', 50_00, { status: 'declined' }),
      hqRec('0000000006', 60_00, { status: 'declined' }),
    ];
    const diffs: Difference[] = [];
    const sum = await reconcileStatement(p, hq, (d) => {
      diffs.push(d);
    });
    expect(sum).toEqual({ matched: 1, missingAtHq: 2, missingAtUnionpay: 1, amountDiffers: 1 });
    expect(diffs).toEqual([
      expect.objectContaining({
        kind: 'amount-differs',
        serial: '0000000002',
        line: 3,
        unionpayFen: 20_00,
        hqFen: 25_00,
      }),
      expect.objectContaining({
        kind: 'missing-at-hq',
        serial: '0000000003',
        line: 4,
        hqFen: null,
        hqStatus: null,
      }),
      expect.objectContaining({ kind: 'missing-at-hq', serial: '0000000005', line: 5, hqStatus: 'declined' }),
      expect.objectContaining({
        kind: 'missing-at-unionpay',
        serial: '0000000004',
        line: null,
        hqFen: 40_00,
      }),
    ]);
  });

  it('refuses a bad file listing every error by line and field, in Chinese and English', async () => {
    const p = await file(
      'bad.csv',
      [
        HEADER,
        line('0000000001', '10.00', '20261131'),
        line('0000000002', '0'),
        line('0000000003', '1.234'),
        line('0000000004', '-5.00'),
        line('0000000005', 'abc'),
        '20261105,250000,8800001,12,6225881234,10.00,short',
        '20261105,102345,88000001',
        line('0000000008', '10.00'),
      ].join('\n'),
    );
    const c = await checkStatement(p);
    expect(c.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'date'],
      [3, 'amount'],
      [4, 'amount'],
      [5, 'amount'],
      [6, 'amount'],
      [7, 'time'],
      [7, 'terminal'],
      [7, 'serial'],
      [7, 'card'],
      [7, 'reference'],
      [8, 'columns'],
    ]);
    for (const e of c.errors) {
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.en).toMatch(/[a-z]/);
    }
    expect((await checkStatement(await file('cols.csv', 'date,time,amount\n'))).errors).toEqual([
      expect.objectContaining({ line: 1, field: 'header' }),
    ]);
    expect((await checkStatement(await file('empty.csv', ''))).errors).toEqual([
      expect.objectContaining({ line: 1, field: 'file', en: 'the file is empty' }),
    ]);
    expect((await checkStatement(await file('header-only.csv', `${HEADER}\n`))).errors).toEqual([
      expect.objectContaining({ field: 'file', en: 'the file has no repayment lines' }),
    ]);
  });

  it('reads a 100 MB statement in bounded memory, naming the bad lines in it', async () => {
    const p = join(dir, 'big.csv');
    const out = createWriteStream(p);
    out.write(`${HEADER}\n`);
    let n = 0;
    let chunk = '';
    const bad = new Set([500_000, 1_200_000]);
    while (out.bytesWritten + out.writableLength < 100 * 1024 * 1024) {
      n++;
      const serial = String(n).padStart(10, '0');
      chunk += bad.has(n) ? `${line(serial, '1.001')}\n` : `${line(serial, '12.34')}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    expect((await stat(p)).size).toBeGreaterThanOrEqual(100 * 1024 * 1024);

    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const c = await checkStatement(p);
    expect(c.errors.map((e) => [e.line, e.field])).toEqual([
      [500_001, 'amount'],
      [1_200_001, 'amount'],
    ]);
    expect(c.rows).toBe(n - 2);
    let seen = 0;
    const sum = await reconcileStatement(p, [hqRec('0000000001', 12_34)], () => {
      if (++seen % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    expect(sum).toMatchObject({ matched: 1, missingAtHq: n - 3 });
    // Nothing of the file is kept: the heap stays far below the file's size.
    expect(peak - before).toBeLessThan(48 * 1024 * 1024);
  }, 600_000);
});
