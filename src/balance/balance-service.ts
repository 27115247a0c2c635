import type { KioskConfig } from '../config/schema.ts';
import { businessDate } from '../core/business-day.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { KioskError } from '../core/errors.ts';
import { availableFen, type LedgerEntry } from '../core/ledger.ts';
import { Money } from '../core/money.ts';
import type { Journal } from '../journal/journal.ts';
import { configKey, refKey } from '../journal/keys.ts';
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
  /** A top-up reversal names the deposit slip (ref) of the top-up it reverses. */
  original?: string;
}

/** Marks a top-up as reversed, with the reversal's ref: c:topup-reversed:<original slip>. */
export const topupReversedKey = (original: string): string => configKey(`topup-reversed:${original}`);

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
    private readonly clock: Clock = systemClock,
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
    const original = ev.kind === 'topup-reversal' ? await this.checkTopupReversal(ev) : undefined;
    const entry = await this.journal.commit((b) => {
      const e = b.ledger({
        kind: ev.kind,
        fen: ev.fen,
        ref: ev.ref,
        ...(ev.serial ? { serial: ev.serial } : {}),
        ...(ev.note ? { note: ev.note } : {}),
      });
      b.put(refKey(ev.ref), e);
      if (original) b.put(topupReversedKey(original), { ref: ev.ref, at: e.at });
      b.event({ type: 'ledger', ledger: e, info: { source: 'hq' } });
      return e;
    });
    const now = this.summary();
    this.logger.info(
      { kind: ev.kind, fen: ev.fen, ref: ev.ref, available: now.available },
      'balance event applied',
    );
    return { entry, duplicate: false };
  }

  /**
   * A counter top-up reversal (现金缴费撤销) is allowed only on the business date of the top-up,
   * for its deposit slip and its exact amount, and once. Returns the slip; throws naming the field.
   */
  private async checkTopupReversal(ev: HqBalanceEvent): Promise<string> {
    const refuse = (field: string, zh: string, en: string): never => {
      throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', { field, zh, en });
    };
    if (!ev.original)
      return refuse(
        'original',
        '续费撤销须注明原缴款单号',
        'a top-up reversal names the original deposit slip',
      );
    const slip = ev.original;
    const top = await this.journal.getJson<LedgerEntry>(refKey(slip));
    if (top?.kind !== 'topup')
      return refuse('original', `找不到续费缴款单 ${slip}`, `no top-up with deposit slip ${slip}`);
    const cut = this.config().business.dayCut;
    if (businessDate(top.at, cut) !== businessDate(this.clock.now(), cut))
      refuse('original', '只能撤销当日的续费', 'only a top-up of the same business date can be reversed');
    if (top.deltaFen !== ev.fen)
      refuse(
        'fen',
        `撤销金额须等于原续费金额 ${Money.fromFen(top.deltaFen).toString()} 元`,
        `the amount must equal the top-up's ${Money.fromFen(top.deltaFen).toString()} yuan`,
      );
    if (await this.journal.getJson(topupReversedKey(slip)))
      refuse('original', '该续费已撤销', 'this top-up has been reversed already');
    return slip;
  }
}
