import type { Journal } from '../journal/journal.ts';
import { configKey } from '../journal/keys.ts';
import type { JournalEvent } from '../journal/records.ts';
import type { Logger } from '../platform/logger.ts';
import type { BalanceService } from './balance-service.ts';

/** The last warning state told (journaled, relayed to HQ): c:low-balance. */
export const LOW_BALANCE_KEY = configKey('low-balance');

export interface LowBalanceState {
  low: boolean;
  /** When it last crossed the threshold, epoch ms. */
  since: number;
  available: string;
  lowWarning: string;
}

/**
 * Watches the available balance after every durable ledger change, whatever made it (a sale's
 * hold, a capture, HQ's adjustment, a top-up or its reversal, a threshold changed by HQ), and
 * records each crossing of `balance.lowWarning` once: a `system` event (`balance-low` or
 * `balance-ok`, relayed to HQ with the journal) and the state under c:low-balance, so a restart
 * does not tell HQ again. The operator sees it in /api/health and telemetry carries `balance.low`.
 */
export class LowBalanceWatch {
  private state: LowBalanceState | undefined;
  private checking: Promise<void> = Promise.resolve();
  // Every durable event: engine batches change holds and captures with txn events, not ledger ones.
  // The check reads the in-memory balance only, so it is cheap.
  private readonly onEvent = (_ev: JournalEvent): void => {
    void this.enqueue();
  };

  /** Checks run one at a time, in order, so a crossing is recorded once. */
  private enqueue(): Promise<void> {
    this.checking = this.checking
      .then(() => this.check())
      .catch((e: unknown) => {
        this.logger.error({ err: e }, 'low-balance check failed');
      });
    return this.checking;
  }

  constructor(
    private readonly journal: Journal,
    private readonly balance: BalanceService,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.state = await this.journal.getJson<LowBalanceState>(LOW_BALANCE_KEY);
    this.journal.on('event', this.onEvent);
    await this.enqueue();
  }

  stop(): void {
    this.journal.off('event', this.onEvent);
  }

  /** The warning as last recorded; undefined before the first check. */
  get current(): LowBalanceState | undefined {
    return this.state;
  }

  /** Resolves once every check started so far has finished (tests). */
  settled(): Promise<void> {
    return this.checking;
  }

  private async check(): Promise<void> {
    const s = this.balance.summary();
    if (this.state?.low === s.low || (this.state === undefined && !s.low)) return;
    // A kiosk HQ has not funded yet (first start, before the opening balance) is not "running low".
    if (this.state === undefined && s.balance === '0.00' && s.held === '0.00') return;
    const next = await this.journal.commit((b) => {
      const rec: LowBalanceState = {
        low: s.low,
        since: b.at,
        available: s.available,
        lowWarning: s.lowWarning,
      };
      b.put(LOW_BALANCE_KEY, rec);
      b.event({
        type: 'system',
        info: {
          kind: s.low ? 'balance-low' : 'balance-ok',
          available: s.available,
          lowWarning: s.lowWarning,
        },
      });
      return rec;
    });
    this.state = next;
    if (next.low)
      this.logger.warn(
        { available: next.available, lowWarning: next.lowWarning },
        'prepaid balance low: top up',
      );
    else this.logger.info({ available: next.available }, 'prepaid balance above the warning line again');
  }
}
