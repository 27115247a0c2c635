import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { DisplayConfig } from './display-config.ts';
import { LinkDisplay } from './link-display.ts';
import { openSerialLink } from './serial-link.ts';

/** The real serial LED controller at `config.serial.path` (docs/led-serial-protocol.md). */
export function createSerialDisplay(
  config: DisplayConfig,
  deps: { clock: Clock; logger: Logger },
): LinkDisplay {
  const s = config.serial;
  return new LinkDisplay({
    driver: 'serial',
    width: config.widthPx,
    height: config.heightPx,
    ackTimeoutMs: s.ackTimeoutMs,
    retries: s.retries,
    keepAliveMs: s.keepAliveMs,
    reconnect: config.reconnect,
    open: () => openSerialLink(s.path, s.baudRate),
    clock: deps.clock,
    logger: deps.logger,
  });
}
