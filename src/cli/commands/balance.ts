import type { Command } from 'commander';
import { businessDate } from '../../core/business-day.ts';
import { Money } from '../../core/money.ts';
import { parseBalanceQuery } from '../../reports/balance-query.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';
import { type ApiOptions, withApi } from './api-command.ts';

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
    .option('--entries <n>', 'show this many latest ledger entries (1–500)', '10')
    .option('--json', 'print JSON')
    .option('--url <url>', 'ask the running kiosk (KIOSK_URL) instead of opening the journal')
    .option('--operator <code>', 'while the kiosk runs: log in as this operator and ask its API')
    .option('--token <token>', 'while the kiosk runs: an operator session token (or KIOSK_TOKEN)')
    .action((opts: GlobalOptions & ApiOptions & { entries: string }) =>
      run(() =>
        opts.url || opts.operator || opts.token || process.env.KIOSK_TOKEN
          ? withApi(program, opts, 'operator', async (client) => {
              const b = await client.get<Record<string, unknown>>(
                `/api/balance?limit=${encodeURIComponent(opts.entries)}`,
              );
              if (opts.json) printJson(b);
              else {
                const rows = b.entries as Array<{
                  seq: number;
                  kindLabel: { zh: string; en: string };
                  delta: string;
                  heldDelta: string;
                  balanceAfter: string;
                  serial: string | null;
                  ref: string | null;
                }>;
                process.stdout.write(
                  `余额 balance ￥${b.balance}  冻结 held ￥${b.held}  可用 available ￥${b.available}${b.low ? `  低于预警线 ￥${b.lowWarning}，请及时续费 / below the warning line, top up` : ''}\n`,
                );
                printTable(
                  ['#', '类型 kind', '变动 change', '冻结变动 held', '余额 after', '流水号/参考 ref'],
                  rows.map((e) => [
                    e.seq,
                    `${e.kindLabel.zh} ${e.kindLabel.en}`,
                    e.delta,
                    e.heldDelta,
                    e.balanceAfter,
                    e.serial ?? e.ref ?? '',
                  ]),
                );
              }
              return EXIT.OK;
            })
          : withApp({ ...program.opts(), ...opts }, async (app) => {
              const summary = app.balance.summary();
              const today = businessDate(app.clock.now(), app.config.business.dayCut);
              const { entries } = await app.records.balancePage(
                parseBalanceQuery({ limit: opts.entries }, today),
                { dayCut: app.config.business.dayCut, today },
              );
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
