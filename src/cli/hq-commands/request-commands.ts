import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { HqMonthlyStats, HqRequestRecord } from '../../reference-hq/requests.ts';
import { addConnectOptions, addTargetOptions, type ConnectOptions, targetOf, withAdmin } from './connect.ts';
import { out, table } from './print.ts';

type Run = (fn: () => Promise<number>) => void;
type Opts = ConnectOptions & { json?: boolean; station?: string; group?: string; all?: boolean };

const day = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The assisted services from HQ's side: publish the service guide, follow the stations' requests,
 * move a request along (HQ stands in for the sub-district service centre), read monthly statistics.
 */
export function registerRequestCommands(program: Command, run: Run): void {
  const guide = program.command('guide').description('the published service guide (办事指南)');
  addTargetOptions(addConnectOptions(guide.command('push <file>')))
    .description(
      'push a service guide (JSON with its version); checked here and by each kiosk, every problem listed',
    )
    .option('--json', 'JSON output')
    .action((file: string, o: Opts) =>
      run(async () => {
        const body = JSON.parse(await readFile(file, 'utf8'));
        const r = await withAdmin(o, (c) =>
          c.request<Array<{ station: string; version: number }>>('guide-push', {
            target: targetOf(o),
            guide: body,
          }),
        );
        out(o.json, r, () => r.map((x) => `${x.station}: guide version ${x.version} sent`).join('\n'));
        return 0;
      }),
    );

  const request = program.command('request').description('assisted requests (代办/帮办) of the stations');
  addConnectOptions(request.command('list'))
    .description('requests the stations relayed (personal data masked), newest first')
    .option('--station <id>', '8-digit station id')
    .option('--open', 'only unfinished requests')
    .option('--json', 'JSON output')
    .action((o: Opts & { open?: boolean }) =>
      run(async () => {
        const rows = await withAdmin(o, (c) =>
          c.request<Array<HqRequestRecord & { station: string }>>('requests', {
            ...(o.station ? { station: o.station } : {}),
            ...(o.open ? { open: true } : {}),
          }),
        );
        out(o.json, rows, () =>
          rows.length === 0
            ? 'no requests'
            : table(
                ['station', 'id', 'matter', 'state', 'deadline', 'flag', 'phone'],
                rows.map((r) => [
                  r.station,
                  r.id,
                  r.matter,
                  r.state,
                  day(r.deadlineAt),
                  r.flag,
                  r.citizen.phone,
                ]),
              ),
        );
        return 0;
      }),
    );
  addConnectOptions(request.command('update <id> <state>'))
    .description(
      'move a request: verified | submitted | result-received (--result) | notified (--method) | closed | refused (--reason)',
    )
    .requiredOption('--station <id>', '8-digit station id')
    .option('--note <text>', 'note (for a phone call: what was said)')
    .option('--result <text>', 'result-received: what was decided (Chinese; --result-en for English)')
    .option('--result-en <text>', 'the result in English')
    .option('--reason <text>', 'refused: why (Chinese; --reason-en for English)')
    .option('--reason-en <text>', 'the reason in English')
    .option('--method <m>', 'notified: phone | print')
    .option('--signed', 'closed (lost-and-found, repair): the owner signed for the item')
    .option('--json', 'JSON output')
    .action(
      (
        id: string,
        state: string,
        o: Opts & {
          note?: string;
          result?: string;
          resultEn?: string;
          reason?: string;
          reasonEn?: string;
          method?: string;
          signed?: boolean;
        },
      ) =>
        run(async () => {
          const update = {
            id,
            to: state,
            ...(o.note ? { note: o.note } : {}),
            ...(o.result ? { result: { zh: o.result, en: o.resultEn ?? o.result } } : {}),
            ...(o.reason ? { reason: { zh: o.reason, en: o.reasonEn ?? o.reason } } : {}),
            ...(o.method ? { method: o.method } : {}),
            ...(o.signed ? { signed: true } : {}),
          };
          const r = await withAdmin(o, (c) =>
            c.request<{ station: string; id: string; to: string; seq: number }>('request-update', {
              station: o.station,
              update,
            }),
          );
          out(o.json, r, () => `${r.id} → ${r.to} sent to ${r.station} (command ${r.seq})`);
          return 0;
        }),
    );
  addConnectOptions(request.command('stats'))
    .description('the monthly statistics a station sent (每月结报)')
    .requiredOption('--station <id>', '8-digit station id')
    .option('--month <yyyymm>', 'month (default current)')
    .option('--json', 'JSON output')
    .action((o: Opts & { month?: string }) =>
      run(async () => {
        const r = await withAdmin(o, (c) =>
          c.request<HqMonthlyStats>('request-stats', {
            station: o.station,
            ...(o.month ? { month: o.month } : {}),
          }),
        );
        out(o.json, r, () => JSON.stringify(r.stats, null, 2));
        return 0;
      }),
    );
}
