import type { DeviceHealth } from '../../devices/device.ts';
import { createDisplay, createLedSign, type Display, type LedSign } from '../../devices/display/index.ts';
import { createPrinter, createPrintQueue } from '../../devices/printer/index.ts';
import type { PrintQueue } from '../../devices/printer/print-queue.ts';
import type { Printer } from '../../devices/printer/printer.ts';
import type { KioskConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../platform/logger.ts';

export interface KioskDevices {
  display: Display;
  sign: LedSign;
  printer: Printer;
  printQueue: PrintQueue;
  /** Every device's health, by name, for telemetry and per-service availability. */
  health(): Record<string, DeviceHealth>;
  stop(): Promise<void>;
}

/**
 * Creates and starts the devices the configuration names (simulators by default). A device that is
 * absent or fails does not stop the kiosk: it reports `offline` with a reason and recovers by
 * itself; services that need it become unavailable, the others carry on.
 */
export async function startDevices(
  config: KioskConfig,
  deps: { clock: Clock; logger: Logger },
): Promise<KioskDevices> {
  const log = (name: string) => deps.logger.child({ device: name });
  const display = await createDisplay(config.devices.display, { clock: deps.clock, logger: log('display') });
  const sign = await createLedSign(display, config.devices.display, {
    clock: deps.clock,
    logger: log('display'),
  });
  const printer = await createPrinter(config.devices.printer, { clock: deps.clock, logger: log('printer') });
  const printQueue = createPrintQueue(config.devices.printer, printer, {
    dataDir: config.dataDir,
    clock: deps.clock,
    logger: log('printer'),
  });
  for (const [name, d] of [
    ['display', display],
    ['printer', printer],
  ] as const) {
    d.on('health', (h: DeviceHealth) =>
      log(name).info({ state: h.state, reason: h.reason }, 'device health'),
    );
  }
  await display.start();
  sign.start();
  await printer.start();
  await printQueue.start();
  return {
    display,
    sign,
    printer,
    printQueue,
    health: () => ({ display: display.health(), printer: printer.health() }),
    stop: async () => {
      await printQueue.stop();
      await printer.stop();
      sign.stop();
      await display.stop();
    },
  };
}
