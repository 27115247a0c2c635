import type { TenderKind } from '../../config/types.ts';

/**
 * A self-service order: what a customer asked for and how they pay for it. No biller is paid from
 * the station's prepaid balance until the customer's money is in: at the counter the operator
 * confirms the cash (the transaction is created in the same journal batch), with a payment QR the
 * acquirer's confirmation is journaled first. Stored under `o:<id>`; money in integer fen.
 *
 *   awaiting-payment ──cash received / QR paid──▶ (paid ──▶) processing ──▶ succeeded | failed
 *        │ ttl passed ▶ expired     │ cancel ▶ cancelled
 *   QR: paid but the transaction cannot start, or it failed ──▶ refunding ──▶ refunded
 *   QR: paid after the order expired ──▶ refunding ──▶ refunded
 */
export type OrderStatus =
  | 'awaiting-payment'
  | 'paid'
  | 'processing'
  | 'succeeded'
  | 'failed'
  | 'expired'
  | 'cancelled'
  | 'refunding'
  | 'refunded';

/** Statuses after which nothing more happens to an order. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'succeeded',
  'failed',
  'expired',
  'cancelled',
  'refunded',
]);

export interface Bilingual {
  zh: string;
  en: string;
}

/** The acquirer's payment order behind a QR tender (issued by HQ). */
export interface QrPayment {
  /** HQ's payment order id. */
  paymentId: string;
  /** What the QR code encodes (the payment link the customer's wallet opens). */
  payload: string;
  /** Epoch ms after which the acquirer takes no payment for it. */
  expiresAt: number;
  /** When the acquirer says the customer paid, epoch ms. */
  paidAt?: number | undefined;
}

export interface OrderRecord {
  v: 1;
  /** `<business date yyyymmdd><number>`: unique for ever. */
  id: string;
  /** 6 digits, unique within the business date: what the customer tells the operator. */
  number: string;
  businessDate: string;
  service: string;
  /** Validated input, as the transaction will carry it. */
  fields: Record<string, string>;
  amountFen: number;
  feeFen: number;
  tender: TenderKind;
  status: OrderStatus;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms: an order not paid by then expires. */
  expiresAt: number;
  /** Own key for every request this order makes to HQ (`<key>:<op>:0`). */
  key: string;
  /** The operator who took the cash (counter tender). */
  cashier: string | null;
  /** The transaction that pays the biller, once it exists. */
  serial: string | null;
  qr: QrPayment | null;
  /** Failed attempts to start the transaction or refund (retried with back-off). */
  attempts: number;
  reason: ({ code: string } & Bilingual) | null;
  refund: { at: number; ref: string | null } | null;
}

const LABELS: Record<OrderStatus, Bilingual> = {
  'awaiting-payment': { zh: '待付款', en: 'awaiting payment' },
  paid: { zh: '已付款，即将办理', en: 'paid; starting' },
  processing: { zh: '办理中', en: 'processing' },
  succeeded: { zh: '办理成功', en: 'succeeded' },
  failed: { zh: '办理失败', en: 'failed' },
  expired: { zh: '已过期，未收款', en: 'expired; nothing was paid' },
  cancelled: { zh: '已取消，未收款', en: 'cancelled; nothing was paid' },
  refunding: { zh: '退款中', en: 'refund in progress' },
  refunded: { zh: '已退款', en: 'refunded' },
};

export function orderStatusLabel(status: OrderStatus): Bilingual {
  return LABELS[status];
}

/** What the customer is told to do or expect, by tender and status. Pure. */
export function orderMessage(order: Pick<OrderRecord, 'tender' | 'status' | 'number'>): Bilingual {
  switch (order.status) {
    case 'awaiting-payment':
      return order.tender === 'counter'
        ? {
            zh: `请到窗口交费，报订单号 ${order.number}`,
            en: `Please pay at the counter with order number ${order.number}`,
          }
        : { zh: '请用手机扫码付款', en: 'Scan the code with your phone to pay' };
    case 'paid':
    case 'processing':
      return { zh: '已收款，正在办理，请稍候', en: 'Payment received; processing, please wait' };
    case 'succeeded':
      return { zh: '办理成功', en: 'Done' };
    case 'failed':
      return order.tender === 'counter'
        ? { zh: '办理失败，请到窗口取回现金', en: 'It failed; collect your cash at the counter' }
        : { zh: '办理失败，款项将原路退回', en: 'It failed; your payment is being refunded' };
    case 'expired':
      return { zh: '订单已过期，未收取任何费用', en: 'The order expired; nothing was charged' };
    case 'cancelled':
      return { zh: '订单已取消，未收取任何费用', en: 'The order was cancelled; nothing was charged' };
    case 'refunding':
      return { zh: '正在原路退款', en: 'Refunding your payment' };
    case 'refunded':
      return { zh: '款项已原路退回', en: 'Your payment has been refunded' };
  }
}

/** The order number printed and shown: 6 digits from a random integer. */
export function orderNumberOf(random: number): string {
  return String(Math.abs(Math.trunc(random)) % 1_000_000).padStart(6, '0');
}

export function isFinalOrder(order: Pick<OrderRecord, 'status'>): boolean {
  return FINAL_ORDER_STATUSES.has(order.status);
}

/** The tenders a station offers, the default first. */
export function tendersOf(setting: TenderKind | readonly TenderKind[]): TenderKind[] {
  return typeof setting === 'string' ? [setting] : [...new Set(setting)];
}

/**
 * The order's status as the customer sees it while its transaction runs: `pending` once the biller
 * has been asked and the kiosk waits for its answer (a status query is on its way).
 */
export type OrderViewStatus = OrderStatus | 'pending';
