import type { Command } from 'commander';
import type { Settlement } from '../../reports/settlement.ts';
import type { SettlementRecord } from '../../settlement/settlement-book.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import { apiOptions } from './api-command.ts';
import { query, type ReportAction, type ReportOpts, saveCsv, scoped, scopeParams } from './report-options.ts';
import { printSettlement } from './report-tables.ts';

/**
 * `kiosk report settlement`: 柜员扎账 / 网点扎账 of today, shown, or recorded (journal, HQ digest)
 * and printed with --record; --csv saves the export.
 */
export function registerReportSettlement(report: Command, action: ReportAction): void {
  apiOptions(
    scoped(
      report
        .command('settlement')
        .description('柜员扎账 / 网点扎账: totals by business type and the cash the drawer should hold')
        .option('--record', 'record it (journal, HQ digest) and print the slip')
        .option('--no-print', 'with --record: do not print')
        .option('--csv <file>', 'save as CSV (UTF-8 with BOM); "-" for stdout'),
    ),
  ).action((opts: ReportOpts) =>
    action(opts, async (client) => {
      const params = scopeParams(opts);
      if (opts.csv)
        return saveCsv(client, `/api/reports/settlement${query({ ...params, format: 'csv' })}`, opts.csv);
      const s = opts.record
        ? await client.post<Settlement & { record: SettlementRecord }>('/api/reports/settlement', {
            ...params,
            print: opts.print !== false,
          })
        : await client.get<Settlement>(`/api/reports/settlement${query(params)}`);
      if (opts.json) printJson(s);
      else {
        printSettlement(s);
        const rec = (s as { record?: SettlementRecord }).record;
        if (rec) process.stdout.write(`已记录 recorded #${rec.id}  摘要 digest ${rec.digest}\n`);
      }
      return EXIT.OK;
    }),
  );
}
