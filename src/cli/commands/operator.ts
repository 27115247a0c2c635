import { type Command, Option } from 'commander';
import { type OperatorView, ROLE_NAMES } from '../../operators/operators.ts';
import type { KioskApiClient } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { readSecret } from '../prompt.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';
import { unlessRunning, withApi } from './api-command.ts';

/** How a command reaches the running kiosk when it holds the journal. */
interface RunningOptions {
  url?: string;
  as?: string;
  token?: string;
}

const running = (cmd: Command): Command =>
  cmd
    .option('--url <url>', 'the running kiosk, when the journal is in use')
    .option(
      '--as <code>',
      'while the kiosk runs: log in as this supervisor (password from the terminal or stdin)',
    )
    .option('--token <token>', 'while the kiosk runs: a supervisor session token (or KIOSK_TOKEN)');

/**
 * Operator management. On the journal when no kiosk runs; while the kiosk runs, through its
 * local API as a supervisor (`--as`), with the same output.
 */
export function registerOperator(program: Command, run: (fn: () => Promise<number>) => void): void {
  const op = program.command('operator').description('操作员 / operators');

  /** `local` on the journal, or `remote` through the running kiosk's API; prints `out` of either. */
  const either = async <T>(
    opts: GlobalOptions & RunningOptions,
    local: (app: Parameters<Parameters<typeof withApp>[1]>[0]) => Promise<T>,
    remote: (client: KioskApiClient) => Promise<T>,
    out: (v: T) => void,
  ): Promise<number> => {
    const done = await unlessRunning(() => withApp({ ...program.opts(), ...opts }, local));
    if (done !== null) {
      out(done);
      return EXIT.OK;
    }
    const api = { url: opts.url, operator: opts.as, token: opts.token };
    return withApi(program, api, 'operator', async (client) => {
      out(await remote(client));
      return EXIT.OK;
    });
  };

  running(
    op
      .command('add <code>')
      .description('新增操作员 / add an operator (password read from the terminal or stdin)')
      .requiredOption('--name <name>', 'full name (签约人)')
      .addOption(
        new Option('--role <role>', 'teller (普通柜员) or supervisor (综合柜员)')
          .choices(['teller', 'supervisor'])
          .default('teller'),
      )
      .option('--json', 'print JSON'),
  ).action(
    (code: string, opts: GlobalOptions & RunningOptions & { name: string; role: 'teller' | 'supervisor' }) =>
      run(async () => {
        const password = await readSecret('密码 password (6 digits): ');
        const input = { code, name: opts.name, role: opts.role, password };
        return either(
          opts,
          (app) => app.operators.add(input),
          (client) => client.post<OperatorView>('/api/operators', input),
          (v) => {
            if (opts.json) printJson(v);
            else
              process.stdout.write(
                `已新增操作员 added ${v.code} ${v.name} (${ROLE_NAMES[v.role].zh} ${v.role})\n`,
              );
          },
        );
      }),
  );

  running(
    op
      .command('passwd <code>')
      .description(
        '修改密码 / change a password (current, then new; --reset skips the current one). ' +
          'While the kiosk runs: the operator changes their own through its API, or a supervisor (--as) resets it',
      )
      .option('--reset', 'reset without the current password (supervisor at the kiosk)'),
  ).action((code: string, opts: GlobalOptions & RunningOptions & { reset?: boolean }) =>
    run(async () => {
      const current = opts.reset ? undefined : await readSecret('当前密码 current password: ');
      const next = await readSecret('新密码 new password (6 digits): ');
      const path = `/api/operators/${encodeURIComponent(code)}/password`;
      const changed = () => process.stdout.write(`密码已修改 password changed for ${code.toUpperCase()}\n`);
      if (current !== undefined) {
        // The operator themself: on the journal, or logged in with the current password.
        const done = await unlessRunning(() =>
          withApp({ ...program.opts(), ...opts }, (app) => app.operators.passwd(code, next, { current })),
        );
        if (done !== null) {
          changed();
          return EXIT.OK;
        }
        return withApi(program, { url: opts.url }, 'optional', async (client) => {
          await client.login(code, current);
          try {
            await client.post(path, { currentPassword: current, newPassword: next });
          } finally {
            await client.logout();
          }
          changed();
          return EXIT.OK;
        });
      }
      return either(
        opts,
        (app) => app.operators.passwd(code, next, { reset: true }),
        (client) => client.post(path, { newPassword: next }),
        changed,
      );
    }),
  );

  running(
    op.command('unlock <code>').description('解除锁定 / lift a lockout').option('--json', 'print JSON'),
  ).action((code: string, opts: GlobalOptions & RunningOptions & { json?: boolean }) =>
    run(() =>
      either(
        opts,
        (app) => app.operators.unlock(code),
        (client) => client.post<OperatorView>(`/api/operators/${encodeURIComponent(code)}/unlock`),
        (v) => {
          if (opts.json) printJson(v);
          else process.stdout.write(`已解除锁定 unlocked ${v.code} ${v.name}\n`);
        },
      ),
    ),
  );

  running(
    op.command('list').description('操作员列表 / list operators').option('--json', 'print JSON'),
  ).action((opts: GlobalOptions & RunningOptions & { json?: boolean }) =>
    run(() =>
      either(
        opts,
        (app) => app.operators.list(),
        async (client) => (await client.get<{ items: OperatorView[] }>('/api/operators')).items,
        (list) => {
          if (opts.json) printJson(list);
          else
            printTable(
              ['代码 code', '姓名 name', '角色 role', '状态 status'],
              list.map((o) => [
                o.code,
                o.name,
                `${ROLE_NAMES[o.role].zh} ${o.role}`,
                o.locked ? '锁定 locked' : '正常 active',
              ]),
            );
        },
      ),
    ),
  );
}
