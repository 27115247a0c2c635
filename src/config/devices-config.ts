import { z } from 'zod';
import { cardReaderConfigSchema } from '../../devices/card-reader/card-reader-config.ts';
import { displayConfigSchema } from '../../devices/display/display-config.ts';
import { gpioConfigSchema } from '../../devices/gpio/gpio-config.ts';
import { printerConfigSchema } from '../../devices/printer/printer-config.ts';

/** Each device kind owns its config section, next to its driver. */
export const devicesConfigSchema = z.strictObject({
  display: displayConfigSchema,
  cardReader: cardReaderConfigSchema,
  printer: printerConfigSchema,
  gpio: gpioConfigSchema,
});
