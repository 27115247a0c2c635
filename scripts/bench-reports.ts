import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays, localInstant } from '../src/core/business-day.ts';
import { ManualClock } from '../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../src/core/services/catalogue.ts';
import type { TxnRecord } from '../src/core/transaction/types.ts';
import { balancePage } from '../src/journal/balance-page.ts';
import { Journal } from '../src/journal/journal.ts';
import { DAY_TOTALS_META_KEY } from '../src/journal/keys.ts';
import { ledgerOfDates, transactionsOfDates } from '../src/journal/range-reads.ts';
import { reportDays } from '../src/journal/report-days.ts';
import { parseBalanceQuery } from '../src/reports/balance-query.ts';
import { inLedgerView, ledgerRow, ledgerView } from '../src/reports/balance-views.ts';
import { dailyReport, reportOfDays } from '../src/reports/daily-report.ts';
import { ledgerMovement } from '../src/reports/ledger-movement.ts';
import type { ServiceLookup } from '../src/reports/mask-txn.ts';
import { dailyCsv } from '../src/reports/report-csv.ts';
import { settle } from '../src/reports/settlement.ts';
import { writeWithoutSync } from '../tests/support/batch-writes.ts';

const lookup: ServiceLookup = (id) => SERVICE_CATALOGUE.find((s) => s.id === id);
const SERVICES = ['mobile-topup', 'water-bill', 'gas-bill', 'electricity-bill', 'telecom-bill'];
const DAY_CUT = '21:00';
const FIRST = '20250101';

/**
 * Each report over a year of journal: `n` transactions spread over 365 business dates (written
 * without fsync, as filling is not measured), then the time of each report as the API makes it,
 * reading the journal included. Milliseconds, best of `runs`. Year-long reports are read from the
 * per-date totals as the API reads them; `.journal_baseline` figures count the same reports from
 * the snapshots and ledger, and `startup_recount_year` is what counting the totals again costs.
 */
