import type { Command } from 'commander';
import { maskDeep } from '../../core/mask.ts';
import { Money } from '../../core/money.ts';
import type { TxnRecord } from '../../core/transaction/types.ts';
import { verifyJournal } from '../../journal/verify.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';

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
    .description('检查整个流水库 / check the whole journal store (exit 3 when problems are found)')
    .option('--json', 'print JSON')
    .action((opts: GlobalOptions) =>
      run(() =>
        withApp({ ...program.opts(), ...opts }, async (app) => {
          const report = await verifyJournal(app.journal);
          const problems = [
            ...app.journal.startupProblems.filter((p) => !report.problems.some((q) => q.key === p.key)),
            ...report.problems,
          ];
          const ok = problems.length === 0;
          if (opts.json) printJson({ ...report, ok, problems });
          else {
            process.stdout.write(
              `${ok ? '流水库完好 journal OK' : `发现 ${problems.length} 处问题 / ${problems.length} problem(s) found`}: ` +
                `${report.counts.transactions} transactions, ${report.counts.events} events, ${report.counts.ledgerEntries} ledger entries, ${report.counts.outbox} unsent\n`,
            );
            for (const p of problems) process.stdout.write(`  ${p.kind.padEnd(8)} ${p.key}  ${p.message}\n`);
          }
          return ok ? EXIT.OK : EXIT.PROBLEMS;
        }),
      ),
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
          const masked = txns.map((t) => maskDeep(t) as TxnRecord);
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
