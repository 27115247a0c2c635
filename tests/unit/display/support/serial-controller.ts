import { SerialPort } from 'serialport';
import { LedControllerEmulator } from '../../../../devices/display/led-controller-emulator.ts';
import { type Packet, PacketDecoder } from '../../../../devices/display/led-protocol.ts';

/**
 * The test playing the LED controller on the far end of a tty: an emulated controller fed from a
 * real serial port, answering on it. `raw` keeps every byte the host sent, and `packets` decodes
 * them independently of the emulator.
 */
export class SerialControllerEnd {
  readonly emulator: LedControllerEmulator;
  private port: SerialPort | undefined;
  raw = Buffer.alloc(0);

  constructor(
    private readonly path: string,
    width: number,
    height: number,
  ) {
    this.emulator = new LedControllerEmulator(width, height);
    this.emulator.on('reply', (bytes) => this.port?.write(bytes));
  }

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('data', (chunk: Buffer) => {
      this.raw = Buffer.concat([this.raw, chunk]);
      this.emulator.receive(chunk);
    });
    port.on('error', () => undefined);
    this.port = port;
  }

  /** Bytes the controller puts on the line outside the protocol (noise). */
  writeRaw(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) =>
      this.port?.write(Buffer.from(bytes), (e) => (e ? reject(e) : resolve())),
    );
  }

  packets(): Packet[] {
    return new PacketDecoder().push(this.raw).flatMap((e) => (e.type === 'packet' ? [e.packet] : []));
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
