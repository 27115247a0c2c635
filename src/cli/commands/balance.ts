import type { Command } from 'commander';
import type { LedgerEntry } from '../../core/ledger.ts';
import { Money } from '../../core/money.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';

const KIND_NAMES: Record<string, string> = {
  hold: '冻结 hold',
  capture: '消费 consumption',
  release: '解冻 release',
  topup: '续费 top-up',
  'topup-reversal': '续费撤销 top-up reversal',
  'reversal-credit': '撤销退回 reversal credit',
  adjustment: '调账 adjustment',
  refund: '退款 refund',
};

export function registerBalance(program: Command, run: (fn: () => Promise<number>) => void): void {
  program
    .command('balance')
    .description('信誉度余额与明细 / prepaid balance and its latest ledger entries')
    .option('--entries <n>', 'show this many latest ledger entries', '10')
    .option('--json', 'print JSON')
    .action((opts: GlobalOptions & { entries: string }) =>
      run(() =>
        withApp({ ...program.opts(), ...opts }, async (app) => {
          const summary = app.balance.summary();
          const entries: LedgerEntry[] = [];
          for await (const e of app.journal.ledgerEntries({ reverse: true, limit: Number(opts.entries) }))
            entries.push(e);
          if (opts.json) {
            printJson({
              ...summary,
              entries: entries.map((e) => ({
                ...e,
                delta: Money.fromFen(e.deltaFen).toString(),
                balanceAfter: Money.fromFen(e.balanceAfterFen).toString(),
              })),
            });
            return EXIT.OK;
          }
          process.stdout.write(
            `余额 balance ￥${summary.balance}  冻结 held ￥${summary.held}  可用 available ￥${summary.available}` +
              `${summary.low ? `  低于预警线 ￥${summary.lowWarning}，请及时续费 / below the warning line, top up` : ''}\n`,
          );
          printTable(
            ['#', '类型 kind', '变动 change', '冻结变动 held', '余额 after', '流水号/参考 ref'],
            entries.map((e) => [
              e.seq,
              KIND_NAMES[e.kind] ?? e.kind,
              Money.fromFen(e.deltaFen).toString(),
              Money.fromFen(e.heldDeltaFen).toString(),
              Money.fromFen(e.balanceAfterFen).toString(),
              e.serial ?? e.ref ?? '',
            ]),
          );
          return EXIT.OK;
        }),
      ),
    );
}
