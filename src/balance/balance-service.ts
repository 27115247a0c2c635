import type { KioskConfig } from '../config/schema.ts';
import { KioskError } from '../core/errors.ts';
import { availableFen, type LedgerEntry } from '../core/ledger.ts';
import { Money } from '../core/money.ts';
import type { Journal } from '../journal/journal.ts';
import { refKey } from '../journal/keys.ts';
import type { Logger } from '../platform/logger.ts';

/** A balance event pushed by HQ (counter top-up, its same-day reversal, adjustment, refund notice). */
export interface HqBalanceEvent {
  kind: 'topup' | 'topup-reversal' | 'adjustment' | 'refund';
  /** Integer fen; signed only for adjustments. */
  fen: number;
  /** HQ's reference (deposit slip number, adjustment id); an event is applied once per ref. */
  ref: string;
  serial?: string;
  note?: string;
}

export interface BalanceSummary {
  balance: string;
  held: string;
  available: string;
  lowWarning: string;
  low: boolean;
  openHolds: number;
}

/**
 * The station's prepaid balance (信誉度) as the rest of the kiosk sees it. Holds, captures and
 * releases are written by the engine inside its own batches; this service applies HQ's events and
 * answers questions about the balance.
 */
export class BalanceService {
  constructor(
    private readonly journal: Journal,
    private readonly config: () => KioskConfig,
    private readonly logger: Logger,
  ) {}

  summary(): BalanceSummary {
    const s = this.journal.balance;
    const lowWarning = Money.of(this.config().balance.lowWarning);
    const available = Money.fromFen(availableFen(s));
    return {
      balance: Money.fromFen(s.balanceFen).toString(),
      held: Money.fromFen(s.heldFen).toString(),
      available: available.toString(),
      lowWarning: lowWarning.toString(),
      low: available.lt(lowWarning),
      openHolds: s.holds.size,
    };
  }

  /**
   * Applies an HQ balance event exactly once (by `ref`) in one durable batch. A repeat returns the
   * entry applied the first time. A debit that would leave the available balance below zero is
   * refused and changes nothing.
   */
  async applyHqEvent(ev: HqBalanceEvent): Promise<{ entry: LedgerEntry; duplicate: boolean }> {
    if (!/^[\w.:-]{1,64}$/.test(ev.ref)) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'ref',
        zh: '参考号格式有误',
        en: 'bad reference',
      });
    }
    const seen = await this.journal.getJson<LedgerEntry>(refKey(ev.ref));
    if (seen) return { entry: seen, duplicate: true };
    const wasLow = this.summary().low;
    const entry = await this.journal.commit((b) => {
      const e = b.ledger({
        kind: ev.kind,
        fen: ev.fen,
        ref: ev.ref,
        ...(ev.serial ? { serial: ev.serial } : {}),
        ...(ev.note ? { note: ev.note } : {}),
      });
      b.put(refKey(ev.ref), e);
      b.event({ type: 'ledger', ledger: e, info: { source: 'hq' } });
      return e;
    });
    const now = this.summary();
    this.logger.info(
      { kind: ev.kind, fen: ev.fen, ref: ev.ref, available: now.available },
      'balance event applied',
    );
    if (now.low && !wasLow)
      this.logger.warn({ available: now.available, lowWarning: now.lowWarning }, 'prepaid balance low');
    return { entry, duplicate: false };
  }
}
