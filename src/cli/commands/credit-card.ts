import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type ApiOptions, apiOptions, localTime, withApi } from './api-command.ts';

interface TerminalStatus {
  terminalNo: string | null;
  status: 'enabled' | 'disabled' | 'unbound';
  reason: string | null;
  date: string;
  signedIn: boolean;
  signedInAt: number | null;
  already?: boolean;
}

interface History {
  from: string;
  to: string;
  items: Array<{ serial: string; date: string; amount: string; status: string; ref: string }>;
}

const STATUS: Record<TerminalStatus['status'], string> = {
  enabled: '已启用 enabled',
  disabled: '已停用 disabled',
  unbound: '未绑定 not bound',
};

function printStatus(s: TerminalStatus): void {
  const lines = [
    `终端号 terminal: ${s.terminalNo ?? '—'}  状态 status: ${STATUS[s.status]}${s.reason ? `（${s.reason}）` : ''}`,
    `账务日期 business date: ${s.date}  签到 signed in: ${s.signedIn ? `是 yes (${localTime(s.signedInAt ?? 0)})` : '否 no'}`,
  ];
  if (s.already) lines.push('今日已签到 / already signed in today');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `kiosk credit-card status | sign-in | history`: the repayment terminal HQ bound to the kiosk,
 * its daily sign-in (签到, needed before the first repayment of each business date) and the
 * repayment history by date range. Repayments themselves: `kiosk pay credit-card-repayment`.
 */
export function registerCreditCard(program: Command, run: (fn: () => Promise<number>) => void): void {
  const group = program
    .command('credit-card')
    .description('信用卡还款终端 / credit-card repayment terminal: status, daily sign-in, history');
  apiOptions(group.command('status').description('终端绑定与今日签到 / binding and today’s sign-in')).action(
    (opts: ApiOptions) =>
      run(() =>
        withApi(program, opts, 'optional', async (client) => {
          const s = await client.get<TerminalStatus>('/api/credit-card/terminal');
          if (opts.json) printJson(s);
          else printStatus(s);
          return EXIT.OK;
        }),
      ),
  );
  apiOptions(
    group.command('sign-in').description('每日签到（首笔还款前）/ daily sign-in before the first repayment'),
  ).action((opts: ApiOptions) =>
    run(() =>
      withApi(program, opts, 'operator', async (client) => {
        const s = await client.post<TerminalStatus>('/api/credit-card/sign-in');
        if (opts.json) printJson(s);
        else printStatus(s);
        return EXIT.OK;
      }),
    ),
  );
  apiOptions(
    group
      .command('history')
      .description('还款记录查询 / repayments between two business dates (end after start)')
      .requiredOption('--from <yyyymmdd>', '开始日期 start date')
      .requiredOption('--to <yyyymmdd>', '结束日期 end date, after the start'),
  ).action((opts: ApiOptions & { from: string; to: string }) =>
    run(() =>
      withApi(program, opts, 'operator', async (client) => {
        const q = new URLSearchParams({ from: opts.from, to: opts.to });
        const h = await client.get<History>(`/api/credit-card/history?${q}`);
        if (opts.json) {
          printJson(h);
          return EXIT.OK;
        }
        process.stdout.write(`${h.from}–${h.to}: ${h.items.length} 笔 repayment(s)\n`);
        if (h.items.length > 0)
          printTable(
            ['流水号 serial', '日期 date', '金额 amount', '状态 status', '参考号 ref'],
            h.items.map((i) => [i.serial, i.date, i.amount, i.status, i.ref]),
          );
        return EXIT.OK;
      }),
    ),
  );
}
