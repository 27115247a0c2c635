import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import { type ApiOptions, apiOptions, withApi } from './api-command.ts';

interface ClosedAppointment {
  id: string;
  status: string;
  date: string;
  from: string;
  to: string;
  matterTitle: { zh: string; en: string };
  unchanged: boolean;
}

const ACTIONS = {
  cancel: {
    to: 'cancelled',
    zh: '已取消',
    en: 'cancelled',
    again: '早已取消',
    againEn: 'was already cancelled',
  },
  serve: { to: 'served', zh: '已办理', en: 'served', again: '早已办理', againEn: 'was already served' },
} as const;

/**
 * `kiosk appointment cancel|serve <id>`: the operator closes a citizen's booking (预约) through the
 * running kiosk's local API, the same operation as the console: cancelled (the slot is free again)
 * or served. A repeat changes nothing; cancelling one already served is refused.
 */
export function registerAppointment(program: Command, run: (fn: () => Promise<number>) => void): void {
  const cmd = program.command('appointment').description('预约 / appointments of the service guide');
  for (const [action, says] of Object.entries(ACTIONS)) {
    apiOptions(
      cmd
        .command(`${action} <id>`)
        .description(
          action === 'cancel'
            ? '取消预约 / cancel a booking: kiosk appointment cancel 20261201A0001 --operator A001'
            : '预约已办理 / mark a booking served: kiosk appointment serve 20261201A0001 --operator A001',
        ),
    ).action((id: string, opts: ApiOptions) =>
      run(() =>
        withApi(program, opts, 'operator', async (client) => {
          const a = await client.post<ClosedAppointment>(
            `/api/appointments/${encodeURIComponent(id)}/${action}`,
            {},
          );
          if (opts.json) printJson(a);
          else
            process.stdout.write(
              `预约 ${a.id} ${a.matterTitle.zh} ${a.date} ${a.from}-${a.to}：${a.unchanged ? says.again : says.zh} / ${a.unchanged ? says.againEn : says.en}\n`,
            );
          return EXIT.OK;
        }),
      ),
    );
  }
}
