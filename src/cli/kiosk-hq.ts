import { Command } from 'commander';
import { EXIT } from './exit-codes.ts';
import { registerAdmin } from './hq-commands/admin-commands.ts';
import { registerKeys } from './hq-commands/keys.ts';
import { registerQrCommands } from './hq-commands/qr-commands.ts';
import { registerReconcileCommands } from './hq-commands/reconcile-commands.ts';
import { registerRequestCommands } from './hq-commands/request-commands.ts';
import { registerServe } from './hq-commands/serve.ts';
import { registerStationCommands } from './hq-commands/station-commands.ts';
import { runProgram } from './program.ts';

const program = new Command('kiosk-hq')
  .description(
    'newsstand-kiosk HQ tool — 总部管理工具: reference HQ, kiosks, notices, config, top-ups, statistics, keys',
  )
  .exitOverride()
  .showHelpAfterError();

await runProgram(
  program,
  [
    registerServe,
    registerAdmin,
    registerStationCommands,
    registerQrCommands,
    registerReconcileCommands,
    registerRequestCommands,
    registerKeys,
  ],
  (e, json) => {
    const err = e as Error & { code?: string };
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ error: { code: err.code ?? 'HQ_E_FAILED', message: err.message } }, null, 2)}\n`,
      );
    }
    process.stderr.write(`错误 error: ${err.message}\n`);
    return EXIT.FAILURE;
  },
);
