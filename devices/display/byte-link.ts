import type { EventEmitter } from 'node:events';

export interface ByteLinkEvents {
  data: [Buffer];
  /** The link is gone (unplugged, closed); the error says why, undefined after close(). */
  close: [Error | undefined];
}

/** An open byte stream to a sign controller: a serial port, or an in-memory pipe in the simulator. */
export interface ByteLink extends EventEmitter<ByteLinkEvents> {
  /** Resolves once the bytes have been handed to the OS (drained); rejects when the link failed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes the link; emits `close` once. Safe to call twice. */
  close(): Promise<void>;
}

/** Opens a fresh link; rejects with a DeviceError when the device is absent or busy. */
export type LinkOpener = () => Promise<ByteLink>;
