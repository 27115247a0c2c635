import {
  type Bilingual,
  type OrderRecord,
  type OrderViewStatus,
  orderMessage,
  orderStatusLabel,
} from '../core/orders/order.ts';
import type { ServiceLine, StateLabel, TxnRecord } from '../core/transaction/types.ts';
import { maskFields, maskKnown, type ServiceLookup, secretsOf } from './mask-txn.ts';
import { stateLabel } from './state-labels.ts';
import { detailsOf, yuan } from './txn-view.ts';

/**
 * An order as the customer's screen and the operator see it: masked, money as yuan strings, its
 * status in words and what to do next, the QR to show, and its transaction once it runs.
 */
export interface OrderView {
  id: string;
  number: string;
  businessDate: string;
  service: string;
  serviceName: Bilingual;
  tender: OrderRecord['tender'];
  status: OrderViewStatus;
  statusLabel: Bilingual;
  /** What the customer should do or expect now. */
  message: Bilingual;
  final: boolean;
  fields: Record<string, unknown>;
  amount: string;
  fee: string;
  total: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  serial: string | null;
  cashier: string | null;
  qr: { paymentId: string; payload: string; expiresAt: number; paidAt: number | null } | null;
  reason: { code: string; zh: string; en: string } | null;
  refund: { at: number; ref: string | null } | null;
  transaction: {
    serial: string;
    state: string;
    stateLabel: StateLabel;
    terminal: boolean;
    result: string | null;
    /** What the customer got, once it succeeded (the service's receipt lines). */
    details: ServiceLine[];
  } | null;
}

const PENDING_LABEL = { zh: '等待业务方结果', en: 'awaiting the biller’s result' };

/**
 * The order's status with its transaction: `pending` while the kiosk waits for the biller's answer
 * (it asks by itself), the transaction's result once it is final even before the order follows.
 */
export function orderViewStatus(
  order: OrderRecord,
  txn: TxnRecord | null,
  initial?: string,
): OrderViewStatus {
  if (order.status !== 'processing' || !txn) return order.status;
  if (txn.terminal) return txn.result === 'failed' ? 'failed' : 'succeeded';
  return initial !== undefined && txn.state !== initial ? 'pending' : 'processing';
}

/** Builds the masked view of an order. Pure. */
export function orderView(order: OrderRecord, txn: TxnRecord | null, services: ServiceLookup): OrderView {
  const def = services(order.service);
  const status = orderViewStatus(order, txn, def?.initial);
  const shown = status === 'pending' ? 'processing' : status;
  const view: OrderView = {
    id: order.id,
    number: order.number,
    businessDate: order.businessDate,
    service: order.service,
    serviceName: def ? { ...def.title } : { zh: order.service, en: order.service },
    tender: order.tender,
    status,
    statusLabel: status === 'pending' ? PENDING_LABEL : orderStatusLabel(status),
    message: orderMessage({ ...order, status: shown }),
    final: ['succeeded', 'failed', 'expired', 'cancelled', 'refunded'].includes(order.status),
    fields: maskFields(def, order.fields),
    amount: yuan(order.amountFen),
    fee: yuan(order.feeFen),
    total: yuan(order.amountFen + order.feeFen),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    expiresAt: order.expiresAt,
    serial: order.serial,
    cashier: order.cashier,
    qr: order.qr
      ? {
          paymentId: order.qr.paymentId,
          payload: order.qr.payload,
          expiresAt: order.qr.expiresAt,
          paidAt: order.qr.paidAt ?? null,
        }
      : null,
    reason: order.reason ? { ...order.reason } : null,
    refund: order.refund ? { ...order.refund } : null,
    transaction: txn
      ? {
          serial: txn.serial,
          state: txn.state,
          stateLabel: stateLabel(txn.state, def),
          terminal: txn.terminal,
          result: txn.result ?? null,
          details: detailsOf(txn, def),
        }
      : null,
  };
  return maskKnown(view, secretsOf(def, order.fields)) as OrderView;
}
