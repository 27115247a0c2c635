import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrinterStatus } from '../../devices/printer/printer.ts';
import { PrintError } from '../../devices/printer/printer.ts';
import type { UsblpPrinter } from '../../devices/printer/usblp-printer.ts';
import { sampleReceipt } from '../../src/receipts/sample-receipt.ts';
import { receiptBytes } from '../unit/printer/helpers.ts';
import {
  FakeEscposPrinter,
  healthState,
  type PtyPrinterRig,
  type SocatPair,
  startPtyPrinterRig,
} from '../unit/printer/stand-ins.ts';

/**
 * The usblp driver with real-time status, against a real tty: `socat` links two ptys; the driver
 * opens one end as it would open /dev/usb/lp0 (read-write, non-blocking), and a fake ESC/POS
 * printer on the other end answers DLE EOT and GS r. Needs Debian `socat`.
 */
let rig: PtyPrinterRig;
let pair: SocatPair;
let fake: FakeEscposPrinter;
let printer: UsblpPrinter;

beforeEach(async () => {
  rig = await startPtyPrinterRig('kiosk-pty-');
  ({ pair, fake, printer } = rig);
});

afterEach(async () => {
  await rig.stop();
});

async function failure(promise: Promise<unknown>): Promise<PrintError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PrintError);
    return e as PrintError;
  }
  throw new Error('expected the print to fail');
}

describe('UsblpPrinter with ESC/POS real-time status on a pty', () => {
  it('reads paper and cover state with DLE EOT and follows changes', async () => {
    const seen: PrinterStatus[] = [];
    printer.on('status', (s) => seen.push(s));
    await printer.start();
    expect(await printer.status()).toMatchObject({ online: true, paper: 'ok', cover: 'closed' });
    expect(printer.health().state).toBe('ok');

    fake.panel.paper = 'low';
    await healthState(printer, 'degraded');
    expect(await printer.status()).toMatchObject({ paper: 'low' });

    fake.panel.coverOpen = true;
    await healthState(printer, 'offline', 'DEVICE_E_COVER_OPEN');
    fake.panel = { paper: 'out', coverOpen: false };
    await healthState(printer, 'offline', 'DEVICE_E_PAPER_OUT');
    fake.panel = { paper: 'ok', coverOpen: false };
    await healthState(printer, 'ok');
    expect(seen.map((s) => `${s.paper}/${s.cover}`)).toEqual([
      'ok/closed',
      'low/closed',
      'low/open',
      'out/closed',
      'ok/closed',
    ]);
  });

  it('prints a receipt and waits for the printer to confirm it (GS r answer)', async () => {
    await printer.start();
    const bytes = receiptBytes(sampleReceipt());
    await expect(printer.print(bytes, 'job-1')).resolves.toEqual({ jobId: 'job-1', bytes: bytes.length });
    expect(fake.bytes().indexOf(Buffer.from(bytes))).toBeGreaterThanOrEqual(0);
  });

  it('refuses a job before sending anything when the paper is out or the cover open', async () => {
    await printer.start();
    fake.panel = { paper: 'out', coverOpen: false };
    expect(await failure(printer.print(receiptBytes(sampleReceipt()), 'a'))).toMatchObject({
      code: 'DEVICE_E_PAPER_OUT',
      bytesWritten: 0,
    });
    fake.panel = { paper: 'ok', coverOpen: true };
    expect(await failure(printer.print(receiptBytes(sampleReceipt()), 'b'))).toMatchObject({
      code: 'DEVICE_E_COVER_OPEN',
      bytesWritten: 0,
    });
    expect(fake.bytes().includes(0x1b)).toBe(false);
  });

  it('detects paper running out mid-receipt', async () => {
    await printer.start();
    const bytes = receiptBytes(sampleReceipt());
    await printer.status();
    fake.paperOutAt = fake.bytes().length + 1500;
    const err = await failure(printer.print(bytes, 'mid'));
    expect(err).toMatchObject({
      code: 'DEVICE_E_PAPER_OUT',
      jobId: 'mid',
      bytesWritten: bytes.length,
      partial: true,
    });
    expect(printer.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_PAPER_OUT' } });
  });

  it('goes offline when the printer stops answering and recovers when it answers again', async () => {
    await printer.start();
    await healthState(printer, 'ok');
    fake.hung = true;
    await healthState(printer, 'offline', 'DEVICE_E_TIMEOUT');
    fake.hung = false;
    await healthState(printer, 'ok');
  });

  it('follows the tty going away and coming back (hot-plug)', async () => {
    await printer.start();
    await healthState(printer, 'ok');
    await fake.stop();
    await pair.stop();
    await healthState(printer, 'offline', 'DEVICE_E_DISCONNECTED');
    const err = await failure(printer.print(Uint8Array.of(0x1b, 0x40), 'gone'));
    expect(err.bytesWritten).toBe(0);

    await pair.start();
    fake = new FakeEscposPrinter(pair.b);
    await fake.start();
    await healthState(printer, 'ok');
    const bytes = receiptBytes(sampleReceipt());
    await printer.print(bytes, 'back');
    expect(fake.bytes().indexOf(Buffer.from(bytes))).toBeGreaterThanOrEqual(0);
  });
});
