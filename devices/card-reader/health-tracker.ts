import type { Clock } from '../../src/core/clock.ts';
import type { DeviceError, DeviceHealth, DeviceState } from '../device.ts';

/**
 * Holds a device's health and tells the owner when it changed, so the `health` event fires once
 * per real transition (not on every retry that fails the same way).
 */
export class HealthTracker {
  private current: DeviceHealth;

  constructor(
    private readonly driver: string,
    private readonly clock: Clock,
    private readonly onChange: (h: DeviceHealth) => void,
  ) {
    this.current = {
      state: 'offline',
      reason: { code: 'DEVICE_E_ABSENT', zh: '设备未启动', en: 'device not started' },
      since: clock.now(),
      driver,
    };
  }

  get(): DeviceHealth {
    return this.current;
  }

  ok(): void {
    this.set('ok');
  }

  /** Sets a non-ok state with the reason taken from a DeviceError. */
  fail(state: Exclude<DeviceState, 'ok'>, err: DeviceError): void {
    this.set(state, { code: err.code, zh: err.zh, en: err.en });
  }

  private set(state: DeviceState, reason?: DeviceHealth['reason']): void {
    const c = this.current;
    if (c.state === state && c.reason?.code === reason?.code && c.reason?.en === reason?.en) return;
    this.current = { state, since: this.clock.now(), driver: this.driver, ...(reason ? { reason } : {}) };
    this.onChange(this.current);
  }
}
