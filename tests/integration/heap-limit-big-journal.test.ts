import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { addDays, localInstant } from '../../src/core/business-day.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { CREDIT_CARD_SERVICE } from '../../src/core/services/credit-card.ts';
import type { TxnRecord } from '../../src/core/transaction/types.ts';
import { HQ_KEYS } from '../../src/hq-link/kiosk-state.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { type MonthlyPushRecord, monthlyPushKey } from '../../src/settlement/monthly-push.ts';
import { writeWithoutSync } from '../support/batch-writes.ts';
import { CHOSEN_TIME } from '../support/chosen-time.ts';
import { tempDir } from '../support/kiosk-harness.ts';
import { KioskProcess } from '../support/kiosk-process.ts';
import { STATEMENT_HEADER, statementLine, TERMINAL } from '../support/repayments.ts';
import { unitSettings } from '../support/unit-settings.ts';

/**
 * The largest operations a kiosk runs over its journal, in the real kiosk process started with the
 * V8 options of its systemd unit (its old-generation cap included): a month of 12,000 transactions
 * (the month before the chosen time, so the monthly report to HQ is made at start), then the whole
 * month's balance export, daily report export, settlement and store check, and a reconciliation
 * and export of a statement as large as the configured limit allows (16 MiB, ~230,000 lines) against
 * it. Each must answer in full and the process must still be running: under too low a cap V8
 * aborts the process (heap out of memory) instead.
 */
const PER_DAY = 400;
const DAYS = 30;
const FIRST = '20261101';
const REPAYMENT_EVERY = 4;
const MAX_BYTES = 16 * 1024 * 1024;

