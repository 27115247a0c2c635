import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { StationMonthlyReport } from '../../reference-hq/journals.ts';
import type { SettlementCheck } from '../../reference-hq/settlement-checks.ts';
import type { StationRecord } from '../../reference-hq/stations.ts';
import type { MonthlyRow } from '../../reference-hq/stats.ts';
import { EXIT } from '../exit-codes.ts';
import { addConnectOptions, addTargetOptions, type ConnectOptions, targetOf, withAdmin } from './connect.ts';
import { ago, out, table, yuan } from './print.ts';

type Run = (fn: () => Promise<number>) => void;
type Opts = ConnectOptions & { json?: boolean; station?: string; group?: string; all?: boolean };

const when = (s: string | undefined): number | null => {
  if (!s) return null;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`bad time "${s}" (use ISO 8601, e.g. 2026-11-27T08:00+08:00)`);
  return t;
};

export function registerAdmin(program: Command, run: Run): void {
  addConnectOptions(program.command('kiosks'))
    .description('kiosks HQ knows: online/offline, last telemetry, journal relay, prepaid account')
    .option('--json', 'JSON output')
    .action((o: Opts) =>
      run(async () => {
        type Row = StationRecord & {
          accountFen: number;
          journal: { contiguous: number; highest: number };
          pendingCommands: number;
        };
        const rows = await withAdmin(o, (c) => c.request<Row[]>('kiosks', {}));
        const now = Date.now();
        out(o.json, rows, () =>
          rows.length === 0
            ? 'no kiosks yet'
            : table(
                [
                  'station',
                  'name',
                  'state',
                  'since',
                  'telemetry',
                  'balance',
                  'open',
                  'outbox',
                  'journal',
                  'cert days',
                  'account',
                ],
                rows.map((r) => [
                  r.station,
                  r.birth?.stationName ?? null,
                  r.online ? 'online' : `offline(${r.offlineReason ?? '?'})`,
                  ago(r.online ? r.onlineSince : r.offlineSince, now),
                  ago(r.telemetryAt, now),
                  r.telemetry?.balance.available ?? null,
                  r.telemetry?.open.count ?? null,
                  r.telemetry?.outbox.depth ?? null,
                  `${r.journal.contiguous}/${r.journal.highest}`,
                  r.telemetry?.cert.daysLeft ?? r.birth?.cert?.daysLeft ?? null,
                  yuan(r.accountFen),
                ]),
              ),
        );
        return 0;
      }),
    );

  const notice = program.command('notice').description('LED / screen notices');
  addTargetOptions(addConnectOptions(notice.command('send <text>')))
    .description('publish a notice (emergency pre-empts everything)')
    .option('--priority <p>', 'emergency | high | normal | low', 'normal')
    .option('--id <id>', 'notice id (default generated)')
    .option('--follow-up-of <id>', 'a follow-up report (续报) of this notice')
    .option('--start <time>', 'show from (ISO 8601)')
    .option('--end <time>', 'show until (ISO 8601); default until withdrawn')
    .option('--json', 'JSON output')
    .action(
      (
        text: string,
        o: Opts & { priority: string; id?: string; followUpOf?: string; start?: string; end?: string },
      ) =>
        run(async () => {
          const r = await withAdmin(o, (c) =>
            c.request<Array<{ station: string; seq: number }>>('notice-send', {
              target: targetOf(o),
              notice: {
                text,
                priority: o.priority,
                ...(o.id ? { id: o.id } : {}),
                ...(o.followUpOf ? { followUpOf: o.followUpOf, kind: 'follow-up' } : {}),
                startAt: when(o.start),
                endAt: when(o.end),
              },
            }),
          );
          out(o.json, r, () => `notice sent to ${r.map((x) => x.station).join(', ')}`);
          return 0;
        }),
    );
  addTargetOptions(addConnectOptions(notice.command('withdraw <id>')))
    .description('withdraw a notice at once')
    .option('--json', 'JSON output')
    .action((id: string, o: Opts) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request<unknown[]>('notice-withdraw', { target: targetOf(o), id }),
        );
        out(o.json, r, () => `withdrawal of ${id} sent to ${r.length} kiosk(s)`);
        return 0;
      }),
    );

  const config = program.command('config').description('kiosk configuration from HQ');
  addTargetOptions(addConnectOptions(config.command('push <file>')))
    .description('push a configuration layer (JSON overrides), validated by each kiosk before it applies')
    .option('--version <n>', 'layer version (default: last pushed + 1)')
    .option('--json', 'JSON output')
    .action((file: string, o: Opts & { version?: string }) =>
      run(async () => {
        const overrides = JSON.parse(await readFile(file, 'utf8'));
        const r = await withAdmin(o, (c) =>
          c.request<Array<{ station: string; version: number }>>('config-push', {
            target: targetOf(o),
            overrides,
            ...(o.version ? { version: Number(o.version) } : {}),
          }),
        );
        out(o.json, r, () => r.map((x) => `${x.station}: version ${x.version} sent`).join('\n'));
        return 0;
      }),
    );

  addConnectOptions(program.command('topup'))
    .description('counter top-up (续费) of a station’s prepaid balance, or another balance event')
    .requiredOption('--station <id>', '8-digit station id')
    .requiredOption('--amount <yuan>', 'amount, e.g. 500.00 (adjustments may be negative)')
    .option('--kind <kind>', 'topup | topup-reversal | adjustment | refund', 'topup')
    .option('--ref <ref>', 'deposit slip / reference (default generated)')
    .option('--original <slip>', 'topup-reversal: the deposit slip of the same-day top-up it reverses')
    .option('--note <text>', 'note')
    .option('--json', 'JSON output')
    .action((o: Opts & { amount: string; kind: string; ref?: string; note?: string; original?: string }) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request<{ ref: string; accountFen: number }>('topup', {
            station: o.station,
            amount: o.amount,
            kind: o.kind,
            ...(o.ref ? { ref: o.ref } : {}),
            ...(o.note ? { note: o.note } : {}),
            ...(o.original ? { original: o.original } : {}),
          }),
        );
        out(
          o.json,
          r,
          () => `${o.kind} ${o.amount} for ${o.station} (ref ${r.ref}); HQ account now ${yuan(r.accountFen)}`,
        );
        return 0;
      }),
    );

  addConnectOptions(program.command('settlements'))
    .description(
      "settlement digests HQ compared with its own copy of each station's journal; a mismatch is an alert",
    )
    .option('--station <id>', 'one station (8 digits)')
    .option('--mismatch', 'only the settlements whose digest differs')
    .option('--json', 'JSON output')
    .action((o: Opts & { mismatch?: boolean }) =>
      run(async () => {
        const rows = await withAdmin(o, (c) =>
          c.request<SettlementCheck[]>('settlements', {
            ...(o.station ? { station: o.station } : {}),
            ...(o.mismatch ? { mismatch: true } : {}),
          }),
        );
        out(o.json, rows, () =>
          rows.length === 0
            ? 'no settlements compared'
            : table(
                ['station', 'date', 'id', 'scope', 'kiosk txns', 'HQ txns', 'result'],
                rows.map((r) => [
                  r.station,
                  r.businessDate,
                  r.id,
                  r.scope === 'teller' ? `teller ${r.operator}` : 'station',
                  r.kioskTransactions,
                  r.hqTransactions,
                  r.match ? 'match' : 'MISMATCH 不符',
                ]),
              ),
        );
        return rows.some((r) => !r.match) ? EXIT.PROBLEMS : EXIT.OK;
      }),
    );

  const stats = program.command('stats').description('statistics');
  addConnectOptions(stats.command('monthly'))
    .description('transactions per station for a month, with the exit-mechanism flag')
    .option('--month <yyyymm>', 'month (default current)')
    .option('--json', 'JSON output')
    .action((o: Opts & { month?: string }) =>
      run(async () => {
        const rows = await withAdmin(o, (c) =>
          c.request<MonthlyRow[]>('stats-monthly', o.month ? { month: o.month } : {}),
        );
        out(o.json, rows, () =>
          table(
            ['station', 'month', 'count', 'prev-2', 'prev-1', 'exit'],
            rows.map((r) => [r.station, r.month, r.count, r.previous[0], r.previous[1], r.exit ?? '']),
          ),
        );
        return 0;
      }),
    );

  addConnectOptions(stats.command('reported'))
    .description('the monthly reports (每月结报) the kiosks sent at each month cut')
    .option('--month <yyyymm>', 'one month')
    .option('--station <id>', 'one station (8 digits)')
    .option('--json', 'JSON output')
    .action((o: Opts & { month?: string }) =>
      run(async () => {
        const rows = await withAdmin(o, (c) =>
          c.request<StationMonthlyReport[]>('monthly-reports', {
            ...(o.month ? { month: o.month } : {}),
            ...(o.station ? { station: o.station } : {}),
          }),
        );
        out(o.json, rows, () =>
          rows.length === 0
            ? 'no monthly reports'
            : table(
                ['station', 'month', 'transactions', 'services'],
                rows.map((r) => [r.station, r.period, r.count, Object.keys(r.byService).sort().join(' ')]),
              ),
        );
        return 0;
      }),
    );

  addConnectOptions(program.command('fault <service> <mode>'))
    .description(
      'biller fault injection on every HQ instance: normal | slow | failing | silent | duplicate | unknown',
    )
    .option('--latency <ms>', 'extra latency for slow')
    .option('--json', 'JSON output')
    .action((service: string, mode: string, o: Opts & { latency?: string }) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request('fault', { service, mode, ...(o.latency ? { latencyMs: Number(o.latency) } : {}) }),
        );
        out(o.json, r, () => `fault ${service}=${mode} set`);
        return 0;
      }),
    );
}
