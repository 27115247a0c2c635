import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { DeviceHealth } from '../device.ts';
import type { Display, DisplayEvents } from './display.ts';
import { displayError, reasonOf } from './display-errors.ts';
import type { Frame } from './frame.ts';

/** `driver: none`: no sign is fitted. Always offline; every command fails with DEVICE_E_ABSENT. */
export class AbsentDisplay extends EventEmitter<DisplayEvents> implements Display {
  readonly kind = 'display' as const;
  private readonly since: number;

  constructor(
    readonly width: number,
    readonly height: number,
    clock: Clock,
  ) {
    super();
    this.since = clock.now();
  }

  health(): DeviceHealth {
    return {
      state: 'offline',
      since: this.since,
      driver: 'none',
      reason: reasonOf(displayError('notFitted')),
    };
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async reconnect(): Promise<void> {}

  lastFrame(): Frame | undefined {
    return undefined;
  }

  showFrame(): Promise<void> {
    return Promise.reject(displayError('notFitted'));
  }

  setBrightness(): Promise<void> {
    return Promise.reject(displayError('notFitted'));
  }

  clear(): Promise<void> {
    return Promise.reject(displayError('notFitted'));
  }
}
