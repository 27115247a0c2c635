import type { Command } from 'commander';
import { differencesCsv, HQ_SIDE } from '../../reconcile/reconcile-csv.ts';
import { refusalLines, runReconciliation } from '../../reconcile/reconcile-run.ts';
import type { HqRepayment } from '../../reconcile/statement-match.ts';
import { EXIT } from '../exit-codes.ts';
import { summaryLines } from '../reconcile-output.ts';
import { addConnectOptions, type ConnectOptions, withAdmin } from './connect.ts';
import { out } from './print.ts';

type Run = (fn: () => Promise<number>) => void;

/** Credit-card reconciliation (对账): the UnionPay statement against HQ's repayment records. */
export function registerReconcileCommands(program: Command, run: Run): void {
  const reconcile = program.command('reconcile').description('对账 / credit-card reconciliation');
  addConnectOptions(reconcile.command('import <file>'))
    .description(
      'match a UnionPay statement (CSV, docs/unionpay-statement.md) against HQ: matched, missing at HQ, missing at UnionPay, amount differs',
    )
    .option('--out <file>', 'differences CSV (UTF-8 with BOM)', '')
    .option('--json', 'JSON output')
    .action((file: string, o: ConnectOptions & { out: string; json?: boolean }) =>
      run(async () => {
        const outFile = o.out || `${file}.differences.csv`;
        const run = await runReconciliation(
          file,
          (from, to) => withAdmin(o, (c) => c.request<HqRepayment[]>('repayments', { from, to })),
          () => differencesCsv(outFile, HQ_SIDE),
        );
        const { check } = run;
        if (run.refused) {
          out(o.json, { refused: true, ...check }, () => refusalLines(check));
          return EXIT.INVALID;
        }
        const { summary } = run;
        const result = { rows: check.rows, from: check.from, to: check.to, ...summary, differences: outFile };
        out(o.json, result, () => summaryLines(HQ_SIDE, summary, check.rows, check.from, check.to, outFile));
        const differs = summary.missingAtHq + summary.missingAtUnionpay + summary.amountDiffers;
        return differs > 0 ? EXIT.PROBLEMS : EXIT.OK;
      }),
    );
}
