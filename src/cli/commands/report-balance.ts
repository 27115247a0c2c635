import type { Command } from 'commander';
import type { LedgerRow } from '../../reports/balance-views.ts';
import type { LedgerMovement } from '../../reports/ledger-movement.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { apiOptions, localTime } from './api-command.ts';
import { query, type ReportAction, type ReportOpts, saveCsv } from './report-options.ts';
import { printLedger } from './report-tables.ts';

/**
 * `kiosk report balance`: the balance views over a date range (续费明细, 交易明细, 余额变更, 调账,
 * 退款通知) a page at a time; --print prints the page, --csv saves the whole range.
 */
export function registerReportBalance(report: Command, action: ReportAction): void {
  apiOptions(
    report
      .command('balance')
      .description(
        '余额明细 / balance views: 续费明细 topups, 交易明细 consumption, 余额变更 changes, 调账 adjustments, 退款通知 refunds',
      )
      .option(
        '--group <view>',
        'topups | consumption | changes | adjustments | refunds | reversalCredits | holds',
      )
      .option('--from <yyyymmdd>', 'first business date')
      .option('--to <yyyymmdd>', 'last business date (default today)')
      .option('--limit <n>', 'entries per page (1–500, default 50)')
      .option('--after <cursor>', 'the page after this cursor (the "next" of the previous page)')
      .option('--print', 'print this page (and the range’s movement) on the kiosk’s printer')
      .option('--csv <file>', 'save the whole range as CSV (UTF-8 with BOM); "-" for stdout'),
  ).action((opts: ReportOpts) =>
    action(opts, async (client) => {
      const params = {
        group: opts.group,
        from: opts.from,
        to: opts.to,
        limit: opts.limit,
        after: opts.after,
      };
      if (opts.csv) return saveCsv(client, `/api/balance${query({ ...params, format: 'csv' })}`, opts.csv);
      if (opts.print) {
        const p = await client.post<{ printed: { outcome: string } | null }>('/api/balance/print', params);
        if (opts.json) printJson(p);
        else process.stdout.write(`打印 printed: ${p.printed?.outcome ?? 'no printer'}\n`);
        return p.printed?.outcome === 'printed' ? EXIT.OK : EXIT.PROBLEMS;
      }
      const b = await client.get<{
        balance: string;
        held: string;
        available: string;
        low: boolean;
        lowWarning: string;
        movement: LedgerMovement | null;
        count: number | null;
        next: string | null;
        entries: LedgerRow[];
      }>(`/api/balance${query(params)}`);
      if (opts.json) {
        printJson(b);
        return EXIT.OK;
      }
      process.stdout.write(
        `余额 balance ￥${b.balance}  冻结 held ￥${b.held}  可用 available ￥${b.available}${b.low ? `  低于预警线 ￥${b.lowWarning} below the warning line` : ''}\n`,
      );
      printTable(
        ['#', '时间 time', '类型 kind', '变动 change', '余额 after', '流水号/参考 ref'],
        b.entries.map((e) => [
          e.seq,
          localTime(e.at),
          e.kindLabel.zh,
          e.delta,
          e.balanceAfter,
          e.serial ?? e.ref ?? '',
        ]),
      );
      if (b.movement) printLedger(b.movement);
      if (b.count !== null) process.stdout.write(`共 ${b.count} 条 entries in the range\n`);
      if (b.next) process.stdout.write(`下一页 next page: --after ${b.next}\n`);
      return EXIT.OK;
    }),
  );
}
