import type { CommandName } from '../../protocol/topics.ts';
import { guideHandler, requestHandler } from './assist.ts';
import { balanceHandler } from './balance.ts';
import { configHandler } from './config.ts';
import { configRollbackHandler } from './config-rollback.ts';
import type { CommandHandler } from './handler.ts';
import { journalResendHandler } from './journal-resend.ts';
import { noticeHandler } from './notice.ts';
import { noticeWithdrawHandler } from './notice-withdraw.ts';
import { reportHandler } from './report.ts';
import { servicesHandler } from './services.ts';
import { settlementCheckHandler } from './settlement-check.ts';
import { terminalHandler } from './terminal.ts';

/** One handler per HQ command. */
export const HANDLERS: Record<CommandName, CommandHandler> = {
  notice: noticeHandler,
  'notice-withdraw': noticeWithdrawHandler,
  config: configHandler,
  'config-rollback': configRollbackHandler,
  balance: balanceHandler,
  services: servicesHandler,
  terminal: terminalHandler,
  report: reportHandler,
  'journal-resend': journalResendHandler,
  'settlement-check': settlementCheckHandler,
  guide: guideHandler,
  request: requestHandler,
};
