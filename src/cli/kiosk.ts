import { Command, CommanderError } from 'commander';
import { registerBalance } from './commands/balance.ts';
import { registerConfig } from './commands/config.ts';
import { registerJournal } from './commands/journal.ts';
import { registerJournalViews } from './commands/journal-views.ts';
import { registerOperator } from './commands/operator.ts';
import { registerPay } from './commands/pay.ts';
import { registerPending } from './commands/pending.ts';
import { registerQuery } from './commands/query.ts';
import { registerReverse } from './commands/reverse.ts';
import { registerStart } from './commands/start.ts';
import { EXIT } from './exit-codes.ts';
import { reportError } from './output.ts';

const program = new Command('kiosk')
  .description('newsstand-kiosk — 便民服务亭')
  .option('-c, --config <file>', 'local configuration file over the defaults (or KIOSK_CONFIG)')
  .exitOverride()
  .showHelpAfterError();

function run(fn: () => Promise<number>): void {
  const json = process.argv.includes('--json');
  fn().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.exitCode = reportError(e, { json });
    },
  );
}

registerStart(program, run);
registerJournal(program, run);
registerBalance(program, run);
registerOperator(program, run);
registerConfig(program, run);
registerPay(program, run);
registerQuery(program, run);
registerReverse(program, run);
registerPending(program, run);
registerJournalViews(program, run);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode =
      e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
  } else {
    process.exitCode = reportError(e);
  }
}
