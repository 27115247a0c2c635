import { type Device, DeviceError, type DeviceEvents, type Reconnectable } from '../device.ts';
import type { CommandApdu, ResponseApdu } from './apdu.ts';

/**
 * A contact smart-card reader (PC/SC or simulated). The reader watches one reader slot, chosen by
 * name from config; it reports the reader coming and going (hot-plug) and cards being inserted and
 * removed, and lends out one exclusive session at a time for APDU exchange.
 *
 * Health: `ok` with a reader attached, `offline` without one (or without the PC/SC service).
 * A missing card is not a health problem.
 */
export interface CardReaderEvents extends DeviceEvents {
  'reader-attached': [{ reader: string }];
  'reader-detached': [{ reader: string }];
  /** A card is present and powered; `atr` is its Answer-To-Reset. */
  'card-inserted': [{ reader: string; atr: Uint8Array }];
  'card-removed': [{ reader: string }];
}

/**
 * `reconnect()` refuses with DEVICE_E_BUSY while a card session is open: closing the reader then
 * would leave a card write's outcome unknown.
 */
export interface CardReader extends Device<CardReaderEvents>, Reconnectable {
  readonly kind: 'card-reader';
  /** Name of the reader slot in use, or null while none is attached. */
  readerName(): string | null;
  /** True while a card sits in the attached reader. */
  cardPresent(): boolean;
  /**
   * Opens an exclusive session with the card now in the reader.
   * Rejects with DeviceError DEVICE_E_ABSENT (no reader), DEVICE_E_NO_CARD (no card),
   * DEVICE_E_BUSY (a session is already open) or DEVICE_E_WRONG_CARD (card does not answer ISO 7816).
   */
  connect(): Promise<CardSession>;
}

export interface TransmitOptions {
  /** Overrides the reader's configured per-APDU timeout (ms). */
  timeoutMs?: number;
}

/**
 * One exclusive connection to one card. It dies when the card is removed: every later call rejects
 * with DEVICE_E_CARD_REMOVED.
 */
export interface CardSession {
  /** Answer-To-Reset of the connected card. */
  readonly atr: Uint8Array;
  /**
   * Sends one C-APDU and resolves with the R-APDU (any status word; interpreting it is the
   * application's job). Rejects with DEVICE_E_CARD_REMOVED when the card went away before a complete
   * answer arrived (the command may or may not have been executed by the card), DEVICE_E_TIMEOUT
   * when no answer arrived within the timeout (outcome likewise unknown), DEVICE_E_DISCONNECTED when
   * the reader went away, DEVICE_E_IO / DEVICE_E_PROTOCOL otherwise.
   */
  transmit(command: CommandApdu, opts?: TransmitOptions): Promise<ResponseApdu>;
  /** Ends the session, leaving the card powered in the reader. Never rejects. */
  close(): Promise<void>;
}

/** A reader that lends out its one session already; also why it cannot be reconnected now. */
export function busyReader(): DeviceError {
  return new DeviceError('DEVICE_E_BUSY', '读卡器正忙', 'a card session is already open');
}
