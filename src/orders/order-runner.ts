import type { KioskConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { isKioskError, KioskError } from '../core/errors.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { Logger } from '../platform/logger.ts';
import type { OrderBook } from './order-book.ts';
import type { QrAcquirer, QrAnswer } from './qr-acquirer.ts';

const SELF = { channel: 'self' } as const;

/** Errors after which starting the transaction is tried again rather than refunded. */
const TRANSIENT = new Set([
  'KIOSK_E_TIMEOUT',
  'KIOSK_E_HQ_PROTOCOL',
  'KIOSK_E_JOURNAL_WRITE',
  'KIOSK_E_INTERNAL',
]);

const LATE = {
  code: 'KIOSK_E_PAID_AFTER_EXPIRY',
  zh: '付款到账时订单已过期，款项原路退回',
  en: 'the payment arrived after the order expired; it is refunded',
};
const QR_UNAVAILABLE = {
  code: 'KIOSK_E_QR_UNAVAILABLE',
  zh: '扫码支付暂不可用，请到窗口交费',
  en: 'QR payment is unavailable now; please pay at the counter',
};

export interface OrderRunnerDeps {
  book: OrderBook;
  engine: Engine;
  acquirer: QrAcquirer;
  clock: Clock;
  config: () => KioskConfig;
  logger: Logger;
  /** Prints the refund slip of a refunded order (through the print queue). */
  refunded?: (order: OrderRecord) => void;
}

/**
 * Follows every open order until it is final, and resumes them all at start: expires unpaid
 * orders, asks HQ's acquirer whether a QR order is paid (closing it at its expiry), journals the
 * payment before starting the transaction, follows the transaction, and refunds a QR payment the
 * kiosk cannot honour (the transaction could not start or failed, or the payment came late). The
 * journaled status is the intent of each next step; every request to HQ is idempotent by key.
 */
export class OrderRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopping = true;
  private readonly onTxn = (txn: TxnRecord): void => {
    const id = txn.data.order;
    if (txn.terminal && typeof id === 'string') this.run(id, () => this.settle(id));
  };

  constructor(private readonly d: OrderRunnerDeps) {}

  async start(): Promise<void> {
    this.stopping = false;
    this.d.engine.on('txn', this.onTxn);
    for (const id of await this.d.book.journal.openOrderIds()) {
      const order = await this.d.book.find(id);
      if (order) this.track(order);
    }
  }

  stop(): void {
    this.stopping = true;
    this.d.engine.off('txn', this.onTxn);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Schedules the next step of an order from its journaled status. */
  track(order: OrderRecord): void {
    const now = this.d.clock.now();
    const id = order.id;
    switch (order.status) {
      case 'awaiting-payment':
        if (order.tender === 'counter') this.later(id, order.expiresAt - now, () => this.expire(id));
        else if (!order.qr) this.run(id, () => this.issueQr(id).then(() => undefined));
        else
          this.later(id, Math.min(this.d.config().selfService.qrPollMs, order.expiresAt - now), () =>
            this.pollQr(id),
          );
        return;
      case 'paid':
        this.later(id, this.backoff(order.attempts), () => this.startTxn(id));
        return;
      case 'processing':
        this.run(id, () => this.settle(id));
        return;
      case 'refunding':
        this.later(id, this.backoff(order.attempts), () => this.refund(id));
        return;
      default:
        return;
    }
  }

  /** Gets the payment QR of a new QR order; without one the order is cancelled (nothing was paid). */
  async issueQr(id: string): Promise<OrderRecord> {
    return this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.status !== 'awaiting-payment' || cur.qr) return cur;
      const r = await this.d.acquirer.issue(cur, this.d.clock.now());
      if (!r.ok) {
        this.d.logger.warn({ order: id, outcome: r.result.outcome }, 'payment QR not issued');
        return this.d.book.update(cur, { status: 'cancelled', reason: QR_UNAVAILABLE });
      }
      const a = r.answer;
      const next = await this.d.book.update(cur, {
        qr: { paymentId: a.paymentId, payload: a.payload, expiresAt: a.expiresAt },
        expiresAt: Math.min(cur.expiresAt, a.expiresAt),
      });
      this.track(next);
      return next;
    });
  }

  /**
   * Closes a QR order at the acquirer (its expiry, or the customer's cancel). Resolves with the
   * order after the answer: `expired`/`cancelled` when it took no payment, else paid (and followed).
   */
  async closeQr(id: string, as: 'expired' | 'cancelled'): Promise<OrderRecord> {
    return this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.status !== 'awaiting-payment') return cur;
      if (!cur.qr) return this.d.book.update(cur, { status: as });
      const r = await this.d.acquirer.close(cur);
      if (!r.ok) {
        throw new KioskError('KIOSK_E_TIMEOUT', {
          field: 'id',
          zh: '暂时无法确认付款状态，请稍后再试',
          en: 'the payment status cannot be confirmed now; try again',
        });
      }
      return this.afterAnswer(cur, r.answer, as);
    });
  }

  private async pollQr(id: string): Promise<void> {
    const expired = await this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.status !== 'awaiting-payment' || !cur.qr) return false;
      if (this.d.clock.now() >= cur.expiresAt) return true;
      const r = await this.d.acquirer.status(cur);
      if (!r.ok) {
        this.track(cur);
        return false;
      }
      await this.afterAnswer(cur, r.answer, 'expired');
      return false;
    });
    if (expired) await this.closeQr(id, 'expired').catch(() => this.retryLater(id));
  }

  private retryLater(id: string): void {
    this.later(id, this.d.config().selfService.qrPollMs, () => this.pollQr(id));
  }

  /** Acts on what the acquirer says about an open QR order. Called with the order locked. */
  private async afterAnswer(
    cur: OrderRecord,
    a: QrAnswer,
    ifClosed: 'expired' | 'cancelled',
  ): Promise<OrderRecord> {
    const qr = cur.qr!;
    if (a.status === 'paid') {
      const late = a.paidAt !== null && a.paidAt > qr.expiresAt;
      const next = await this.d.book.update(
        cur,
        {
          status: late ? 'refunding' : 'paid',
          qr: { ...qr, paidAt: a.paidAt ?? this.d.clock.now() },
          reason: late ? LATE : null,
        },
        { payment: 'confirmed', paymentId: a.paymentId, late },
      );
      this.track(next);
      return next;
    }
    if (a.status === 'awaiting') {
      this.track(cur);
      return cur;
    }
    // Expired or closed at the acquirer; a late payment there was refunded by the acquirer itself.
    return this.d.book.update(cur, {
      status: ifClosed,
      ...(a.status === 'refunded'
        ? { reason: LATE, refund: { at: this.d.clock.now(), ref: a.refundRef } }
        : {}),
    });
  }

  private async expire(id: string): Promise<void> {
    await this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.status !== 'awaiting-payment' || cur.tender !== 'counter') return;
      if (this.d.clock.now() < cur.expiresAt) return this.track(cur);
      await this.d.book.update(cur, { status: 'expired' });
    });
  }

  /** The QR payment is journaled: now the transaction starts, in one batch with the order's link. */
  private async startTxn(id: string): Promise<void> {
    await this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.status !== 'paid') return;
      try {
        await this.d.engine.create(cur.service, cur.fields, SELF, {
          paid: true,
          data: { order: cur.id },
          alongside: (b, txn) =>
            b.putOrder({ ...cur, status: 'processing', serial: txn.serial, updatedAt: b.at }),
        });
      } catch (e) {
        const code = isKioskError(e) ? e.code : 'KIOSK_E_INTERNAL';
        const again = TRANSIENT.has(code) && cur.attempts + 1 < this.d.config().engine.maxAttempts;
        this.d.logger.warn({ order: id, err: e, again }, 'paid order: transaction not started');
        const reason = isKioskError(e)
          ? { code, zh: e.zh, en: e.en }
          : { code, zh: '无法办理', en: 'cannot be processed' };
        const next = await this.d.book.update(cur, {
          attempts: cur.attempts + 1,
          ...(again ? {} : { status: 'refunding' as const, attempts: 0, reason }),
        });
        this.track(next);
      }
    });
  }

  /** The order's transaction is final: the order follows it (a failed QR order is refunded). */
  private async settle(id: string): Promise<void> {
    await this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.status !== 'processing' || !cur.serial) return;
      const txn = await this.d.engine.get(cur.serial);
      if (!txn.terminal) return;
      const reason = txn.reason ? { ...txn.reason } : null;
      if (txn.result !== 'failed') return void (await this.d.book.update(cur, { status: 'succeeded' }));
      const next = await this.d.book.update(cur, {
        status: cur.tender === 'qr' ? 'refunding' : 'failed',
        reason,
      });
      this.track(next);
    });
  }

  /** Returns a QR payment through the acquirer; retried until it is answered. */
  private async refund(id: string): Promise<void> {
    await this.d.book.locked(id, async () => {
      const cur = await this.d.book.get(id);
      if (cur.status !== 'refunding') return;
      const r = await this.d.acquirer.refund(cur);
      if (!r.ok) {
        this.d.logger.warn({ order: id, outcome: r.result.outcome }, 'refund not confirmed yet');
        this.track(await this.d.book.update(cur, { attempts: cur.attempts + 1 }));
        return;
      }
      const next = await this.d.book.update(
        cur,
        { status: 'refunded', refund: { at: this.d.clock.now(), ref: r.answer.refundRef } },
        { refund: 'confirmed', paymentId: r.answer.paymentId },
      );
      this.d.refunded?.(next);
    });
  }

  private backoff(attempts: number): number {
    if (attempts === 0) return 0;
    const { retryBaseDelayMs, retryMaxDelayMs } = this.d.config().engine;
    return Math.min(retryBaseDelayMs * 2 ** (attempts - 1), retryMaxDelayMs);
  }

  private later(id: string, ms: number, fn: () => Promise<void>): void {
    if (this.stopping) return;
    clearTimeout(this.timers.get(id));
    const t = setTimeout(
      () => {
        this.timers.delete(id);
        this.run(id, fn);
      },
      Math.max(0, ms),
    );
    this.timers.set(id, t);
  }

  private run(id: string, fn: () => Promise<void>): void {
    if (this.stopping) return;
    fn().catch((e: unknown) =>
      this.d.logger.error({ order: id, err: e }, 'order step failed; resumes at next start'),
    );
  }
}
