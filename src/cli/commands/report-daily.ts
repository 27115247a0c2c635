import type { Command } from 'commander';
import type { DailyReport } from '../../reports/daily-report.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { apiOptions } from './api-command.ts';
import { query, type ReportAction, type ReportOpts, saveCsv, scoped, scopeParams } from './report-options.ts';
import { printLedger, printSettlement } from './report-tables.ts';

/**
 * `kiosk report daily`: 营业日报 of a business date, or the historical report over a range, by day
 * with the range's settlement and ledger movement; --print prints it, --csv saves the export.
 */
export function registerReportDaily(report: Command, action: ReportAction): void {
  apiOptions(
    scoped(
      report
        .command('daily')
        .description('营业日报 / daily report of a date, or the historical report of a range')
        .option('--date <yyyymmdd>', 'business date (default today)')
        .option('--from <yyyymmdd>', 'first business date of a range')
        .option('--to <yyyymmdd>', 'last business date of a range (default today)')
        .option('--print', 'print it through the kiosk’s printer')
        .option('--csv <file>', 'save as CSV (UTF-8 with BOM); "-" for stdout'),
    ),
  ).action((opts: ReportOpts) =>
    action(opts, async (client) => {
      const params = { ...scopeParams(opts), date: opts.date, from: opts.from, to: opts.to };
      if (opts.csv)
        return saveCsv(client, `/api/reports/daily${query({ ...params, format: 'csv' })}`, opts.csv);
      const r = await client.get<DailyReport>(`/api/reports/daily${query(params)}`);
      if (opts.print) await client.post('/api/reports/daily/print', params);
      if (opts.json) {
        printJson(r);
        return EXIT.OK;
      }
      process.stdout.write(
        `${r.kind === 'station' ? '网点营业日报 station' : `柜员营业日报 teller ${r.operator}`}  ${r.from}–${r.to}\n`,
      );
      printTable(
        [
          '账务日期 date',
          '笔数 txns',
          '净额 net',
          '撤销 reversals',
          '失败 failed',
          '应有现金 cash due',
          '扫码 QR',
          '期末余额 closing',
        ],
        r.days.map((d) => [
          d.businessDate,
          d.transactions,
          `${d.settlement.totals.net.count} / ￥${d.settlement.totals.net.total}`,
          `${d.settlement.totals.reversals.count} / ￥${d.settlement.totals.reversals.total}`,
          `${d.failed.count} / ￥${d.failed.total}`,
          d.settlement.cashDue,
          d.settlement.qrNet,
          d.ledger?.closing ?? '',
        ]),
      );
      printSettlement(r.summary);
      if (r.ledger) printLedger(r.ledger);
      return EXIT.OK;
    }),
  );
}
