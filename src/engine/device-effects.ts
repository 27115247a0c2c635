import type { DevicePort } from './ports.ts';

/**
 * Routes each device effect to the runner of its device (`effect.device`, e.g. `cardReader`). A
 * device without a runner answers `unknown`: the engine asks again later and never counts it as a
 * failure.
 */
export class DeviceEffects implements DevicePort {
  constructor(private readonly runners: Readonly<Record<string, DevicePort>>) {}

  run(...args: Parameters<DevicePort['run']>): ReturnType<DevicePort['run']> {
    const [effect] = args;
    const runner = this.runners[effect.device];
    if (!runner)
      return Promise.resolve({
        outcome: 'unknown',
        reason: {
          code: 'KIOSK_E_INTERNAL',
          zh: `没有设备“${effect.device}”的执行程序`,
          en: `no runner for device ${effect.device}`,
        },
      });
    return runner.run(...args);
  }
}
