import { KioskError } from '../core/errors.ts';
import type { ServiceDefinition, TxnRecord } from '../core/transaction/types.ts';
import { parseReceipt, type Receipt, type ReceiptLine } from '../receipts/receipt.ts';
import { maskFields, maskKnown, secretsOf } from './mask-txn.ts';
import { stateLabel } from './state-labels.ts';
import { yuan } from './txn-view.ts';

/** Input fields that are not printed as their own line (the amount has its own; the yes is implied). */
const NOT_PRINTED = new Set(['amount', 'confirm']);

export interface ReceiptStation {
  stationId: string;
  stationName: string;
}

export interface ReceiptOptions extends ReceiptStation {
  /** A second copy (补打收据): printed with the reprint mark. */
  reprint?: boolean;
  /** When the reprint is made, epoch ms. */
  at?: number;
  footer?: string[];
}

/**
 * The one receipt of a final transaction, used for the printed receipt, the reprint, the API and
 * the CLI: the service's title (a reversal titled as such), station, serial, the time of the
 * transaction (of the reversal for a reversed one), operator, the service's fields with their
 * labels (masked by their kind), the service's own lines, the biller's reference, the status, and
 * amount, fee and total. Validated by parseReceipt, which also refuses any unmasked number. An open
 * transaction has no receipt yet (KIOSK_E_ACTION_NOT_ALLOWED). Pure.
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
  const lines: ReceiptLine[] = [];
  for (const [name, value] of Object.entries(maskFields(def, txn.fields))) {
    if (NOT_PRINTED.has(name)) continue;
    lines.push({ label: def.fieldMeta[name]?.zh ?? name, value: String(value) });
  }
  for (const l of def.receipt?.(txn) ?? []) {
    lines.push({ label: l.zh, value: String(maskKnown(l.value, secrets)) });
  }
  if (typeof txn.data.billerRef === 'string')
    lines.push({ label: '业务参考号', value: String(maskKnown(txn.data.billerRef, secrets)) });
  const reversed = txn.result === 'reversed';
  lines.push({ label: '状态', value: reversed ? '已撤销，款项已退回' : stateLabel(txn.state, def).zh });
  const reprint = opts.reprint ?? false;
  return parseReceipt({
    title: reversed ? { zh: `${def.title.zh}撤销`, en: `${def.title.en} reversal` } : { ...def.title },
    stationId: opts.stationId,
    stationName: opts.stationName,
    serial: txn.serial,
    businessDate: txn.businessDate,
    time: reversed ? txn.updatedAt : txn.createdAt,
    operator: txn.operator,
    serviceName: def.title.zh,
    lines,
    amount: yuan(txn.amountFen),
    fee: yuan(txn.feeFen),
    total: yuan(txn.amountFen + txn.feeFen),
    reprint,
    ...(reprint && opts.at !== undefined ? { reprintedAt: opts.at } : {}),
    ...(opts.footer ? { footer: opts.footer } : {}),
  });
}
