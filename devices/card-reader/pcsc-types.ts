import type { EventEmitter } from 'node:events';

/**
 * The part of `@pokusew/pcsclite` the driver uses, typed locally so the driver can be handed either
 * the real module (lazy-imported) or a test double with the same behaviour.
 */
export interface PcscStatus {
  state: number;
  atr?: Buffer;
}

type Cb<T> = (err: Error | null | undefined, value: T) => void;

export interface PcscReaderHandle extends EventEmitter {
  readonly name: string;
  readonly connected: boolean;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  /** Answers with no protocol and no error, without connecting, when `connected` is already true. */
  connect(options: { share_mode?: number; protocol?: number }, cb: Cb<number | undefined>): void;
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: Cb<Buffer>): void;
  /** Stops the reader's status thread; every reader must be closed before the context. */
  close(): void;
}

export interface PcscContext extends EventEmitter {
  close(): void;
}

/** The module's default export: creates a context and starts watching readers. */
export type PcscFactory = () => PcscContext;

/** Lazy import of the native binding, so it loads only where the real driver runs. */
export async function importPcsclite(): Promise<PcscFactory> {
  const mod = (await import('@pokusew/pcsclite')) as unknown as { default: PcscFactory };
  return mod.default;
}
