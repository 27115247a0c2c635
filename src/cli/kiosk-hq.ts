import { Command, CommanderError } from 'commander';
import { EXIT } from './exit-codes.ts';
import { registerAdmin } from './hq/admin-commands.ts';
import { registerKeys } from './hq/keys.ts';
import { registerServe } from './hq/serve.ts';
import { registerStationCommands } from './hq/station-commands.ts';

const program = new Command('kiosk-hq')
  .description(
    'newsstand-kiosk HQ tool — 总部管理工具: reference HQ, kiosks, notices, config, top-ups, statistics, keys',
  )
  .exitOverride()
  .showHelpAfterError();

function run(fn: () => Promise<number>): void {
  const json = process.argv.includes('--json');
  fn().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const err = e as Error & { code?: string };
      if (json)
        process.stdout.write(
          `${JSON.stringify({ error: { code: err.code ?? 'HQ_E_FAILED', message: err.message } }, null, 2)}\n`,
        );
      process.stderr.write(`错误 error: ${err.message}\n`);
      process.exitCode = EXIT.FAILURE;
    },
  );
}

registerServe(program, run);
registerAdmin(program, run);
registerStationCommands(program, run);
registerKeys(program, run);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode =
      e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
  } else {
    process.stderr.write(`错误 error: ${(e as Error).message}\n`);
    process.exitCode = EXIT.FAILURE;
  }
}
