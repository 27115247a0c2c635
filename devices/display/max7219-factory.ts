import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { DisplayConfig } from './display-config.ts';
import { geometryFor } from './max7219-codec.ts';
import { Max7219Display } from './max7219-display.ts';
import { openSpiDeviceBus } from './spi-bus.ts';

/** A MAX7219 chain on /dev/spidev<spiBus>.<spiDevice>, sized by widthPx × heightPx. */
export function createMax7219Display(
  config: DisplayConfig,
  deps: { clock: Clock; logger: Logger },
): Max7219Display {
  const m = config.max7219;
  return new Max7219Display({
    width: config.widthPx,
    height: config.heightPx,
    geometry: geometryFor(config.widthPx, config.heightPx, m.columnOrder),
    openBus: () => openSpiDeviceBus(m.spiBus, m.spiDevice, m.speedHz),
    reconnect: config.reconnect,
    clock: deps.clock,
    logger: deps.logger,
  });
}