describe('the kiosk under its unit’s heap limit: a month of 12,000 transactions and the largest statement', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let kiosk: KioskProcess;
  let nodeArgs: string[] = [];
  let repayments = 0;
  let differs = 0;
  let fillers = 0;
  let ledgerRows = 0;
  const statements = () => join(dir.path, 'statements');
  const as: Record<string, string> = {};

  beforeAll(async () => {
    dir = await tempDir('kiosk-heap-limit-');
    nodeArgs = (await unitSettings()).nodeArgs;
    const config = join(dir.path, 'kiosk.json');
    kiosk = new KioskProcess(config, {
      stationId: '33010001',
      dataDir: join(dir.path, 'data'),
      hq: { mode: 'off' },
      reports: { statements: { dir: statements(), media: [], maxBytes: MAX_BYTES } },
    });
    kiosk.nodeArgs = nodeArgs;
    await kiosk.prepare({ teller: false });

    // The month, written through the journal's own commit path (without fsync: filling is not measured).
    const clock = new ManualClock(localInstant(FIRST, '07:00'));
    const app = new KioskApp({ configFile: config, logger: silentLogger(), http: false, clock });
    await app.open();
    await app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await app.operators.add({ code: 'S001', name: '王五', role: 'supervisor', password: '654321' });
    writeWithoutSync(app.journal.raw);
    await app.journal.commit((b) => {
      b.put(HQ_KEYS.terminal, { terminalNo: TERMINAL, status: 'enabled', at: b.at });
      b.ledger({ kind: 'topup', fen: 1e11, ref: 'opening-slip' });
    });
    const lines: string[] = [STATEMENT_HEADER];
    let made = 0;
    for (let day = 0; day < DAYS; day++) {
      const date = addDays(FIRST, day);
      clock.set(localInstant(date, '10:00'));
      await app.journal.commit((b) => {
        for (let i = 0; i < PER_DAY; i++, made++) {
          const serial = b.nextSerial();
          const repayment = made % REPAYMENT_EVERY === 0;
          const failed = made % 23 === 0;
          const amountFen = 1000 + (made % 50) * 100;
          const t: TxnRecord = {
            v: 1,
            serial,
            idempotencyKey: `k${serial}`,
            stationId: '33010001',
            service: repayment ? CREDIT_CARD_SERVICE : 'water-bill',
            channel: 'operator',
            operator: made % 2 ? 'A001' : 'S001',
            businessDate: date,
            createdAt: b.at,
            updatedAt: b.at,
            state: failed ? 'failed' : 'succeeded',
            stateSince: b.at,
            terminal: true,
            result: failed ? 'failed' : 'succeeded',
            fields: repayment
              ? {
                  debitCard: '622202******0128',
                  creditCard: '625807******7896',
                  amount: String(amountFen / 100),
                }
              : { account: '55501234', amount: String(amountFen / 100) },
            amountFen,
            feeFen: 0,
            data: {},
            attempts: 1,
            generation: 0,
            alerts: [],
          };
          b.ledger({ kind: 'hold', serial, fen: amountFen });
          b.ledger({ kind: failed ? 'release' : 'capture', serial });
          ledgerRows += 2;
          b.event({ type: 'txn.transition', serial, from: 'paying', outcome: 'ok', txn: t });
          b.putTxn(t);
          if (repayment && !failed) {
            repayments++;
            // Every 10th repayment is on the statement with one yuan more than the kiosk took.
            const off = repayments % 10 === 0;
            if (off) differs++;
            lines.push(statementLine(date, serial, ((amountFen + (off ? 100 : 0)) / 100).toFixed(2)));
          }
        }
      });
    }
    await app.journal.close();
    // UnionPay's lines the kiosk has no transaction for fill the statement up to the limit.
    let bytes = Buffer.byteLength(lines.join('\r\n')) + 2;
    for (;;) {
      const line = statementLine(
        addDays(FIRST, fillers % DAYS),
        `9${String(fillers).padStart(9, '0')}`,
        '12.00',
      );
      if (bytes + line.length + 2 > MAX_BYTES) break;
      lines.push(line);
      bytes += line.length + 2;
      fillers++;
    }
    await mkdir(statements(), { recursive: true, mode: 0o750 });
    await writeFile(join(statements(), 'statement-month.csv'), `${lines.join('\r\n')}\r\n`);

    await kiosk.start(120_000, CHOSEN_TIME);
    const s = await kiosk.api('POST', '/api/session', { code: 'S001', password: '654321' }, false);
    as.S001 = s.body.token;
  }, 300_000);

  afterAll(async () => {
    await kiosk?.kill();
    await dir?.cleanup();
  });

  const get = async (path: string, method = 'GET') => {
    const res = await fetch(`${kiosk.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${as.S001}` },
      signal: AbortSignal.timeout(240_000),
    });
    return { status: res.status, text: await res.text() };
  };

  it('runs with the unit’s old-generation cap', () => {
    expect(nodeArgs.some((a) => /^--max-old-space-size=\d+$/.test(a))).toBe(true);
  });

  it('exports the whole month’s balance entries and daily report, and settles its busiest day', async () => {
    const balance = await get(`/api/balance?from=${FIRST}&to=${addDays(FIRST, DAYS - 1)}&format=csv`);
    expect(balance.status).toBe(200);
    // A header line, then one line per ledger entry of the month (the opening top-up included).
    expect(balance.text.trim().split('\n').length).toBeGreaterThanOrEqual(ledgerRows + 1);
    const daily = await get(`/api/reports/daily?from=${FIRST}&to=${addDays(FIRST, DAYS - 1)}&format=csv`);
    expect(daily.status).toBe(200);
    // One row per business date of the month.
    for (let day = 0; day < DAYS; day++)
      expect(daily.text).toMatch(new RegExp(`^${addDays(FIRST, day)},\\d+,`, 'm'));
    const settlement = await get(`/api/reports/settlement?date=${addDays(FIRST, DAYS - 1)}`);
    expect(settlement.status).toBe(200);
    expect(kiosk.running).toBe(true);
  }, 300_000);

  it('checks the whole store', async () => {
    const verify = await get('/api/journal/verify');
    expect(verify.status).toBe(200);
    expect(JSON.parse(verify.text).ok).toBe(true);
    expect(kiosk.running).toBe(true);
  }, 300_000);

  it('reconciles the largest statement the kiosk accepts against the month', async () => {
    const listing = JSON.parse((await get('/api/reports/statements')).text);
    const id = listing.statements.find((f: { name: string }) => f.name === 'statement-month.csv').id;
    const counts = {
      matched: repayments - differs,
      missingAtKiosk: fillers,
      missingAtUnionpay: 0,
      amountDiffers: differs,
      differences: fillers + differs,
    };
    const exported = await get(`/api/reports/statements/${id}/export`, 'POST');
    expect(exported.status).toBe(201);
    const r = JSON.parse(exported.text);
    expect(r.counts).toEqual(counts);
    const csv = await readFile(join(statements(), r.file), 'utf8');
    expect(csv.trim().split('\n').length).toBe(1 + counts.differences);
    expect(kiosk.running).toBe(true);
  }, 300_000);

  it('made the month’s report to HQ at start, over every transaction of the month', async () => {
    await kiosk.stop();
    const app = new KioskApp({ configFile: kiosk.configFile, logger: silentLogger(), http: false });
    await app.open();
    try {
      const record = await app.journal.getJson<MonthlyPushRecord>(monthlyPushKey('202611'));
      expect(record?.count).toBe(DAYS * PER_DAY);
    } finally {
      await app.journal.close();
    }
  }, 300_000);
});
