import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/platform/logger.ts';
import type { PaymentRecord } from '../../src/reference-hq/billers/payment-biller.ts';
import { type EmbeddedHq, startEmbeddedHq } from '../../src/reference-hq/embedded.ts';

const run = promisify(execFile);
const STATION = '33010021';
const HEADER = 'date,time,terminal,serial,card,amount,reference';

/** `kiosk-hq reconcile import` as a child process against the embedded HQ's repayment records. */
describe('kiosk-hq reconcile import', () => {
  let dir: string;
  let hq: EmbeddedHq;

  const cli = async (...args: string[]): Promise<{ code: number; out: Record<string, unknown> }> => {
    try {
      const { stdout } = await run(process.execPath, [
        'bin/kiosk-hq.js',
        ...args,
        '--connect',
        hq.connectionFile,
        '--json',
      ]);
      return { code: 0, out: JSON.parse(stdout) };
    } catch (e) {
      const err = e as { code: number; stdout: string };
      return { code: err.code, out: JSON.parse(err.stdout) };
    }
  };

  const repayment = (serial: string, amountFen: number, status: PaymentRecord['status']): PaymentRecord => ({
    ref: `CC${serial}`,
    service: 'credit-card-repayment',
    station: STATION,
    txnKey: `k${serial}`,
    serial,
    account: '6225880000001234',
    amountFen,
    day: '20261105',
    at: 0,
    status,
    data: {},
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-reconcile-'));
    hq = await startEmbeddedHq({
      dataDir: join(dir, 'hq'),
      topicPrefix: 'kiosk',
      logger: silentLogger(),
      billerLatencyMs: 0,
    });
    await hq.server.stations.setTerminal(STATION, { terminalNo: '88000021', status: 'enabled' });
    for (const r of [
      repayment('0000000001', 100_00, 'ok'),
      repayment('0000000002', 50_00, 'ok'),
      repayment('0000000003', 70_00, 'ok'),
      repayment('0000000004', 10_00, 'declined'),
    ])
      await hq.store.put(`b:credit-card-repayment:r:${r.ref}`, r);
  });

  afterAll(async () => {
    await hq?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('matches the statement against HQ and writes every difference to a CSV with a BOM', async () => {
    const file = join(dir, 'statement.csv');
    const diffs = join(dir, 'diffs.csv');
    await writeFile(
      file,
      [
        HEADER,
        '20261105,101010,88000021,0000000001,622588******1234,100.00,A1B2C3D4E5F6',
        '20261105,111111,88000021,0000000002,622588******1234,55.00,A1B2C3D4E5F7',
        '20261105,121212,88000021,0000000004,622588******1234,10.00,A1B2C3D4E5F8',
        '',
      ].join('\r\n'),
    );
    const r = await cli('reconcile', 'import', file, '--out', diffs);
    expect(r.code).toBe(3);
    expect(r.out).toMatchObject({
      rows: 3,
      from: '20261105',
      to: '20261105',
      matched: 1,
      missingAtHq: 1,
      missingAtUnionpay: 1,
      amountDiffers: 1,
      differences: diffs,
    });
    const csv = await readFile(diffs, 'utf8');
    expect(csv.startsWith('\uFEFFkind,date,terminal,serial,station,line,unionpay,hq,hqStatus,card\r\n')).toBe(
      true,
    );
    expect(csv).toContain(`amount-differs,20261105,88000021,0000000002,${STATION},3,55.00,50.00,`);
    expect(csv).toContain(`missing-at-hq,20261105,88000021,0000000004,${STATION},4,10.00,10.00,declined`);
    expect(csv).toContain(`missing-at-unionpay,20261105,88000021,0000000003,${STATION},,,70.00,`);
  });

  it('refuses a bad statement with every error and matches nothing', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(
      file,
      `${HEADER}\n20261305,101010,88000021,0000000001,622588******1234,1.005,A1B2C3D4E5F6\n`,
    );
    const r = await cli('reconcile', 'import', file);
    expect(r.code).toBe(5);
    expect(r.out).toMatchObject({ refused: true });
    expect((r.out.errors as Array<{ line: number; field: string }>).map((e) => [e.line, e.field])).toEqual([
      [2, 'date'],
      [2, 'amount'],
    ]);
  });
});
