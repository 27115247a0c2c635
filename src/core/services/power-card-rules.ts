import { addDays, businessDayStart } from '../business-day.ts';
import { type CardWrite, cardWriteSchema } from '../card-write.ts';
import type { AlertRule, EffectResult, RuleContext, TxnRecord } from '../transaction/types.ts';
import { cardIn, storedWrite } from './power-card-data.ts';

/**
 * Pure rules of the smart electricity card purchase (智能电卡充值): what the card read must show,
 * whether HQ's write data fits the card and the transaction, and how long the kiosk waits for a
 * card before it gives the purchase back (账务撤销).
 */

/**
 * How long a write whose card was not in the reader (pulled before the write was sent, or never
 * brought back after a read-back showed the write missing) waits for the card before the purchase
 * is undone in HQ's books, ms. Nothing was written, so undoing it is safe.
 */
export const CARD_WAIT_MS = 3 * 60_000;
/** Poll interval of the states that wait for a card, ms; a card insertion wakes them at once. */
export const CARD_POLL_MS = 5_000;
/** After this long without the card, a read-back that cannot decide tells the operator and HQ. */
export const CARD_NEEDED_ALERT_MS = 2 * 60_000;
/** A confirmation still unacknowledged after this long is shown to the operator and HQ. */
export const CONFIRM_ALERT_MS = 30 * 60_000;

/** Polling schedule for the card states: the first attempt at once, then every CARD_POLL_MS up to a minute apart. */
export function cardPolling(attempt: number, ctx: RuleContext): number {
  if (attempt <= 1) return 0;
  return Math.min(CARD_POLL_MS * 2 ** Math.min(attempt - 2, 4), ctx.config.engine.retryMaxDelayMs);
}

/**
 * Schedule of every request to HQ in the saga (pay, confirmation, accounting reversal, reversal and
 * its cancellation): the engine's back-off — the first at once, then retryBaseDelayMs·2^(n−2) capped
 * at retryMaxDelayMs — as the state's own schedule, so the request is repeated (same idempotency
 * key) until HQ answers. A timeout never counts as a failure: the engine's bound on attempts, which
 * parks a transaction for the operator, would leave HQ's books and the card's unreconciled.
 */
export function untilHqAnswers(attempt: number, ctx: RuleContext): number {
  const { retryBaseDelayMs, retryMaxDelayMs } = ctx.config.engine;
  if (attempt <= 1) return 0;
  return Math.min(retryBaseDelayMs * 2 ** Math.min(attempt - 2, 20), retryMaxDelayMs);
}

export function alertAfter(name: string, ms: number): AlertRule {
  return { name, due: (txn) => txn.stateSince + ms };
}

/** Raised once when the business date of a still-unresolved transaction has ended. */
export const afterDayCut: AlertRule = {
  name: 'unresolved-after-day-cut',
  due: (txn, ctx) => businessDayStart(addDays(txn.businessDate, 1), ctx.config.business.dayCut),
};

export const declinedBecause = (code: string, zh: string, en: string): EffectResult => ({
  outcome: 'declined',
  reason: { code, zh, en },
});

/** The card read at the start of a purchase must be the card the customer chose. */
export function checkPurchaseCard(txn: TxnRecord, r: EffectResult): EffectResult {
  if (r.outcome !== 'ok') return r;
  const card = cardIn(r.data);
  if (!card || card.cardSerial !== txn.fields.cardSerial || card.customerNo !== txn.fields.customerNo)
    return declinedBecause(
      'KIOSK_E_WRONG_CARD',
      '读卡器中的电卡与本次购电不符',
      'the card in the reader is not the card of this purchase',
    );
  return r;
}

/**
 * HQ's write data must be for this card, its next counter and this amount; otherwise the kiosk
 * never writes it and the accepted purchase is undone (answered as `pending`, which leads there).
 * HQ answering `pending` itself is not an outcome yet: asked again (`unknown`).
 */
