import { EventEmitter } from 'node:events';
import type { ByteLink, ByteLinkEvents } from '../../../../devices/display/byte-link.ts';
import type { LedControllerEmulator } from '../../../../devices/display/led-controller-emulator.ts';

/** A test ByteLink wired to an emulated controller; records what the host wrote. */
export class TestLink extends EventEmitter<ByteLinkEvents> implements ByteLink {
  readonly written: Buffer[] = [];
  closed = false;
  failWrites = false;

  constructor(private readonly controller: LedControllerEmulator) {
    super();
    controller.on('reply', (b) => queueMicrotask(() => !this.closed && this.emit('data', b)));
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed || this.failWrites) return Promise.reject(new Error('EIO: write failed'));
    this.written.push(Buffer.from(bytes));
    queueMicrotask(() => this.controller.receive(bytes));
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.unplug(undefined);
    return Promise.resolve();
  }

  unplug(err: Error | undefined = new Error('unplugged')): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', err);
  }
}
