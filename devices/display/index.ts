import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { AbsentDisplay } from './absent-display.ts';
import type { Display } from './display.ts';
import type { DisplayConfig } from './display-config.ts';
import { type BitmapFont, HexFont, layeredFont, loadUnifontHex, parseUnifontHex } from './font.ts';
import { UNIFONT_SUBSET_HEX } from './fonts/unifont-subset.ts';
import { LedSign } from './led-sign.ts';
import { SimDisplay } from './sim-display.ts';

export type { Display, DisplayEvents } from './display.ts';
export type { DisplayConfig } from './display-config.ts';
export type { Frame } from './frame.ts';
export type { LedSignEvents, ProofOfDisplay } from './led-sign.ts';
export { LedSign } from './led-sign.ts';
export { type Notice, noticeSchema, type Priority } from './notice.ts';
export type { EndReason, PublishResult, ScheduleItem } from './scheduler.ts';
export { SimDisplay } from './sim-display.ts';

export interface DisplayDeps {
  clock: Clock;
  logger: Logger;
}

/**
 * The sign device chosen by config: the simulator, a serial LED controller, a MAX7219 chain on SPI
 * or on a Firmata board, or an always-offline stand-in when none is fitted. Real drivers are
 * imported only when chosen, so `serialport`'s native binding, `spi-device` and johnny-five load
 * only where they are used.
 * Nothing is opened until `start()`.
 */
export async function createDisplay(config: DisplayConfig, deps: DisplayDeps): Promise<Display> {
  switch (config.driver) {
    case 'none':
      return new AbsentDisplay(config.widthPx, config.heightPx, deps.clock);
    case 'sim':
      return new SimDisplay(config, deps);
    case 'real':
      switch (config.transport) {
        case 'serial': {
          const { createSerialDisplay } = await import('./serial-display.ts');
          return createSerialDisplay(config, deps);
        }
        case 'max7219': {
          const { createMax7219Display } = await import('./max7219-factory.ts');
          return createMax7219Display(config, deps);
        }
        case 'firmata': {
          const { createFirmataDisplay } = await import('./firmata-factory.ts');
          return createFirmataDisplay(config, deps);
        }
      }
  }
}

/** The glyphs bundled in the repository (ASCII, default slogans, the kiosk's own messages). */
export function bundledFont(): BitmapFont {
  return new HexFont(parseUnifontHex(UNIFONT_SUBSET_HEX));
}

/**
 * Unifont from `config.font.unifontHexPath`, over the bundled subset. When the file cannot be read
 * the bundled subset alone is used (other characters become replacement boxes) and a warning logged.
 */
export async function loadDisplayFont(config: DisplayConfig, logger: Logger): Promise<BitmapFont> {
  const bundled = bundledFont();
  try {
    return layeredFont(await loadUnifontHex(config.font.unifontHexPath), bundled);
  } catch (e) {
    logger.warn(
      { err: (e as Error).message, path: config.font.unifontHexPath },
      'Unifont not readable; bundled glyphs only',
    );
    return bundled;
  }
}

/** The notice pipeline on top of a display; call `start()` after the display's `start()`. */
export async function createLedSign(
  display: Display,
  config: DisplayConfig,
  deps: DisplayDeps,
): Promise<LedSign> {
  const font = await loadDisplayFont(config, deps.logger);
  return new LedSign({ display, font, config, clock: deps.clock, logger: deps.logger });
}
