import { maskValue } from '../core/mask.ts';
import { Money } from '../core/money.ts';
import type { ServiceDefinition, TxnRecord } from '../core/transaction/types.ts';
import type { Receipt, ReceiptLine } from '../receipts/receipt.ts';

/** Input fields that are not printed as lines (the amount has its own block; confirmations are not data). */
const NOT_PRINTED = new Set(['amount', 'confirm']);

export interface ReceiptStation {
  stationId: string;
  stationName: string;
}

/**
 * The receipt of a transaction, from its service's one definition: every input field with its
 * Chinese label (personal numbers masked by the field's `sensitive` kind), then the service's own
 * lines, the amounts, and a reversal title when the transaction was reversed. Pure.
 */
export function receiptForTxn(
  def: ServiceDefinition,
  txn: TxnRecord,
  station: ReceiptStation,
  opts: { reprint?: boolean; reprintedAt?: number } = {},
): Receipt {
  const lines: ReceiptLine[] = [];
  for (const [key, value] of Object.entries(txn.fields)) {
    if (NOT_PRINTED.has(key)) continue;
    const meta = def.fieldMeta[key];
    lines.push({ label: meta?.zh ?? key, value: meta?.sensitive ? maskValue(meta.sensitive, value) : value });
  }
  for (const l of def.receipt?.(txn) ?? []) lines.push({ label: l.zh, value: l.value });
  if (typeof txn.data.billerRef === 'string') lines.push({ label: '业务参考号', value: txn.data.billerRef });
  const reversed = txn.result === 'reversed';
  if (reversed) lines.push({ label: '状态', value: '已撤销，款项已退回' });
  const amount = Money.fromFen(txn.amountFen);
  const fee = Money.fromFen(txn.feeFen);
  return {
    title: reversed ? { zh: `${def.title.zh}撤销`, en: `${def.title.en} reversal` } : def.title,
    stationId: station.stationId,
    stationName: station.stationName,
    serial: txn.serial,
    businessDate: txn.businessDate,
    time: txn.updatedAt,
    operator: txn.operator,
    serviceName: def.title.zh,
    lines,
    amount: amount.toString(),
    fee: fee.toString(),
    total: amount.add(fee).toString(),
    reprint: opts.reprint ?? false,
    ...(opts.reprintedAt !== undefined ? { reprintedAt: opts.reprintedAt } : {}),
  };
}
