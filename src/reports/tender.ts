import type { TxnRecord } from '../core/transaction/types.ts';

/**
 * How the customer paid the kiosk for a transaction: cash into the drawer, or a QR-code payment
 * that never passes through the drawer. A record written before tenders were recorded, or without
 * one, was paid in cash.
 */
export type Tender = 'cash' | 'qr';

export const TENDER_LABELS: Readonly<Record<Tender, { zh: string; en: string }>> = {
  cash: { zh: '现金', en: 'cash' },
  qr: { zh: '扫码', en: 'QR' },
};

/**
 * The tender of a transaction record: QR when its `tender` (or `data.tender`, which the journal
 * reads add from the paid order that started it) names a QR payment; a counter order is cash.
 */
export function tenderOf(txn: TxnRecord): Tender {
  const raw = (txn as { tender?: unknown }).tender ?? txn.data?.tender;
  const name =
    typeof raw === 'string'
      ? raw
      : typeof raw === 'object' && raw
        ? (raw as { kind?: unknown }).kind
        : undefined;
  return typeof name === 'string' && /qr/i.test(name) ? 'qr' : 'cash';
}
