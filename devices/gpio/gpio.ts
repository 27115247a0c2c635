import type { Device, DeviceEvents } from '../device.ts';

/**
 * The kiosk's GPIO signals, named by meaning rather than pin. Inputs are debounced; every event
 * carries the epoch-ms time of the (debounced) change.
 *
 * Health: `ok` when every configured line is held, `degraded` when some are missing (e.g. only the
 * paper sensor failed to open), `offline` when none could be opened. Missing lines are retried.
 */
export interface GpioEvents extends DeviceEvents {
  door: [{ open: boolean; at: number }];
  /**
   * Networked alarm (联网报警): the door opened outside business hours, or was found open outside
   * business hours when the lines were first read (`atStart`).
   */
  alarm: [{ reason: 'door-opened-outside-hours'; at: number; atStart: boolean }];
  /** Mains lost (UPS on battery): stop taking transactions, flush, shut down cleanly. */
  'power-fail': [{ at: number }];
  'power-restored': [{ at: number }];
  'paper-low': [{ low: boolean; at: number }];
}

/** `on`/`off`, or blinking with the given on and off times (ms). */
export type LightPattern = 'off' | 'on' | { blink: { onMs: number; offMs: number } };

/** `count` beeps of `onMs`, separated by `offMs`. */
export interface BeepPattern {
  count: number;
  onMs: number;
  offMs: number;
}

export interface Gpio extends Device<GpioEvents> {
  readonly kind: 'gpio';
  /** Debounced door state; null when no door switch is fitted or it cannot be read. */
  doorOpen(): boolean | null;
  /** Debounced power-fail state; false when no signal is fitted. */
  powerFailed(): boolean;
  /** Debounced paper-low state; null when no sensor is fitted. */
  paperLow(): boolean | null;
  /** Sets the status light pattern; replaces the previous one. No-op when no light is fitted. */
  setStatusLight(pattern: LightPattern): void;
  /** Sounds the buzzer; a new call cuts the previous pattern short. Resolves when it is done. */
  beep(pattern: BeepPattern): Promise<void>;
}

/** Passed in by the app so the device needs no knowledge of the business-hours config. */
export type BusinessHours = (now: number) => boolean;
