import type { Command } from 'commander';
import type { ApiTxn } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import { type ApiOptions, apiOptions, fieldLabels, localTime, printTxn, withApi } from './api-command.ts';

interface ReceiptData {
  serviceName: string;
  serial: string;
  time: number;
  operator: string | null;
  lines: Array<{ label: string; value: string }>;
  amount: string;
  fee: string;
  total: string;
}

/** `kiosk query <serial>`: one transaction, its state and what the kiosk is doing about it. */
export function registerQuery(program: Command, run: (fn: () => Promise<number>) => void): void {
  apiOptions(
    program
      .command('query <serial>')
      .description('查询交易 / show a transaction of the running kiosk by its serial number (流水号)')
      .option('--receipt', 'print the receipt data for a reprint (补打收据; needs an operator)'),
  ).action((serial: string, opts: ApiOptions & { receipt?: boolean }) =>
    run(() =>
      withApi(program, opts, opts.receipt ? 'operator' : 'optional', async (client) => {
        const id = encodeURIComponent(serial);
        if (opts.receipt) {
          const r = await client.get<ReceiptData>(`/api/transactions/${id}/receipt`);
          if (opts.json) printJson(r);
          else {
            const lines = [
              `${r.serviceName}  补打 / REPRINT`,
              `流水号 serial: ${r.serial}  时间 time: ${localTime(r.time)}  柜员 operator: ${r.operator ?? '自助'}`,
              ...r.lines.map((l) => `${l.label}: ${l.value}`),
              `金额 ￥${r.amount}  手续费 ￥${r.fee}  合计 ￥${r.total}`,
            ];
            process.stdout.write(`${lines.join('\n')}\n`);
          }
          return EXIT.OK;
        }
        const t = await client.get<ApiTxn>(`/api/transactions/${id}`);
        if (opts.json) printJson(t);
        else printTxn(t, await fieldLabels(client, t.service));
        return EXIT.OK;
      }),
    ),
  );
}
