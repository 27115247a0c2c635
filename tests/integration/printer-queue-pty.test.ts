import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NeedsReprint, PrintQueue } from '../../devices/printer/print-queue.ts';
import { JsonFilePrintQueueStore } from '../../devices/printer/queue-store.ts';
import type { UsblpPrinter } from '../../devices/printer/usblp-printer.ts';
import { REPRINT_MARK } from '../../src/receipts/layout.ts';
import { sampleReceipt } from '../../src/receipts/sample-receipt.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { receiptBytes } from '../unit/printer/helpers.ts';
import {
  type FakeEscposPrinter,
  healthState,
  type PtyPrinterRig,
  startPtyPrinterRig,
} from '../unit/printer/stand-ins.ts';

/**
 * End to end on a real tty (socat pty + fake ESC/POS printer): paper runs out in the middle of a
 * receipt, the print still "succeeds" for the transaction (queued, operator told), the queue is on
 * disk, and when a new roll is in, the reprint comes out with the reprint mark.
 */
let rig: PtyPrinterRig;
let dir: string;
let fake: FakeEscposPrinter;
let printer: UsblpPrinter;

beforeEach(async () => {
  rig = await startPtyPrinterRig('kiosk-queue-pty-');
  ({ dir, fake, printer } = rig);
});

afterEach(async () => {
  await rig.stop();
});

describe('print queue on the usblp driver', () => {
  it('queues a receipt cut short by paper-out and reprints it, marked, after a new roll', async () => {
    const store = new JsonFilePrintQueueStore(join(dir, 'printer-queue.json'));
    const queue = new PrintQueue({ printer, store, encode: (r) => receiptBytes(r) });
    const needs: NeedsReprint[] = [];
    queue.on('needs-reprint', (n) => needs.push(n));
    await printer.start();
    await healthState(printer, 'ok');
    await queue.start();

    fake.paperOutAt = fake.bytes().length + 2000;
    const r = sampleReceipt();
    expect(await queue.print(r)).toMatchObject({
      outcome: 'queued',
      partial: true,
      reason: { code: 'DEVICE_E_PAPER_OUT' },
    });
    expect(needs).toMatchObject([{ jobId: r.serial, serial: r.serial, partial: true }]);
    expect(await store.load()).toHaveLength(1);

    const ready = new Promise<number>((resolve) => queue.once('ready', (e) => resolve(e.pending)));
    const printedBefore = fake.bytes().length;
    fake.paperOutAt = undefined;
    fake.panel.paper = 'ok';
    expect(await ready).toBe(1);
    expect(await queue.reprint(r.serial)).toMatchObject({ outcome: 'printed', reprint: true });
    expect(await store.load()).toEqual([]);

    const reprinted = fake.bytes().subarray(printedBefore);
    const start = reprinted.indexOf(Buffer.from([0x1b, 0x40]));
    const text = printedText(decodeEscPos(reprinted.subarray(start), { partial: true }));
    expect(text).toContain(REPRINT_MARK);
    expect(text).toContain(r.serial);
    await queue.stop();
  });
});