export function checkPurchaseWrite(txn: TxnRecord, r: EffectResult): EffectResult {
  if (r.outcome === 'pending') return { ...r, outcome: 'unknown' };
  if (r.outcome !== 'ok') return r;
  const parsed = cardWriteSchema.safeParse(r.data?.writeData);
  const card = cardIn(txn.data);
  const w: CardWrite | undefined = parsed.success ? parsed.data : undefined;
  if (
    !card ||
    w?.kind !== 'purchase' ||
    w.cardSerial !== card.cardSerial ||
    w.customerNo !== card.customerNo ||
    w.purchaseCounter !== card.purchaseCounter + 1 ||
    w.amountFen !== txn.amountFen
  )
    return {
      outcome: 'pending',
      ...(r.data ? { data: r.data } : {}),
      reason: {
        code: 'KIOSK_E_BAD_WRITE_DATA',
        zh: '总部写卡数据与本卡不符，不写卡',
        en: 'HQ write data does not fit this card; not written',
      },
    };
  return { ...r, data: { ...r.data, writeData: w } };
}

/**
 * Before a purchase reversal the card must still hold the purchase as its last write with its
 * units pending (the meter has not loaded them); otherwise the reversal is refused.
 */
export function checkReversalCard(txn: TxnRecord, r: EffectResult): EffectResult {
  if (r.outcome !== 'ok') return r;
  const card = cardIn(r.data);
  const w = storedWrite(txn, 'writeData');
  if (!w)
    return declinedBecause(
      'KIOSK_E_BAD_WRITE_DATA',
      '本次购电没有写卡记录，不能撤销',
      'the purchase holds no card write; cannot reverse',
    );
  if (!card || card.cardSerial !== w.cardSerial)
    return declinedBecause('KIOSK_E_WRONG_CARD', '请插入原购电卡', 'insert the card of the purchase');
  if (card.purchaseCounter !== w.purchaseCounter || card.lastPurchase?.txnRef !== w.txnRef)
    return declinedBecause(
      'KIOSK_E_CARD_MOVED',
      '电卡已有后续写卡，不能撤销',
      'the card has a later write; cannot reverse',
    );
  if (card.pendingUnits < w.units)
    return declinedBecause(
      'KIOSK_E_UNITS_LOADED',
      '电量已输入电表，不能撤销',
      'the units are already in the meter; cannot reverse',
    );
  return { ...r, data: { reversalCard: card } };
}

/** HQ's reversal write data, kept apart from the purchase's; checked like the purchase's. */
export function checkReversalWrite(txn: TxnRecord, r: EffectResult): EffectResult {
  if (r.outcome === 'pending') return { ...r, outcome: 'unknown' };
  if (r.outcome !== 'ok') return r;
  const parsed = cardWriteSchema.safeParse(r.data?.writeData);
  const orig = storedWrite(txn, 'writeData');
  const w = parsed.success ? parsed.data : undefined;
  if (
    !orig ||
    w?.kind !== 'reversal' ||
    w.cardSerial !== orig.cardSerial ||
    w.originalTxnRef !== orig.txnRef ||
    w.units !== orig.units
  )
    return {
      outcome: 'declined',
      reason: {
        code: 'KIOSK_E_BAD_WRITE_DATA',
        zh: '总部撤销写卡数据与原购电不符',
        en: 'HQ reversal write data does not fit the purchase',
      },
    };
  return { outcome: 'ok', data: { reversalWrite: w } };
}

/**
 * A write whose card is absent keeps waiting (`pending`) for CARD_WAIT_MS; after that it gives up
 * (`declined`), which undoes the purchase at HQ. Only reached when nothing was written.
 */
export function giveUpWaiting(txn: TxnRecord, r: EffectResult, ctx: RuleContext): EffectResult {
  if (r.outcome === 'pending' && ctx.clock.now() - txn.stateSince >= CARD_WAIT_MS)
    return declinedBecause(
      'KIOSK_E_CARD_NOT_BACK',
      '电卡未在规定时间内插回，未写卡',
      'the card did not come back in time; nothing was written',
    );
  return r;
}
