import type { Command } from 'commander';
import { addConnectOptions, addTargetOptions, type ConnectOptions, targetOf, withAdmin } from './connect.ts';
import { out } from './print.ts';

type Run = (fn: () => Promise<number>) => void;
type Opts = ConnectOptions & { json?: boolean; station?: string; group?: string; all?: boolean };

/** Per-station commands: service enablement, card terminal binding, reports, relayed journal. */
export function registerStationCommands(program: Command, run: Run): void {
  addTargetOptions(addConnectOptions(program.command('services <serviceIds...>')))
    .description('set the services enabled at the station(s) (after the operator is trained)')
    .option('--json', 'JSON output')
    .action((ids: string[], o: Opts) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request<unknown[]>('services', { target: targetOf(o), enabled: ids }),
        );
        out(o.json, r, () => `services sent to ${r.length} kiosk(s)`);
        return 0;
      }),
    );
  addConnectOptions(program.command('terminal'))
    .description('bind the credit-card repayment terminal (8 digits) to a station and set its status')
    .requiredOption('--station <id>', '8-digit station id')
    .option('--terminal-no <n>', '8-digit terminal number (omit to unbind)')
    .option('--status <s>', 'enabled | disabled', 'enabled')
    .option('--reason <text>', 'why the terminal is disabled (shown when a repayment is refused)')
    .option('--json', 'JSON output')
    .action((o: Opts & { terminalNo?: string; status: string; reason?: string }) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request('terminal', {
            station: o.station,
            terminalNo: o.terminalNo ?? null,
            status: o.status,
            ...(o.reason ? { reason: o.reason } : {}),
          }),
        );
        out(o.json, r, () => `terminal binding sent to ${o.station}`);
        return 0;
      }),
    );
  addConnectOptions(program.command('report <kind>'))
    .description('ask a station for a report: daily (--period yyyymmdd), monthly (yyyymm) or open')
    .requiredOption('--station <id>', '8-digit station id')
    .option('--period <p>', 'yyyymmdd or yyyymm')
    .option('--json', 'JSON output')
    .action((kind: string, o: Opts & { period?: string }) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request('report', { station: o.station, report: kind, period: o.period ?? null }),
        );
        out(o.json, r, () => `report request sent to ${o.station}`);
        return 0;
      }),
    );
  addConnectOptions(program.command('journal'))
    .description('journal events HQ stored for a station, with its relay state')
    .requiredOption('--station <id>', '8-digit station id')
    .option('--from <seq>', 'first sequence number', '1')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'JSON output')
    .action((o: Opts & { from: string; limit: string }) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request<{
            meta: { contiguous: number; highest: number };
            events: Array<{ seq: number; type: string; serial?: string; at: number }>;
          }>('journal', { station: o.station, fromSeq: Number(o.from), limit: Number(o.limit) }),
        );
        out(o.json, r, () =>
          [
            `contiguous ${r.meta.contiguous}, highest ${r.meta.highest}`,
            ...r.events.map((e) => `${e.seq}\t${new Date(e.at).toISOString()}\t${e.type}\t${e.serial ?? ''}`),
          ].join('\n'),
        );
        return 0;
      }),
    );
}
