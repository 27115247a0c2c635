import { isAbsolute, resolve } from 'node:path';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { layoutReceipt } from '../../src/receipts/layout.ts';
import type { Receipt } from '../../src/receipts/receipt.ts';
import { encodeEscPos } from '../../src/receipts/render.ts';
import { NonePrinter } from './none-printer.ts';
import { PrintQueue } from './print-queue.ts';
import type { Printer } from './printer.ts';
import type { PrinterConfig } from './printer-config.ts';
import { JsonFilePrintQueueStore, type PrintQueueStore } from './queue-store.ts';
import { SimPrinter } from './sim-printer.ts';

export interface PrinterDeps {
  clock?: Clock;
  logger?: Logger;
}

/**
 * The printer the config asks for. The usblp driver is imported only for `real`, so a simulated
 * kiosk never loads it. Nothing is opened here: call `start()`.
 */
export async function createPrinter(config: PrinterConfig, deps: PrinterDeps = {}): Promise<Printer> {
  switch (config.driver) {
    case 'sim':
      return new SimPrinter({ paperWidth: config.paperWidth }, deps);
    case 'none':
      return new NonePrinter(config.paperWidth, deps.clock);
    case 'real': {
      const { UsblpPrinter } = await import('./usblp-printer.ts');
      return new UsblpPrinter(
        {
          device: config.device,
          paperWidth: config.paperWidth,
          realtimeStatus: config.realtimeStatus,
          statusPollMs: config.statusPollMs,
          statusTimeoutMs: config.statusTimeoutMs,
          stallTimeoutMs: config.stallTimeoutMs,
        },
        deps,
      );
    }
  }
}

/** Receipt → ESC/POS bytes for this printer's paper width, command set and encoding. */
export function receiptEncoder(config: PrinterConfig): (receipt: Receipt) => Uint8Array {
  return (receipt) =>
    encodeEscPos(layoutReceipt(receipt, config.paperWidth), {
      paperWidth: config.paperWidth,
      commandSet: config.commandSet,
      encoding: config.encoding,
      cut: config.cut,
    });
}

export interface PrintQueueFactoryDeps extends PrinterDeps {
  /** The kiosk's data folder; `queueFile` is resolved against it. */
  dataDir: string;
  /** Another store (e.g. in the journal's LevelDB) instead of the JSON file. */
  store?: PrintQueueStore;
}

export function createPrintQueue(
  config: PrinterConfig,
  printer: Printer,
  deps: PrintQueueFactoryDeps,
): PrintQueue {
  const file = isAbsolute(config.queueFile) ? config.queueFile : resolve(deps.dataDir, config.queueFile);
  return new PrintQueue({
    printer,
    store: deps.store ?? new JsonFilePrintQueueStore(file),
    encode: receiptEncoder(config),
    autoReprint: config.autoReprint,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
