import { Command } from 'commander';
import { EXIT } from './exit-codes.ts';
import { registerAdmin } from './hq/admin-commands.ts';
import { registerKeys } from './hq/keys.ts';
import { registerQrCommands } from './hq/qr-commands.ts';
import { registerReconcileCommands } from './hq/reconcile-commands.ts';
import { registerRequestCommands } from './hq/request-commands.ts';
import { registerServe } from './hq/serve.ts';
import { registerStationCommands } from './hq/station-commands.ts';
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