export async function benchReports(n: number, runs = 3): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-bench-reports-'));
  const clock = new ManualClock(localInstant(FIRST, '08:00'));
  const journal = new Journal({ path: dir, stationId: '33010001', clock });
  try {
    await journal.open();
    writeWithoutSync(journal.raw);
    clock.set(localInstant(FIRST, '07:00'));
    await journal.commit((b) => {
      b.ledger({ kind: 'topup', fen: 1e11, ref: 'bench-slip' });
    });
    const perDay = Math.ceil(n / 365);
    let made = 0;
    for (let day = 0; made < n; day++) {
      const date = addDays(FIRST, day);
      clock.set(localInstant(date, '10:00'));
      await journal.commit((b) => {
        for (let i = 0; i < perDay && made < n; i++, made++) {
          const serial = b.nextSerial();
          const reversed = made % 17 === 0;
          const failed = made % 23 === 0;
          const amountFen = 1000 + (made % 50) * 100;
          const t: TxnRecord = {
            v: 1,
            serial,
            idempotencyKey: `k${serial}`,
            stationId: '33010001',
            service: SERVICES[made % SERVICES.length]!,
            channel: made % 5 === 0 ? 'self' : 'operator',
            operator: made % 5 === 0 ? null : `A00${made % 3}`,
            businessDate: date,
            createdAt: b.at,
            updatedAt: b.at,
            state: failed ? 'failed' : reversed ? 'reversed' : 'succeeded',
            stateSince: b.at,
            terminal: true,
            result: failed ? 'failed' : reversed ? 'reversed' : 'succeeded',
            fields: { account: '3301234567', amount: String(amountFen / 100) },
            amountFen,
            feeFen: made % 2 ? 100 : 0,
            data: {},
            attempts: 1,
            generation: 0,
            alerts: [],
          };
          b.ledger({ kind: 'hold', serial, fen: amountFen });
          b.ledger({ kind: failed ? 'release' : 'capture', serial });
          if (reversed && !failed) b.ledger({ kind: 'reversal-credit', serial, fen: amountFen });
          b.event({ type: 'txn.transition', serial, from: 'paying', outcome: 'ok', txn: t });
          b.putTxn(t);
        }
      });
    }
    const last = addDays(FIRST, 364);
    const best = async (fn: () => Promise<unknown>): Promise<number> => {
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await fn();
        min = Math.min(min, performance.now() - t0);
      }
      return Number(min.toFixed(1));
    };
    const station = { kind: 'station' } as const;
    const teller = { kind: 'teller', operator: 'A001' } as const;
    // Today's business date lies after the filled year: every date of it is a whole past date.
    const TODAY = addDays(FIRST, 400);
    const midLedgerSeq = Math.floor(journal.lastCounters.ledger / 2);
    const day = '20250701';
    const figures: Array<[string, () => Promise<unknown>]> = [
      [
        'reports.station_settlement_day',
        async () =>
          settle(
            await transactionsOfDates(journal, day, day),
            { businessDate: day, scope: station, at: 0 },
            lookup,
          ),
      ],
      [
        'reports.teller_settlement_day',
        async () =>
          settle(
            await transactionsOfDates(journal, day, day),
            { businessDate: day, scope: { kind: 'teller', operator: 'A001' }, at: 0 },
            lookup,
          ),
      ],
      [
        'reports.station_daily_report',
        async () => {
          const [t, l] = await Promise.all([
            transactionsOfDates(journal, day, day),
            ledgerOfDates(journal, day, day, DAY_CUT),
          ]);
          return dailyReport(
            t,
            l.entries,
            l.openingFen,
            { from: day, to: day, scope: station, at: 0, dayCut: DAY_CUT },
            lookup,
          );
        },
      ],
      [
        'reports.station_history_year.journal_baseline',
        async () => {
          const [t, l] = await Promise.all([
            transactionsOfDates(journal, FIRST, last),
            ledgerOfDates(journal, FIRST, last, DAY_CUT),
          ]);
          return dailyReport(
            t,
            l.entries,
            l.openingFen,
            { from: FIRST, to: last, scope: station, at: 0, dayCut: DAY_CUT },
            lookup,
          );
        },
      ],
      [
        'reports.teller_history_year.journal_baseline',
        async () => {
          const t = await transactionsOfDates(journal, FIRST, last);
          return dailyReport(
            t,
            [],
            0,
            { from: FIRST, to: last, scope: { kind: 'teller', operator: 'A001' }, at: 0, dayCut: DAY_CUT },
            lookup,
          );
        },
      ],
      [
        'reports.history_year_csv.journal_baseline',
        async () => {
          const [t, l] = await Promise.all([
            transactionsOfDates(journal, FIRST, last),
            ledgerOfDates(journal, FIRST, last, DAY_CUT),
          ]);
          return dailyCsv(
            dailyReport(
              t,
              l.entries,
              l.openingFen,
              { from: FIRST, to: last, scope: station, at: 0, dayCut: DAY_CUT },
              lookup,
            ),
          );
        },
      ],
      [
        'reports.station_history_year',
        async () => {
          const q = { from: FIRST, to: last, scope: station, dayCut: DAY_CUT };
          const { inputs, openingFen } = await reportDays(journal, { ...q, today: TODAY });
          return reportOfDays(inputs, openingFen, { ...q, at: 0 }, lookup);
        },
      ],
      [
        'reports.teller_history_year',
        async () => {
          const q = { from: FIRST, to: last, scope: teller, dayCut: DAY_CUT };
          const { inputs, openingFen } = await reportDays(journal, { ...q, today: TODAY });
          return reportOfDays(inputs, openingFen, { ...q, at: 0 }, lookup);
        },
      ],
      [
        'reports.history_year_csv',
        async () => {
          const q = { from: FIRST, to: last, scope: station, dayCut: DAY_CUT };
          const { inputs, openingFen } = await reportDays(journal, { ...q, today: TODAY });
          return dailyCsv(reportOfDays(inputs, openingFen, { ...q, at: 0 }, lookup));
        },
      ],
      [
        'reports.startup_recount_year',
        async () => {
          await journal.raw.del(DAY_TOTALS_META_KEY);
          await journal.checkDayTotals();
        },
      ],
      [
        'reports.balance_changes_year.journal_baseline',
        async () => {
          const l = await ledgerOfDates(journal, FIRST, last, DAY_CUT);
          const view = ledgerView('changes');
          return [ledgerMovement(l.entries, l.openingFen), l.entries.filter((e) => inLedgerView(e, view))];
        },
      ],
      [
        'reports.balance_changes_year',
        async () => {
          const q = parseBalanceQuery({ group: 'changes', from: FIRST, to: last, limit: '100' }, TODAY);
          const page = await balancePage(journal, q, { dayCut: DAY_CUT, today: TODAY });
          return page.entries.map(ledgerRow);
        },
      ],
      [
        'reports.balance_changes_year_mid_page',
        async () => {
          const q = parseBalanceQuery(
            { group: 'changes', from: FIRST, to: last, limit: '100', after: String(midLedgerSeq) },
            TODAY,
          );
          const page = await balancePage(journal, q, { dayCut: DAY_CUT, today: TODAY });
          return page.entries.map(ledgerRow);
        },
      ],
    ];
    const out: Record<string, unknown>[] = [];
    for (const [figure, fn] of figures)
      out.push({ figure, transactions: n, unit: 'ms', value: await best(fn), ...targetOf(figure) });
    return out;
  } finally {
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A report someone waits for has a target; the journal baselines and the recount are figures to
 * compare with, not reports anyone opens.
 */
function targetOf(figure: string): { target: string } | { note: string } {
  if (figure.endsWith('.journal_baseline'))
    return { note: 'the same report counted from the snapshots and the ledger, without the per-date totals' };
  if (figure === 'reports.startup_recount_year')
    return {
      note: 'counting the per-date totals again, as a start-up does when they are missing or damaged',
    };
  return { target: '< 200' };
}
