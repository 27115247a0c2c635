import type { Command } from 'commander';
import { maskDeep } from '../../core/mask.ts';
import type { ServiceDefinition } from '../../core/transaction/types.ts';
import { normaliseOperator, type TxnListFilter } from '../../journal/transaction-list.ts';
import type { VerifyReport } from '../../journal/verify.ts';
import { type TxnView, txnView } from '../../reports/txn-view.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';
import { type ApiOptions, unlessRunning, withApi } from './api-command.ts';

interface ListOptions extends GlobalOptions {
  date?: string;
  service?: string;
  operator?: string;
  open?: boolean;
  limit: string;
}

export function registerJournal(program: Command, run: (fn: () => Promise<number>) => void): void {
  const journal = program.command('journal').description('流水 / the transaction journal');

  journal
    .command('verify')
    .description(
      '检查整个流水库 / check the whole journal store (exit 3 when problems are found); ' +
        'while the kiosk runs, through its local API as a supervisor (--operator)',
    )
    .option('--json', 'print JSON')
    .option('--url <url>', 'the running kiosk, when the journal is in use')
    .option(
      '--operator <code>',
      'supervisor code, when the journal is in use (password from the terminal or stdin)',
    )
    .action((opts: GlobalOptions & ApiOptions) =>
      run(async () => {
        const local = await unlessRunning(() =>
          withApp({ ...program.opts(), ...opts }, (app) => app.records.verify(app.problems)),
        );
        let report: VerifyReport | undefined = local ?? undefined;
        if (!report) {
          // The running kiosk holds the journal: ask it to run the same check.
          const code = await withApi(program, opts, 'operator', async (client) => {
            report = await client.get<VerifyReport>('/api/journal/verify');
            return EXIT.OK;
          });
          if (!report) return code;
        }
        printVerify(report, Boolean(opts.json));
        return report.problems.length === 0 ? EXIT.OK : EXIT.PROBLEMS;
      }),
    );

  journal
    .command('list')
    .description(
      '列出流水 / list transactions, newest first; while the kiosk runs, through its local API as the operator of --as',
    )
    .option('--date <yyyymmdd>', 'business date (账务日期)')
    .option('--service <id>', 'service id')
    .option('--operator <code>', 'operator code (~self for self-service)')
    .option('--open', 'only transactions not yet final')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .option('--url <url>', 'the running kiosk, when the journal is in use')
    .option(
      '--as <code>',
      'while the kiosk runs: log in as this operator (password from the terminal or stdin)',
    )
    .option('--token <token>', 'while the kiosk runs: an operator session token (or KIOSK_TOKEN)')
    .action((opts: ListOptions & { url?: string; as?: string; token?: string }) =>
      run(async () => {
        const filter: TxnListFilter = {
          date: opts.date,
          service: opts.service,
          operator: opts.operator ? normaliseOperator(opts.operator) : undefined,
          open: Boolean(opts.open),
          limit: Number(opts.limit),
        };
        const local = await unlessRunning(() =>
          withApp({ ...program.opts(), ...opts }, async (app) => {
            const lookup = (id: string) => lookupService(app, id);
            const rules = { clock: app.clock, config: app.config, facts: app.cardTerminal.facts() };
            return (await app.records.list(filter)).map(
              (t) => maskDeep(txnView(t, lookup, rules)) as TxnView,
            );
          }),
        );
        let views: TxnView[] | undefined = local ?? undefined;
        if (!views) {
          // The running kiosk holds the journal: the same listing through its API (a teller gets their own).
          const q = new URLSearchParams({ limit: String(filter.limit) });
          if (filter.date) q.set('date', filter.date);
          if (filter.service) q.set('service', filter.service);
          if (filter.operator) q.set('operator', filter.operator);
          if (filter.open) q.set('open', 'true');
          const api = { url: opts.url, operator: opts.as, token: opts.token };
          const code = await withApi(program, api, 'operator', async (client) => {
            views = (await client.get<{ items: TxnView[] }>(`/api/transactions?${q}`)).items;
            return EXIT.OK;
          });
          if (!views) return code;
        }
        printList(views, Boolean(opts.json));
        return EXIT.OK;
      }),
    );
}

/** One listing, whether read from the journal or from the running kiosk: masked transaction views. */
function printList(views: readonly TxnView[], json: boolean): void {
  if (json) {
    printJson(views);
    return;
  }
  printTable(
    [
      '流水号 serial',
      '日期 date',
      '业务 service',
      '状态 state',
      '金额 amount',
      '手续费 fee',
      '柜员 operator',
      '内容 fields',
    ],
    views.map((t) => [
      t.serial,
      t.businessDate,
      t.service,
      t.state,
      t.amount,
      t.fee,
      t.operator ?? '自助',
      Object.entries(t.fields)
        .filter(([k]) => k !== 'amount')
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ]),
  );
}

function printVerify(report: VerifyReport, json: boolean): void {
  const ok = report.problems.length === 0;
  if (json) {
    printJson({ ...report, ok });
    return;
  }
  const n = report.problems.length;
  process.stdout.write(
    `${ok ? '流水库完好 journal OK' : `发现 ${n} 处问题 / ${n} problem(s) found`}: ` +
      `${report.counts.transactions} transactions, ${report.counts.events} events, ` +
      `${report.counts.ledgerEntries} ledger entries, ${report.counts.outbox} unsent\n`,
  );
  for (const p of report.problems) process.stdout.write(`  ${p.kind.padEnd(8)} ${p.key}  ${p.message}\n`);
}

/** The definition of a recorded service, or undefined for one this build no longer has. */
function lookupService(app: { services: { get(id: string): ServiceDefinition } }, id: string) {
  try {
    return app.services.get(id);
  } catch {
    return undefined;
  }
}
