import type { CardTerminal } from '../app/card-terminal.ts';
import type { BalanceService } from '../balance/balance-service.ts';
import type { KioskConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import type { ServiceRegistry } from '../engine/service-registry.ts';
import type { JournalProblem } from '../journal/journal.ts';
import type { JournalReader } from '../journal/journal-reader.ts';
import type { Operators } from '../operators/operators.ts';
import { silentLogger } from '../platform/logger.ts';

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

/**
 * What the CLI's commands use of a stopped kiosk's store: the journal's read-only queries, the
 * balance, the operators and what a transaction view needs. Nothing drives transactions.
 */
export interface CliKiosk {
  readonly clock: Clock;
  readonly config: KioskConfig;
  /** Problems the journal's start-up checks found. */
  readonly problems: readonly JournalProblem[];
  readonly services: Pick<ServiceRegistry, 'get'>;
  readonly records: JournalReader;
  readonly balance: Pick<BalanceService, 'summary'>;
  readonly operators: Pick<Operators, 'add' | 'passwd' | 'unlock' | 'list'>;
  readonly cardTerminal: Pick<CardTerminal, 'facts'>;
}

/** Opens the journal and the parts around it (no servers, no transaction driving), runs `fn`, closes. */
export async function withApp<T>(opts: GlobalOptions, fn: (app: CliKiosk) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: counter commands that only talk to the running kiosk's API never
  // pay for loading the journal, the engine and the servers.
  const { KioskApp } = await import('../app/kiosk-app.ts');
  const app = new KioskApp({ configFile: opts.config, logger: silentLogger(), http: false });
  try {
    await app.open();
    return await fn(app);
  } finally {
    await app.stop().catch(() => undefined);
  }
}
