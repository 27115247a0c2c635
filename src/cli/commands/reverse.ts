import type { Command } from 'commander';
import { type ApiTxn, followTransaction, parseAssignments } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import {
  type ApiOptions,
  apiOptions,
  confirm,
  fieldLabels,
  printTxn,
  waitMs,
  withApi,
} from './api-command.ts';

interface ReverseOptions extends ApiOptions {
  yes?: boolean;
  wait: string;
}

/**
 * `kiosk reverse <serial> key=value...`: the reversal (撤销) of a same-day transaction, confirmed by
 * entering the number and amount of the original again; followed until final, or until it waits
 * for the biller's reversal result (the kiosk keeps asking by itself).
 */
export function registerReverse(program: Command, run: (fn: () => Promise<number>) => void): void {
  apiOptions(
    program
      .command('reverse <serial> [fields...]')
      .description(
        '撤销交易 / reverse a transaction: kiosk reverse 0000000042 phone=… amount=50 --operator A001',
      )
      .option('-y, --yes', 'do not ask for confirmation')
      .option('--wait <seconds>', 'follow the reversal at most this long', '60'),
  ).action((serial: string, args: string[], opts: ReverseOptions) =>
    run(() =>
      withApi(program, opts, 'operator', async (client) => {
        const input = parseAssignments(args);
        const wait = waitMs(opts.wait);
        const id = encodeURIComponent(serial);
        const before = await client.get<ApiTxn>(`/api/transactions/${id}`);
        const labels = await fieldLabels(client, before.service);
        if (!opts.json) printTxn(before, labels);
        if (
          !opts.yes &&
          !(await confirm(`确认撤销流水 ${before.serial}？ Reverse transaction ${before.serial}?`))
        ) {
          process.stderr.write('已取消 / cancelled\n');
          if (opts.json) printJson({ cancelled: true, transaction: before });
          return EXIT.REFUSED;
        }
        const txn = await followTransaction(
          client,
          before.serial,
          () => client.post<ApiTxn>(`/api/transactions/${id}/actions/reverse`, input),
          wait,
        );
        if (opts.json) printJson(txn);
        else printTxn(txn, labels);
        if (txn.terminal && txn.result !== 'reversed') {
          process.stderr.write(
            `撤销未成功，原交易有效 / the reversal did not succeed; the payment stands${txn.reason ? `: ${txn.reason.zh} / ${txn.reason.en}` : ''}\n`,
          );
          return EXIT.REFUSED;
        }
        if (!txn.terminal)
          process.stderr.write(
            `撤销申请已提交，服务亭会自动查询撤销结果 / reversal requested; the kiosk asks for its result by itself (kiosk query ${txn.serial})\n`,
          );
        return EXIT.OK;
      }),
    ),
  );
}
