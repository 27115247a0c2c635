import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import type { ByteLink, ByteLinkEvents } from './byte-link.ts';
import { fromNodeError } from './display-errors.ts';

/**
 * A ByteLink over a serial port (serialport 13). Loaded only when a real serial sign is configured,
 * so the native binding is never touched by the simulator. A port that disappears (USB adapter
 * unplugged, pty closed) emits `close` with the error; the display then re-opens it.
 */
export class SerialPortLink extends EventEmitter<ByteLinkEvents> implements ByteLink {
  private done = false;

  constructor(private readonly port: SerialPort) {
    super();
  }

  attach(): void {
    this.port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    this.port.on('close', (err?: Error | null) => this.finish(err ?? undefined));
    this.port.on('error', (err: Error) => {
      if (!this.port.isOpen) this.finish(err);
      else this.port.close(() => this.finish(err));
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.done || !this.port.isOpen) {
        reject(fromNodeError(new Error('port closed')));
        return;
      }
      this.port.write(Buffer.from(bytes), (err) => {
        if (err) reject(fromNodeError(err));
        else this.port.drain((e) => (e ? reject(fromNodeError(e)) : resolve()));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.port.isOpen) {
        this.finish(undefined);
        resolve();
        return;
      }
      this.port.close(() => {
        this.finish(undefined);
        resolve();
      });
    });
  }

  private finish(err: Error | undefined): void {
    if (this.done) return;
    this.done = true;
    this.emit('close', err);
  }
}

/** Opens `path` at `baudRate` (8N1, exclusive lock); rejects with a DeviceError (ABSENT/BUSY/IO). */
export async function openSerialLink(path: string, baudRate: number): Promise<ByteLink> {
  const port = new SerialPort({ path, baudRate, autoOpen: false, lock: true });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(fromNodeError(err)) : resolve())),
  );
  const link = new SerialPortLink(port);
  link.attach();
  return link;
}
