import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrinter, createPrintQueue, receiptEncoder } from '../../../devices/printer/index.ts';
import { NonePrinter } from '../../../devices/printer/none-printer.ts';
import { type PrinterConfig, printerConfigSchema } from '../../../devices/printer/printer-config.ts';
import { SimPrinter } from '../../../devices/printer/sim-printer.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { sampleReceipt } from '../../../src/receipts/sample-receipt.ts';
import { decodeEscPos } from '../../support/escpos-decoder.ts';

async function defaults(): Promise<PrinterConfig> {
  return (await loadConfig({ file: undefined, cwd: tmpdir() })).config.devices.printer;
}

describe('printer config and factory', () => {
  it('ships defaults that validate: simulator, /dev/usb/lp0, 58 mm', async () => {
    const c = await defaults();
    expect(c).toMatchObject({ driver: 'sim', device: '/dev/usb/lp0', paperWidth: 58, commandSet: 'escpos' });
    expect(printerConfigSchema.safeParse({ ...c, paperWidth: 76 }).success).toBe(false);
    expect(printerConfigSchema.safeParse({ ...c, colour: true }).success).toBe(false);
  });

  it('builds the simulator, the not-fitted printer and (lazily) the usblp driver', async () => {
    const c = await defaults();
    expect(await createPrinter(c)).toBeInstanceOf(SimPrinter);
    const none = await createPrinter({ ...c, driver: 'none' });
    expect(none).toBeInstanceOf(NonePrinter);
    expect(none.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_ABSENT' } });

    const dir = await mkdtemp(join(tmpdir(), 'kiosk-factory-'));
    try {
      const real = await createPrinter({ ...c, driver: 'real', device: join(dir, 'lp9'), paperWidth: 80 });
      expect(real.constructor.name).toBe('UsblpPrinter');
      expect(real.paperWidth).toBe(80);
      await real.start();
      expect(real.health()).toMatchObject({
        state: 'offline',
        driver: 'usblp',
        reason: { code: 'DEVICE_E_ABSENT' },
      });
      await real.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('encodes receipts as configured', async () => {
    const c = await defaults();
    const generic = decodeEscPos(
      receiptEncoder({ ...c, commandSet: 'generic', cut: false })(sampleReceipt()),
    );
    expect(generic.ops).toContain('GS v 0');
    expect(generic.cuts).toBe(0);
    const escpos = decodeEscPos(receiptEncoder(c)(sampleReceipt()));
    expect(escpos.ops).toContain('GS 8 L');
    expect(escpos.cuts).toBe(1);
  });

  it('keeps the print queue in dataDir/queueFile', async () => {
    const c = await defaults();
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-factory-'));
    try {
      const printer = await createPrinter({ ...c, driver: 'none' });
      const queue = createPrintQueue(c, printer, { dataDir: dir });
      await queue.start();
      expect(await queue.print(sampleReceipt())).toMatchObject({ outcome: 'queued' });
      const saved = JSON.parse(await readFile(join(dir, c.queueFile), 'utf8')) as { pending: unknown[] };
      expect(saved.pending).toHaveLength(1);
      await queue.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
