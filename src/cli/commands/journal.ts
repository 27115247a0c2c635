import type { Command } from 'commander';
import { isKioskError } from '../../core/errors.ts';
import { maskDeep } from '../../core/mask.ts';
import { Money } from '../../core/money.ts';
import type { ServiceDefinition, TxnRecord } from '../../core/transaction/types.ts';
import type { VerifyReport } from '../../journal/verify.ts';
import { maskRecord } from '../../reports/mask-txn.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';
import { type ApiOptions, withApi } from './api-command.ts';

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
        const local = await withApp({ ...program.opts(), ...opts }, async (app) => {
          const { verifyJournal } = await import('../../journal/verify.ts');
          const r = await verifyJournal(app.journal);
          const extra = app.journal.startupProblems.filter((p) => !r.problems.some((q) => q.key === p.key));
          return { ...r, problems: [...extra, ...r.problems] };
        }).catch((e: unknown) => {
          if (isKioskError(e) && e.code === 'KIOSK_E_JOURNAL_LOCKED') return null;
          throw e;
        });
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
    .description('列出流水 / list transactions, newest first')
    .option('--date <yyyymmdd>', 'business date (账务日期)')
    .option('--service <id>', 'service id')
    .option('--operator <code>', 'operator code (~self for self-service)')
    .option('--open', 'only transactions not yet final')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action((opts: ListOptions) =>
      run(() =>
        withApp({ ...program.opts(), ...opts }, async (app) => {
          const limit = Number(opts.limit);
          const prefix = opts.open
            ? 'i:n:'
            : opts.date
              ? `i:d:${opts.date}:`
              : opts.service
                ? `i:s:${opts.service}:`
                : opts.operator
                  ? `i:o:${opts.operator.toUpperCase() === '~SELF' ? '~self' : opts.operator.toUpperCase()}:`
                  : undefined;
          const txns: TxnRecord[] = [];
          if (prefix) {
            for (const serial of await app.journal.indexSerials(prefix, { reverse: true })) {
              const t = await app.journal.getTxn(serial);
              if (t && matches(t, opts)) txns.push(t);
              if (txns.length >= limit) break;
            }
          } else {
            for await (const t of app.journal.transactions({ reverse: true, limit })) txns.push(t);
          }
          // Each record masked by its service's declared sensitivity, then by the shared key names.
          const masked = txns.map((t) => maskDeep(maskRecord(lookupService(app, t.service), t)) as TxnRecord);
          if (opts.json) printJson(masked);
          else {
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
              masked.map((t) => [
                t.serial,
                t.businessDate,
                t.service,
                t.state,
                Money.fromFen(t.amountFen).toString(),
                Money.fromFen(t.feeFen).toString(),
                t.operator ?? '自助',
                Object.entries(t.fields)
                  .filter(([k]) => k !== 'amount')
                  .map(([k, v]) => `${k}=${v}`)
                  .join(' '),
              ]),
            );
          }
          return EXIT.OK;
        }),
      ),
    );
}

function matches(t: TxnRecord, o: ListOptions): boolean {
  return (
    (!o.date || t.businessDate === o.date) &&
    (!o.service || t.service === o.service) &&
    (!o.operator || (t.operator ?? '~self') === (o.operator === '~self' ? '~self' : o.operator.toUpperCase()))
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
