import { Command } from 'commander';
import { registerAppointment } from './commands/appointment.ts';
import { registerBalance } from './commands/balance.ts';
import { registerCard } from './commands/card.ts';
import { registerConfig } from './commands/config.ts';
import { registerCreditCard } from './commands/credit-card.ts';
import { registerDevice } from './commands/device.ts';
import { registerJournal } from './commands/journal.ts';
import { registerJournalViews } from './commands/journal-views.ts';
import { registerOperator } from './commands/operator.ts';
import { registerPay } from './commands/pay.ts';
import { registerPending } from './commands/pending.ts';
import { registerQuery } from './commands/query.ts';
import { registerReport } from './commands/report.ts';
import { registerReverse } from './commands/reverse.ts';
import { registerStart } from './commands/start.ts';
import { reportError } from './output.ts';
import { runProgram } from './program.ts';

const program = new Command('kiosk')
  .description('newsstand-kiosk — 便民服务亭')
  .option('-c, --config <file>', 'local configuration file over the defaults (or KIOSK_CONFIG)')
  .exitOverride()
  .showHelpAfterError();

await runProgram(
  program,
  [
    registerStart,
    registerJournal,
    registerBalance,
    registerOperator,
    registerConfig,
    registerPay,
    registerQuery,
    registerReverse,
    registerPending,
    registerDevice,
    registerCard,
    registerJournalViews,
    registerReport,
    registerCreditCard,
    registerAppointment,
  ],
  (e, json) => reportError(e, { json }),
);
