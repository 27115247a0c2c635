import { type Command, Option } from 'commander';
import { ROLE_NAMES } from '../../operators/operators.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { readSecret } from '../prompt.ts';
import { type GlobalOptions, withApp } from '../with-app.ts';

export function registerOperator(program: Command, run: (fn: () => Promise<number>) => void): void {
  const op = program.command('operator').description('操作员 / operators');

  op.command('add <code>')
    .description('新增操作员 / add an operator (password read from the terminal or stdin)')
    .requiredOption('--name <name>', 'full name (签约人)')
    .addOption(
      new Option('--role <role>', 'teller (普通柜员) or supervisor (综合柜员)')
        .choices(['teller', 'supervisor'])
        .default('teller'),
    )
    .option('--json', 'print JSON')
    .action((code: string, opts: GlobalOptions & { name: string; role: 'teller' | 'supervisor' }) =>
      run(async () => {
        const password = await readSecret('密码 password (6 digits): ');
        return withApp({ ...program.opts(), ...opts }, async (app) => {
          const v = await app.operators.add({ code, name: opts.name, role: opts.role, password });
          if (opts.json) printJson(v);
          else
            process.stdout.write(
              `已新增操作员 added ${v.code} ${v.name} (${ROLE_NAMES[v.role].zh} ${v.role})\n`,
            );
          return EXIT.OK;
        });
      }),
    );

  op.command('passwd <code>')
    .description('修改密码 / change a password (current, then new; --reset skips the current one)')
    .option('--reset', 'reset without the current password (supervisor at the kiosk)')
    .action((code: string, opts: GlobalOptions & { reset?: boolean }) =>
      run(async () => {
        const current = opts.reset ? undefined : await readSecret('当前密码 current password: ');
        const next = await readSecret('新密码 new password (6 digits): ');
        return withApp({ ...program.opts(), ...opts }, async (app) => {
          await app.operators.passwd(code, next, {
            ...(current !== undefined ? { current } : {}),
            reset: Boolean(opts.reset),
          });
          process.stdout.write(`密码已修改 password changed for ${code.toUpperCase()}\n`);
          return EXIT.OK;
        });
      }),
    );

  op.command('list')
    .description('操作员列表 / list operators')
    .option('--json', 'print JSON')
    .action((opts: GlobalOptions) =>
      run(() =>
        withApp({ ...program.opts(), ...opts }, async (app) => {
          const list = await app.operators.list();
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
          return EXIT.OK;
        }),
      ),
    );
}
