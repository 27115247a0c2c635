import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { DeviceError, type DeviceHealth, offlineHealth } from '../device.ts';
import type { BeepPattern, BusinessHours, Gpio, GpioEvents, LightPattern } from './gpio.ts';
import type { GpioConfig } from './gpio-config.ts';
import type { GpioDriver } from './gpio-driver.ts';
import { KioskGpio } from './kiosk-gpio.ts';
import { SimGpio } from './sim-gpio.ts';

export interface GpioDeps {
  clock: Clock;
  logger: Logger;
  /** Whether the kiosk is open at `now` (epoch ms); decides when an opened door raises the alarm. */
  isBusinessHours: BusinessHours;
}

/**
 * Picks the GPIO implementation from config. The native backends (`node-libgpiod`, `onoff`) are
 * imported only for `driver: real`, and only the one configured. A backend that cannot be loaded
 * gives a device that reports itself offline with the reason, rather than an exception.
 */
export async function createGpio(config: GpioConfig, deps: GpioDeps): Promise<Gpio> {
  const logger = deps.logger.child({ device: 'gpio' });
  if (config.driver === 'none') return new NotFittedGpio(deps.clock);
  if (config.driver === 'sim') return new SimGpio(config, { ...deps, logger });
  let driver: GpioDriver;
  try {
    driver = await loadBackend(config.backend);
  } catch (e) {
    logger.error({ err: e, backend: config.backend }, 'gpio: cannot load backend');
    return new NotFittedGpio(
      deps.clock,
      new DeviceError('DEVICE_E_UNSUPPORTED', 'GPIO 组件未安装', `cannot load ${config.backend}`, {
        cause: e,
      }),
    );
  }
  if (config.backend === 'onoff') {
    const biased = Object.entries(config.inputs).filter(([, v]) => v && v.bias !== 'as-is');
    if (biased.length > 0) {
      logger.warn({ inputs: biased.map(([k]) => k) }, 'gpio: onoff cannot set bias; set pulls in config.txt');
    }
  }
  return new KioskGpio(config, { ...deps, logger, driver });
}

async function loadBackend(backend: GpioConfig['backend']): Promise<GpioDriver> {
  if (backend === 'libgpiod') {
    const { importLibgpiod, LibgpiodDriver } = await import('./libgpiod-driver.ts');
    return new LibgpiodDriver(await importLibgpiod());
  }
  const { importOnoff, OnoffDriver } = await import('./onoff-driver.ts');
  return new OnoffDriver(await importOnoff());
}

/** `driver: none` (or a backend that cannot load): permanently offline, all signals unknown. */
class NotFittedGpio extends EventEmitter<GpioEvents> implements Gpio {
  readonly kind = 'gpio' as const;
  private readonly state: DeviceHealth;
  constructor(clock: Clock, err = new DeviceError('DEVICE_E_UNSUPPORTED', '未接 GPIO', 'no GPIO fitted')) {
    super();
    this.state = offlineHealth(err, clock.now());
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  health(): DeviceHealth {
    return this.state;
  }
  doorOpen(): boolean | null {
    return null;
  }
  powerFailed(): boolean {
    return false;
  }
  paperLow(): boolean | null {
    return null;
  }
  setStatusLight(_p: LightPattern): void {}
  async beep(_p: BeepPattern): Promise<void> {}
}
