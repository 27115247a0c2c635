import type { Command } from 'commander';
import type { ApiTxn } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type ApiOptions, apiOptions, withApi } from './api-command.ts';

interface Pending {
  businessDate: string;
  items: ApiTxn[];
  alerted: ApiTxn[];
  counts: { open: number; alerts: number; unresolvedPastDay: number };
}

/** `kiosk pending`: transactions not final yet, what the kiosk is doing about each, and alerts. */
export function registerPending(program: Command, run: (fn: () => Promise<number>) => void): void {
  apiOptions(
    program.command('pending').description('未完成交易与告警 / open transactions, their progress and alerts'),
  ).action((opts: ApiOptions) =>
    run(() =>
      withApi(program, opts, 'operator', async (client) => {
        const p = await client.get<Pending>('/api/pending');
        if (opts.json) {
          printJson(p);
          return EXIT.OK;
        }
        process.stdout.write(
          `账务日期 ${p.businessDate}: 未完成 open ${p.counts.open} · 有告警 alerted ${p.counts.alerts} · 跨日未决 past their day ${p.counts.unresolvedPastDay}\n`,
        );
        const row = (t: ApiTxn) => [
          t.serial,
          t.businessDate,
          t.serviceName.zh,
          t.state,
          t.amount,
          t.status.zh,
          t.status.alerts.map((a) => a.zh).join('；'),
        ];
        const headers = [
          '流水号 serial',
          '日期 date',
          '业务 service',
          '状态 state',
          '金额 amount',
          '进度 progress',
          '告警 alerts',
        ];
        if (p.items.length > 0) printTable(headers, p.items.map(row));
        if (p.alerted.length > 0) {
          process.stdout.write('今日已完成但曾告警 / final today after an alert:\n');
          printTable(headers, p.alerted.map(row));
        }
        return EXIT.OK;
      }),
    ),
  );
}
