import { KioskError } from '../core/errors.ts';
import type { ServiceDefinition, TxnRecord } from '../core/transaction/types.ts';
import { parseReceipt, type Receipt, type ReceiptLine } from '../receipts/receipt.ts';
import { maskFields, maskKnown, secretsOf } from './mask-txn.ts';
import { stateLabel } from './state-labels.ts';
import { yuan } from './txn-view.ts';

export const RECEIPT_TITLE = { zh: '便民服务缴费凭条', en: 'Payment receipt' } as const;

/** Input fields that are not printed as their own line (the amount has its own; the yes is implied). */
const NOT_PRINTED = new Set(['amount', 'confirm']);

export interface ReceiptOptions {
  stationId: string;
  stationName: string;
  /** A second copy (补打收据): printed with the reprint mark. */
  reprint: boolean;
  /** When the reprint is made, epoch ms. */
  at?: number;
  footer?: string[];
}

/**
 * The receipt of a final transaction as data (src/receipts lays it out): station, serial, time,
 * operator, the service's fields with their labels (masked), the service's own receipt lines, the
 * result, amount, fee and total. Validated by parseReceipt, which also refuses any unmasked number.
 * An open transaction has no receipt yet (KIOSK_E_ACTION_NOT_ALLOWED).
 */
export function receiptFor(txn: TxnRecord, def: ServiceDefinition, opts: ReceiptOptions): Receipt {
  if (!txn.terminal) {
    throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
      field: 'serial',
      zh: `流水 ${txn.serial} 尚未完成，暂无收据`,
      en: `transaction ${txn.serial} is not final yet; no receipt`,
    });
  }
  const secrets = secretsOf(def, txn.fields);
  const masked = maskFields(def, txn.fields);
  const lines: ReceiptLine[] = [];
  for (const [name, value] of Object.entries(masked)) {
    if (NOT_PRINTED.has(name)) continue;
    lines.push({ label: def.fieldMeta[name]?.zh ?? name, value: String(value) });
  }
  for (const l of def.receipt?.(txn) ?? []) {
    lines.push({ label: l.zh, value: String(maskKnown(l.value, secrets)) });
  }
  lines.push({ label: '状态', value: stateLabel(txn.state).zh });
  return parseReceipt({
    title: { ...RECEIPT_TITLE },
    stationId: opts.stationId,
    stationName: opts.stationName,
    serial: txn.serial,
    businessDate: txn.businessDate,
    time: txn.createdAt,
    operator: txn.operator,
    serviceName: def.title.zh,
    lines,
    amount: yuan(txn.amountFen),
    fee: yuan(txn.feeFen),
    total: yuan(txn.amountFen + txn.feeFen),
    reprint: opts.reprint,
    ...(opts.reprint && opts.at !== undefined ? { reprintedAt: opts.at } : {}),
    ...(opts.footer ? { footer: opts.footer } : {}),
  });
}
