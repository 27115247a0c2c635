import type { Command } from 'commander';
import { differencesCsv, KIOSK_SIDE } from '../../reconcile/reconcile-csv.ts';
import { refusalLines, runReconciliation } from '../../reconcile/reconcile-run.ts';
import type { HqRepayment } from '../../reconcile/statement-match.ts';
import type { KioskApiClient } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import { summaryLines } from '../reconcile-output.ts';
import { type ApiOptions, apiOptions } from './api-command.ts';

type Action = (opts: ApiOptions, fn: (c: KioskApiClient) => Promise<number>) => void;

/**
 * `kiosk report reconcile FILE`: the UnionPay statement checked here (streamed, every error by line
 * and field), the kiosk's repayments of its dates fetched from the running kiosk, matched with the
 * rules of HQ's import; differences to CSV. Exit 0 all matched, 3 differences, 5 refused.
 */
export function registerReportReconcile(report: Command, action: Action): void {
  apiOptions(
    report
      .command('reconcile <file>')
      .description(
        '信用卡对账 / match a UnionPay statement (CSV, docs/unionpay-statement.md) against this kiosk’s repayments (supervisor): matched, missing here, missing at UnionPay, amount differs',
      )
      .option('--out <file>', 'differences CSV (UTF-8 with BOM); default FILE.differences.csv'),
  ).action((file: string, opts: ApiOptions & { out?: string }) =>
    action(opts, async (client) => {
      const outFile = opts.out || `${file}.differences.csv`;
      const run = await runReconciliation(
        file,
        async (from, to) =>
          (
            await client.get<{ repayments: HqRepayment[] }>(
              `/api/reports/repayments?${new URLSearchParams({ from, to })}`,
            )
          ).repayments,
        () => differencesCsv(outFile, KIOSK_SIDE),
      );
      const { check } = run;
      if (run.refused) {
        if (opts.json) printJson({ refused: true, ...check });
        else process.stdout.write(`${refusalLines(check)}\n`);
        return EXIT.INVALID;
      }
      const { summary } = run;
      if (opts.json)
        printJson({ rows: check.rows, from: check.from, to: check.to, ...summary, differences: outFile });
      else
        process.stdout.write(
          `${summaryLines(KIOSK_SIDE, summary, check.rows, check.from, check.to, outFile)}\n`,
        );
      const differs = summary.missingAtHq + summary.missingAtUnionpay + summary.amountDiffers;
      return differs > 0 ? EXIT.PROBLEMS : EXIT.OK;
    }),
  );
}
