import type { CardReader } from '../../devices/card-reader/card-reader.ts';
import { createCardReader } from '../../devices/card-reader/index.ts';
import type { DeviceHealth } from '../../devices/device.ts';
import { createDisplay, createLedSign, type Display, type LedSign } from '../../devices/display/index.ts';
import type { Gpio } from '../../devices/gpio/gpio.ts';
import { createGpio } from '../../devices/gpio/index.ts';
import { createPrinter, createPrintQueue } from '../../devices/printer/index.ts';
import type { PrintQueue } from '../../devices/printer/print-queue.ts';
import type { Printer } from '../../devices/printer/printer.ts';
import type { KioskConfig } from '../config/schema.ts';
import { isWithinBusinessHours } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../platform/logger.ts';

export interface KioskDevices {
  display: Display;
  sign: LedSign;
  printer: Printer;
  printQueue: PrintQueue;
  cardReader: CardReader;
  gpio: Gpio;
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
  config: () => KioskConfig,
  deps: { clock: Clock; logger: Logger },
): Promise<KioskDevices> {
  const c = config();
  const log = (name: string) => deps.logger.child({ device: name });
  const display = await createDisplay(c.devices.display, { clock: deps.clock, logger: log('display') });
  const sign = await createLedSign(display, c.devices.display, { clock: deps.clock, logger: log('display') });
  const printer = await createPrinter(c.devices.printer, { clock: deps.clock, logger: log('printer') });
  const printQueue = createPrintQueue(c.devices.printer, printer, {
    dataDir: c.dataDir,
    clock: deps.clock,
    logger: log('printer'),
  });
  const cardReader = await createCardReader(c.devices.cardReader, {
    clock: deps.clock,
    logger: log('card-reader'),
  });
  const gpio = await createGpio(c.devices.gpio, {
    clock: deps.clock,
    logger: log('gpio'),
    isBusinessHours: (now) => isWithinBusinessHours(now, config().business.hours),
  });
  const all = { display, printer, cardReader, gpio } as const;
  for (const [name, d] of Object.entries(all)) {
    d.on('health', (h: DeviceHealth) =>
      log(name).info({ state: h.state, reason: h.reason }, 'device health'),
    );
  }
  await display.start();
  sign.start();
  await printer.start();
  await printQueue.start();
  await cardReader.start();
  await gpio.start();
  return {
    ...all,
    sign,
    printQueue,
    health: () => Object.fromEntries(Object.entries(all).map(([n, d]) => [n, d.health()])),
    stop: async () => {
      await gpio.stop();
      await cardReader.stop();
      await printQueue.stop();
      await printer.stop();
      sign.stop();
      await display.stop();
    },
  };
}
