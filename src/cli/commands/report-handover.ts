import type { Command } from 'commander';
import type { HandoverRecord } from '../../settlement/settlement-book.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { apiOptions } from './api-command.ts';
import { query, type ReportAction, type ReportOpts } from './report-options.ts';

/**
 * `kiosk report handover`: 网点隔日扎账, the cash handed in for a business date recorded against its
 * cash due (supervisor); without --handed-in, that date's handovers listed.
 */
export function registerReportHandover(report: Command, action: ReportAction): void {
  apiOptions(
    report
      .command('handover')
      .description(
        '网点隔日扎账 / record the cash handed in for a business date (supervisor); without --handed-in, list them',
      )
      .option('--date <yyyymmdd>', 'business date (default today)')
      .option('--handed-in <yuan>', 'cash handed in')
      .option('--note <text>', 'a remark'),
  ).action((opts: ReportOpts) =>
    action(opts, async (client) => {
      if (opts.handedIn === undefined) {
        const l = await client.get<{ businessDate: string; handovers: HandoverRecord[] }>(
          `/api/reports/handover${query({ date: opts.date })}`,
        );
        if (opts.json) printJson(l);
        else
          printTable(
            ['#', '账务日期 date', '应交 due', '实交 handed in', '差额 difference', '操作员 by'],
            l.handovers.map((h) => [
              h.id,
              h.businessDate,
              h.cashDueFen / 100,
              h.handedInFen / 100,
              h.differenceFen / 100,
              h.by,
            ]),
          );
        return EXIT.OK;
      }
      const h = await client.post<HandoverRecord>('/api/reports/handover', {
        ...(opts.date ? { date: opts.date } : {}),
        handedIn: opts.handedIn,
        ...(opts.note ? { note: opts.note } : {}),
      });
      if (opts.json) printJson(h);
      else
        process.stdout.write(
          `网点隔日扎账 #${h.id} ${h.businessDate}: 应交 due ￥${(h.cashDueFen / 100).toFixed(2)}  实交 handed in ￥${(h.handedInFen / 100).toFixed(2)}  差额 difference ￥${(h.differenceFen / 100).toFixed(2)}\n`,
        );
      return EXIT.OK;
    }),
  );
}
