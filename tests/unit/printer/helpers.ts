import { layoutReceipt } from '../../../src/receipts/layout.ts';
import type { Receipt } from '../../../src/receipts/receipt.ts';
import { encodeEscPos } from '../../../src/receipts/render.ts';

/** The receipt's ESC/POS bytes at 58 mm, as the kiosk would send them. */
export function receiptBytes(receipt: Receipt, paperWidth: 58 | 80 = 58): Uint8Array {
  return encodeEscPos(layoutReceipt(receipt, paperWidth), {
    paperWidth,
    commandSet: 'escpos',
    encoding: 'cp936',
    cut: true,
  });
}
