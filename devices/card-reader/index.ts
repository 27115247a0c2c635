import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { DeviceError, type DeviceHealth, offlineHealth } from '../device.ts';
import type { CardReader, CardReaderEvents, CardSession } from './card-reader.ts';
import type { CardReaderConfig } from './card-reader-config.ts';
import { SimCardReader } from './sim-card-reader.ts';
import { demoElectricityCard } from './virtual-electricity-card.ts';

export interface CardReaderDeps {
  clock: Clock;
  logger: Logger;
}

/**
 * Picks the card reader implementation from config. The PC/SC driver (and with it the native
 * `@pokusew/pcsclite` binding) is imported only when `driver` is `real`.
 */
export async function createCardReader(config: CardReaderConfig, deps: CardReaderDeps): Promise<CardReader> {
  switch (config.driver) {
    case 'sim': {
      const sim = new SimCardReader({ transmitTimeoutMs: config.transmitTimeoutMs }, { clock: deps.clock });
      if (config.simCard) sim.insertCard(demoElectricityCard(config.simCard));
      return sim;
    }
    case 'real': {
      const { PcscCardReader } = await import('./pcsc-card-reader.ts');
      return new PcscCardReader(config, {
        clock: deps.clock,
        logger: deps.logger.child({ device: 'card-reader' }),
      });
    }
    case 'none':
      return new NotFittedCardReader(deps.clock);
  }
}

const notFitted = () => new DeviceError('DEVICE_E_UNSUPPORTED', '本亭未配备读卡器', 'no card reader fitted');

/** `driver: none`: permanently offline, so the IC-card service reports itself unavailable. */
class NotFittedCardReader extends EventEmitter<CardReaderEvents> implements CardReader {
  readonly kind = 'card-reader' as const;
  private readonly state: DeviceHealth;
  constructor(clock: Clock) {
    super();
    const e = notFitted();
    this.state = offlineHealth(e, clock.now());
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async reconnect(): Promise<void> {}
  health(): DeviceHealth {
    return this.state;
  }
  readerName(): string | null {
    return null;
  }
  cardPresent(): boolean {
    return false;
  }
  async connect(): Promise<CardSession> {
    throw notFitted();
  }
}
