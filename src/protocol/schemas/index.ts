import type { CommandData } from './commands.ts';
import type {
  CommandResult,
  HqRequestMessage,
  JournalBatch,
  Presence,
  ReportMessage,
  Telemetry,
} from './up.ts';

export * from './admin.ts';
export * from './commands.ts';
export * from './common.ts';
export * from './down.ts';
export * from './journal-event.ts';
export * from './up.ts';

/** Typed topic → payload map of the kiosk's own messages (`up/<kind>`). */
export interface UpPayloads {
  presence: Presence;
  telemetry: Telemetry;
  journal: JournalBatch;
  request: HqRequestMessage;
  commandResult: CommandResult;
  report: ReportMessage;
}

/** Typed map of the `data` of each command (`down/cmd/<name>`). */
export type CommandPayloads = CommandData;
