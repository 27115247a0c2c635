import type { Command } from 'commander';
import type { ApiTxn, KioskApiClient } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type ApiOptions, apiOptions, withApi } from './api-command.ts';

interface Tally {
  count: number;
  amount: string;
  fee: string;
  total: string;
}
interface Totals {
  succeeded: Tally;
  failed: Tally;
  reversed: Tally;
  open: Tally;
}
interface DayJournal {
  date: string;
  rows: ApiTxn[];
  byService: Array<{ service: string; serviceName: { zh: string } } & Totals>;
  totals: Totals;
}
type SpecialRow = ApiTxn & { kinds: string[] };

const HEADERS = [
  '流水号 serial',
  '时间 time',
  '业务 service',
  '状态 state',
  '金额 amount',
  '手续费 fee',
  '柜员 operator',
  '内容 fields',
];

function row(t: ApiTxn): string[] {
  const hhmmss = `${t.time.slice(0, 2)}:${t.time.slice(2, 4)}:${t.time.slice(4, 6)}`;
  const fields = Object.entries(t.fields)
    .filter(([k]) => k !== 'amount' && k !== 'confirm')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return [t.serial, hhmmss, t.serviceName.zh, t.stateLabel.zh, t.amount, t.fee, t.operator ?? '自助', fields];
}

function printDay(j: DayJournal): void {
  printTable(HEADERS, j.rows.map(row));
  process.stdout.write(`\n账务日期 business date ${j.date} 汇总 totals by service:\n`);
  const tally = (t: Tally) => `${t.count} / ￥${t.amount}`;
  printTable(
    ['业务 service', '成功 succeeded', '失败 failed', '撤销 reversed', '未完成 open'],
    [
      ...j.byService.map((s) => [
        s.serviceName.zh,
        tally(s.succeeded),
        tally(s.failed),
        tally(s.reversed),
        tally(s.open),
      ]),
      [
        '合计 total',
        tally(j.totals.succeeded),
        tally(j.totals.failed),
        tally(j.totals.reversed),
        tally(j.totals.open),
      ],
    ],
  );
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

type Show = (client: KioskApiClient) => Promise<number>;

/**
 * `kiosk journal today|history|special|game-errors`: the journal views of the running kiosk
 * (本省当日流水, 历史流水, 特殊流水, 充值差错查询), added to the existing `journal` command.
 */
export function registerJournalViews(program: Command, run: (fn: () => Promise<number>) => void): void {
  const journal =
    program.commands.find((c) => c.name() === 'journal') ??
    program.command('journal').description('流水 / the transaction journal');
  const action = (opts: ApiOptions, show: Show) => run(() => withApi(program, opts, 'operator', show));
  const windowOpts = (cmd: Command) =>
    cmd
      .option('--service <id>', 'only this business type (service id)')
      .option('--from <hhmmss>', 'from this local time (inclusive)')
      .option('--to <hhmmss>', 'to this local time (inclusive)');
  type DayOpts = ApiOptions & { service?: string; from?: string; to?: string; date?: string };
  const day =
    (path: string, opts: DayOpts): Show =>
    async (client) => {
      const j = await client.get<DayJournal>(
        `${path}${query({ date: opts.date, service: opts.service, from: opts.from, to: opts.to })}`,
      );
      if (opts.json) printJson(j);
      else printDay(j);
      return EXIT.OK;
    };

  apiOptions(
    windowOpts(
      journal
        .command('today')
        .description('本省当日流水 / today’s journal, by business type and time window'),
    ),
  ).action((opts: DayOpts) => action(opts, day('/api/journal/today', opts)));

  apiOptions(
    windowOpts(
      journal.command('history').description('历史流水 / the journal of a past business date'),
    ).requiredOption('--date <yyyymmdd>', 'business date (账务日期)'),
  ).action((opts: DayOpts) => action(opts, day('/api/journal/history', opts)));

  apiOptions(
    journal
      .command('special')
      .description('特殊流水 / reversals, failures, alerted and unresolved transactions')
      .option('--date <yyyymmdd>', 'business date; today when absent'),
  ).action((opts: DayOpts) =>
    action(opts, async (client) => {
      const j = await client.get<{ date: string; rows: SpecialRow[]; counts: Record<string, number> }>(
        `/api/journal/special${query({ date: opts.date })}`,
      );
      if (opts.json) printJson(j);
      else {
        printTable(
          [...HEADERS, '类别 kinds'],
          j.rows.map((r) => [...row(r), r.kinds.join(',')]),
        );
        process.stdout.write(
          `${Object.entries(j.counts)
            .map(([k, n]) => `${k}: ${n}`)
            .join('  ')}\n`,
        );
      }
      return EXIT.OK;
    }),
  );

  apiOptions(
    journal
      .command('game-errors')
      .description('充值差错查询 / game top-ups of a date that failed, were refunded or are unresolved')
      .option('--date <yyyymmdd>', 'business date; today when absent'),
  ).action((opts: DayOpts) =>
    action(opts, async (client) => {
      const j = await client.get<{ date: string; rows: ApiTxn[]; total: number }>(
        `/api/journal/game-errors${query({ date: opts.date })}`,
      );
      if (opts.json) printJson(j);
      else {
        printTable(HEADERS, j.rows.map(row));
        process.stdout.write(`${j.rows.length} / ${j.total} 笔差错 top-ups with errors on ${j.date}\n`);
      }
      return EXIT.OK;
    }),
  );
}
