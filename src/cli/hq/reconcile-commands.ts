import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import {
  checkStatement,
  type Difference,
  type HqRepayment,
  reconcileStatement,
} from '../../hq-platform/reconcile.ts';
import { BOM, csvCell } from '../../reports/csv.ts';
import { yuan } from '../../reports/txn-view.ts';
import { EXIT } from '../exit-codes.ts';
import { addConnectOptions, type ConnectOptions, withAdmin } from './connect.ts';
import { out } from './print.ts';

type Run = (fn: () => Promise<number>) => void;

const DIFF_COLUMNS = ['kind', 'date', 'terminal', 'serial', 'station', 'line', 'unionpay', 'hq', 'hqStatus'];

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
        const sink = createWriteStream(outFile, { encoding: 'utf8' });
        sink.write(`${BOM}${DIFF_COLUMNS.join(',')}\r\n`);
        const write = (d: Difference) => {
          const cells = [
            d.kind,
            d.date,
            d.terminal,
            d.serial,
            d.station,
            d.line,
            d.unionpayFen === null ? null : yuan(d.unionpayFen),
            d.hqFen === null ? null : yuan(d.hqFen),
            d.hqStatus,
          ];
          const ok = sink.write(`${cells.map(csvCell).join(',')}\r\n`);
          return ok ? undefined : new Promise<void>((r) => sink.once('drain', () => r()));
        };
        const summary = await reconcileStatement(file, hq, write);
        await new Promise<void>((resolve, reject) =>
          sink.end((e?: Error | null) => (e ? reject(e) : resolve())),
        );
        const result = { rows: check.rows, from: check.from, to: check.to, ...summary, differences: outFile };
        out(o.json, result, () =>
          [
            `statement ${check.from}–${check.to}: ${check.rows} lines`,
            `  matched 相符            ${summary.matched}`,
            `  missing at HQ 总部无     ${summary.missingAtHq}`,
            `  missing at UnionPay 银联无 ${summary.missingAtUnionpay}`,
            `  amount differs 金额不符   ${summary.amountDiffers}`,
            `differences written to ${outFile}`,
          ].join('\n'),
        );
        const differs = summary.missingAtHq + summary.missingAtUnionpay + summary.amountDiffers;
        return differs > 0 ? EXIT.PROBLEMS : EXIT.OK;
      }),
    );
}
