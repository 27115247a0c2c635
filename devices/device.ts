import type { EventEmitter } from 'node:events';

/**
 * The contract every device shares. Constructors only store collaborators; `start()` opens the
 * device (and keeps retrying in the background when it is absent, for hot-plug), `stop()` closes
 * it. A device never throws from `start()` because the hardware is missing: it reports `offline`
 * with a reason and recovers by itself when the hardware comes back.
 */
export type DeviceState = 'ok' | 'degraded' | 'offline';

export interface DeviceHealth {
  state: DeviceState;
  /** Why the device is not ok, bilingual; absent when ok. */
  reason?: { code: DeviceErrorCode; zh: string; en: string };
  /** Epoch ms of the last state change. */
  since: number;
  /** Driver name, e.g. `sim`, `serial`, `pcsc`, `usblp`, `libgpiod`. */
  driver: string;
}

export type DeviceErrorCode =
  | 'DEVICE_E_ABSENT' // no such device node / reader / chip
  | 'DEVICE_E_DISCONNECTED' // was there, went away
  | 'DEVICE_E_TIMEOUT'
  | 'DEVICE_E_IO'
  | 'DEVICE_E_PROTOCOL' // bad frame, bad checksum, NAK
  | 'DEVICE_E_NO_CARD'
  | 'DEVICE_E_CARD_REMOVED' // removed during an operation: outcome unknown
  | 'DEVICE_E_WRONG_CARD'
  | 'DEVICE_E_CARD_WRITE' // card answered with an error status
  | 'DEVICE_E_PAPER_OUT'
  | 'DEVICE_E_PAPER_LOW' // still printing, the roll is nearly used up
  | 'DEVICE_E_COVER_OPEN'
  | 'DEVICE_E_BUSY'
  | 'DEVICE_E_UNSUPPORTED';

export class DeviceError extends Error {
  constructor(
    readonly code: DeviceErrorCode,
    readonly zh: string,
    readonly en: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${zh} / ${en}`, options);
    this.name = 'DeviceError';
  }
}

/** Health of a device that is not fitted, or whose driver cannot load: offline, with the reason. */
export function offlineHealth(err: DeviceError, since: number, driver = 'none'): DeviceHealth {
  return { state: 'offline', reason: { code: err.code, zh: err.zh, en: err.en }, since, driver };
}

/**
 * A device the operator can close and open again at once (printer, card reader, LED sign), e.g.
 * after replugging it, instead of waiting for the driver's next retry. `reconnect()` resolves once
 * the first attempt to open it again is over; health says how it went. A device that is not fitted
 * stays as it is.
 */
export interface Reconnectable {
  reconnect(): Promise<void>;
}

export interface DeviceEvents {
  health: [DeviceHealth];
}

export interface Device<E extends Record<keyof E, unknown[]> = DeviceEvents>
  extends EventEmitter<E & DeviceEvents> {
  readonly kind: 'display' | 'card-reader' | 'printer' | 'gpio';
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): DeviceHealth;
}
