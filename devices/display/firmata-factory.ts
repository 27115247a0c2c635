import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { DisplayConfig } from './display-config.ts';
import { openFirmataBus } from './firmata-bus.ts';
import { geometryFor } from './max7219-codec.ts';
import { Max7219Display } from './max7219-display.ts';

/**
 * A MAX7219 chain on a Firmata board at `config.firmata.path`, sized by widthPx × heightPx: the
 * same codec and frames as the direct SPI driver, clocked out through johnny-five.
 */
export function createFirmataDisplay(
  config: DisplayConfig,
  deps: { clock: Clock; logger: Logger },
): Max7219Display {
  return new Max7219Display({
    driver: 'max7219-firmata',
    width: config.widthPx,
    height: config.heightPx,
    geometry: geometryFor(config.widthPx, config.heightPx, config.max7219.columnOrder),
    openBus: () => openFirmataBus(config.firmata),
    reconnect: config.reconnect,
    clock: deps.clock,
    logger: deps.logger,
  });
}
