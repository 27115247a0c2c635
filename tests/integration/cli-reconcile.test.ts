import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/kiosk-harness.ts';
import { seedRepayments } from '../support/repayments.ts';
import { runKiosk, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const HEADER = 'date,time,terminal,serial,card,amount,reference';
const line = (serial: string, amount: string) =>
  `${DATE},102345,88000001,${serial},622588******1234,${amount},A1B2C3D4E5F6`;
let DATE = '';

/**
 * `kiosk report reconcile FILE`: the UnionPay statement against this kiosk's own credit-card
 * repayments, as a real child process against the running kiosk; every kind of difference.
 */
describe('kiosk report reconcile: the UnionPay statement against the kiosk’s journal', () => {
  let k: TestKiosk;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const kiosk = (args: string[], input = '') => runKiosk([...args, '--url', k.url], input);
  const serials: string[] = [];

  beforeAll(async () => {
    k = await startTestKiosk();
    dir = await tempDir('kiosk-reconcile-cli-');
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'S001', name: '王五', role: 'supervisor', password: '654321' });
    DATE = (await k.api('GET', '/api/health')).body.businessDate;
    // Four repayments: matched, amount differs, only here, and one that failed (expected nowhere).
    serials.push(
      ...(await seedRepayments(k.app, DATE, [
        [1000_00, true],
        [256_30, true],
        [88_00, true],
        [50_00, false],
      ])),
    );
  });
  afterAll(async () => {
    await k.stop();
    await dir.cleanup();
  });

  it('writes only ours, only theirs and amount mismatches, with the counts in --json', async () => {
    const file = join(dir.path, 'statement.csv');
    await writeFile(
      file,
      `\uFEFF${[HEADER, line(serials[0]!, '1000.00'), line(serials[1]!, '256.00'), line('9999999999', '12.00'), line(serials[3]!, '50.00')].join('\r\n')}\r\n`,
    );
    const r = await kiosk(['report', 'reconcile', file, '--operator', 'S001', '--json'], '654321\n');
    expect(r.code, r.err).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({
      rows: 4,
      matched: 1,
      amountDiffers: 1,
      missingAtHq: 2,
      missingAtUnionpay: 1,
    });
    const csv = await readFile(`${file}.differences.csv`);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(rows[0]).toBe('kind,date,terminal,serial,station,line,unionpay,kiosk,kioskStatus,card');
    expect(rows.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      `amount-differs,${DATE},88000001,${serials[1]}`,
      `missing-at-kiosk,${DATE},88000001,9999999999`,
      `missing-at-kiosk,${DATE},88000001,${serials[3]}`,
      `missing-at-unionpay,${DATE},88000001,${serials[2]}`,
    ]);
    expect(rows.find((l) => l.includes(serials[3]!))).toMatch(/,failed,622588\*{6}1234$/);
    expect(rows.find((l) => l.startsWith('missing-at-unionpay'))).toMatch(/,625807\*{6}7896$/);
  }, 120_000);

  it('refuses a bad statement naming each line and field, and a teller', async () => {
    const file = join(dir.path, 'bad.csv');
    await writeFile(file, `${HEADER}\n${line(serials[0]!, '1.234')}\n20261131,102345,88000001,1,x,5,y\n`);
    const r = await kiosk(['report', 'reconcile', file, '--operator', 'S001', '--json'], '654321\n');
    expect(r.code).toBe(5);
    const body = JSON.parse(r.out);
    expect(body.refused).toBe(true);
    expect(body.errors).toContainEqual(expect.objectContaining({ line: 2, field: 'amount' }));
    expect(body.errors).toContainEqual(expect.objectContaining({ line: 3, field: 'date' }));
    const ok = join(dir.path, 'ok.csv');
    await writeFile(ok, `${HEADER}\n${line(serials[0]!, '1000.00')}\n`);
    const teller = await kiosk(['report', 'reconcile', ok, '--operator', 'A001', '--json'], '123456\n');
    expect(teller.code).toBe(6);
  }, 120_000);
});
