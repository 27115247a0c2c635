import { toLocal } from '../core/business-day.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import type { ServiceDefinition } from '../core/transaction/types.ts';
import { parseReceipt, type Receipt, type ReceiptLine } from '../receipts/receipt.ts';
import { maskFields } from './mask-txn.ts';
import { yuan } from './txn-view.ts';

export interface SlipStation {
  stationId: string;
  stationName: string;
}

const NOT_PRINTED = new Set(['amount', 'confirm']);

function hhmm(epochMs: number): string {
  const t = toLocal(epochMs).hhmmss;
  return `${t.slice(0, 2)}:${t.slice(2, 4)}`;
}

function base(
  order: OrderRecord,
  def: ServiceDefinition,
  station: SlipStation,
  title: { zh: string; en: string },
  lines: ReceiptLine[],
  time: number,
): Receipt {
  const fields: ReceiptLine[] = Object.entries(maskFields(def, order.fields))
    .filter(([k]) => !NOT_PRINTED.has(k))
    .map(([k, v]) => ({ label: def.fieldMeta[k]?.zh ?? k, value: String(v) }));
  return parseReceipt({
    title,
    stationId: station.stationId,
    stationName: station.stationName,
    serial: order.id,
    businessDate: order.businessDate,
    time,
    operator: order.cashier,
    serviceName: def.title.zh,
    lines: [{ label: '订单号', value: order.number }, ...fields, ...lines],
    amount: yuan(order.amountFen),
    fee: yuan(order.feeFen),
    total: yuan(order.amountFen + order.feeFen),
    reprint: false,
  });
}

/**
 * The slip a counter order prints for the customer: the order number to tell the operator, what
 * it is for (masked) and the total, valid until it expires. It is not a receipt: nothing is paid.
 */
export function orderSlip(order: OrderRecord, def: ServiceDefinition, station: SlipStation): Receipt {
  return base(
    order,
    def,
    station,
    { zh: '缴费订单（非收据）', en: 'Order slip (not a receipt)' },
    [
      { label: '交费方式', value: '请到窗口交费' },
      { label: '有效至', value: hhmm(order.expiresAt) },
    ],
    order.createdAt,
  );
}

/** The slip of a refunded QR payment: what was paid, why it was refunded, the refund reference. */
export function refundSlip(order: OrderRecord, def: ServiceDefinition, station: SlipStation): Receipt {
  const lines: ReceiptLine[] = [{ label: '状态', value: '已原路退款' }];
  if (order.reason) lines.push({ label: '原因', value: order.reason.zh.slice(0, 80) });
  if (order.serial) lines.push({ label: '流水号', value: order.serial });
  if (order.refund?.ref) lines.push({ label: '退款参考号', value: order.refund.ref });
  return base(
    order,
    def,
    station,
    { zh: '扫码支付退款凭条', en: 'QR payment refund' },
    lines,
    order.refund?.at ?? order.updatedAt,
  );
}
