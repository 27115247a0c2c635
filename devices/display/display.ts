import type { Device, DeviceError, DeviceEvents, Reconnectable } from '../device.ts';
import type { Frame } from './frame.ts';

export interface DisplayEvents extends DeviceEvents {
  /** A frame the sign confirmed it now shows (after the controller's ACK where there is one). */
  frame: [Frame];
  /** The brightness the sign confirmed, in percent. */
  brightness: [number];
}

/**
 * The roof LED sign as a device: a panel of `width`×`height` single-colour LEDs.
 * `showFrame`, `setBrightness` and `clear` resolve once the sign has taken the command and reject
 * with a DeviceError otherwise (DEVICE_E_DISCONNECTED/ABSENT while it is away, DEVICE_E_TIMEOUT or
 * DEVICE_E_PROTOCOL when it does not acknowledge, DEVICE_E_UNSUPPORTED for a frame of the wrong
 * size). Failures never crash the kiosk: health reports them and the driver reconnects by itself.
 */
export interface Display extends Device<DisplayEvents>, Reconnectable {
  readonly kind: 'display';
  readonly width: number;
  readonly height: number;
  showFrame(frame: Frame): Promise<void>;
  /** 0–100 %; 0 switches the LEDs off without losing the frame. */
  setBrightness(percent: number): Promise<void>;
  clear(): Promise<void>;
  /** The last frame the sign confirmed, if any. */
  lastFrame(): Frame | undefined;
}

export type { DeviceError };
