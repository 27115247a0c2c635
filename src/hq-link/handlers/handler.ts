import type { z } from 'zod';
import type { BalanceService } from '../../balance/balance-service.ts';
import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import type { Journal } from '../../journal/journal.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CommandName } from '../../protocol/topics.ts';
import type { ConfigControl } from '../config-control.ts';
import type { ServicesLayer, StoredConfig, TerminalBinding } from '../kiosk-state.ts';
import type { NoticeBoard } from '../notice-board.ts';
import type { OutboxRelay } from '../relay.ts';

/** The assisted services as HQ's commands reach them (the composition root's AssistDesk). */
export interface AssistPort {
  applyGuide(data: unknown): Promise<{ version: number; previous: number | null; unchanged?: true }>;
  update(
    data: unknown,
    actor: { channel: 'hq' },
  ): Promise<{ request: { id: string; state: string }; unchanged: boolean }>;
}

/** What every command handler may use. */
export interface CommandContext {
  station: string;
  journal: Journal;
  balance: BalanceService;
  clock: Clock;
  logger: Logger;
  config: () => KioskConfig;
  configControl: ConfigControl | undefined;
  notices: NoticeBoard;
  relay: OutboxRelay;
  /** In-memory mirror of the HQ layers stored in the journal; handlers update it after commit. */
  layers: {
    config: StoredConfig;
    services: ServicesLayer | undefined;
    terminal: TerminalBinding | undefined;
  };
  /** Called after notices change (LED / screen). */
  noticesChanged: () => void;
  /** Called after an HQ layer was applied: HQ's view of the station (its birth) is renewed. */
  configChanged: () => void;
  /** Called after the terminal binding changes. */
  terminalChanged: () => void;
  publishReport: (seq: number, report: string, data: Record<string, unknown>) => Promise<void>;
  /** Absent where the kiosk runs without its assisted services (CLI tools). */
  assist: AssistPort | undefined;
}

/** A command that is well-formed and authentic but refused on its merits (e.g. invalid config). */
export class CommandRefused extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(en);
    this.name = 'CommandRefused';
  }
}

export interface CommandHandler<S extends z.ZodType = z.ZodType> {
  name: CommandName;
  schema: S;
  /** Applies the command durably; returns facts for the result message. Idempotent per command. */
  apply(data: z.output<S>, ctx: CommandContext, meta: { seq: number }): Promise<Record<string, unknown>>;
}

export function defineHandler<S extends z.ZodType>(h: CommandHandler<S>): CommandHandler {
  return h as unknown as CommandHandler;
}
