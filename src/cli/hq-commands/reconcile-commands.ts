import type { Command } from 'commander';
import { checkStatement, type HqRepayment } from '../../reference-hq/reconcile.ts';
import { EXIT } from '../exit-codes.ts';
import { HQ_SIDE, summaryLines, writeReconciliation } from '../reconcile-output.ts';
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
        const check = await checkStatement(file);
        if (check.errors.length > 0) {
          out(o.json, { refused: true, ...check }, () =>
            [
              `statement refused, nothing matched — 对账文件有误，未对账 (${check.errors.length + check.moreErrors} errors):`,
              ...check.errors.map((e) => `  line ${e.line} ${e.field}: ${e.zh} / ${e.en}`),
              ...(check.moreErrors > 0 ? [`  … and ${check.moreErrors} more`] : []),
            ].join('\n'),
          );
          return EXIT.INVALID;
        }
        const hq = await withAdmin(o, (c) =>
          c.request<HqRepayment[]>('repayments', { from: check.from, to: check.to }),
        );
        const outFile = o.out || `${file}.differences.csv`;
        const summary = await writeReconciliation(file, hq, outFile, HQ_SIDE);
        const result = { rows: check.rows, from: check.from, to: check.to, ...summary, differences: outFile };
        out(o.json, result, () => summaryLines(HQ_SIDE, summary, check.rows, check.from, check.to, outFile));
        const differs = summary.missingAtHq + summary.missingAtUnionpay + summary.amountDiffers;
        return differs > 0 ? EXIT.PROBLEMS : EXIT.OK;
      }),
    );
}
