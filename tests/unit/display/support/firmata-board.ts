import { SerialPort } from 'serialport';

const REPORT_VERSION = 0xf9;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const QUERY_FIRMWARE = 0x79;
const CAPABILITY_QUERY = 0x6b;
const CAPABILITY_RESPONSE = 0x6c;
const ANALOG_MAPPING_QUERY = 0x69;
const ANALOG_MAPPING_RESPONSE = 0x6a;
const SET_PIN_MODE = 0xf4;
const DIGITAL_MESSAGE = 0x90;
const OUTPUT = 0x01;

/**
 * The far end of a serial line playing an Arduino Nano with StandardFirmata 2.5 and a MAX7219
 * chain on three of its pins. It speaks the Firmata protocol byte by byte (version, firmware,
 * capability and analog-mapping replies; pin modes; digital port messages) and decodes the pin
 * levels the host sets the way the chip's shift register would: a bit is taken from DIN on each
 * rising CLK edge while CS is low, and the rising edge of CS latches the burst. `transactions`
 * holds each latched burst as bytes, MSB first, in the order they were clocked in.
 */
export class FirmataMax7219Board {
  readonly transactions: Uint8Array[] = [];
  /** Bursts whose bit count was not a whole number of bytes, or that moved pins not set as outputs. */
  readonly faults: string[] = [];
  readonly pinModes = new Map<number, number>();
  /** Every byte the host has sent. */
  bytesReceived = 0;
  /** A hung board: takes every byte in and answers nothing. */
  silent = false;
  private port: SerialPort | undefined;
  private rx: number[] = [];
  private levels = new Map<number, number>();
  private bits: number[] = [];
  private framing = false;

  constructor(
    private readonly path: string,
    private readonly pins: { data: number; clock: number; cs: number },
    /** 20 digital pins like a Nano: D0–D13, A0–A5 as 14–19 (A6/A7 are analog only). */
    private readonly pinCount = 20,
  ) {}

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: 57600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      for (const b of chunk) this.take(b);
    });
    port.on('error', () => undefined);
    this.port = port;
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private send(bytes: number[]): void {
    if (this.silent) return;
    this.port?.write(Buffer.from(bytes));
  }

  private take(b: number): void {
    if (b & 0x80 && b !== END_SYSEX) this.rx = [];
    this.rx.push(b);
    const [first] = this.rx;
    if (first === undefined) return;
    if (first === REPORT_VERSION) {
      this.rx = [];
      this.send([REPORT_VERSION, 2, 5]);
    } else if (first === START_SYSEX) {
      if (b === END_SYSEX) {
        this.sysex(this.rx.slice(1, -1));
        this.rx = [];
      }
    } else if (first === SET_PIN_MODE && this.rx.length === 3) {
      this.pinModes.set(this.rx[1] ?? 0, this.rx[2] ?? 0);
      this.rx = [];
    } else if ((first & 0xf0) === DIGITAL_MESSAGE && this.rx.length === 3) {
      this.digitalPort(first & 0x0f, (this.rx[1] ?? 0) | ((this.rx[2] ?? 0) << 7));
      this.rx = [];
    } else if (this.rx.length === 3 || (first >= 0xc0 && first <= 0xdf && this.rx.length === 2)) {
      this.rx = []; // reporting toggles and other 2–3 byte commands: nothing to answer
    }
  }

  private sysex(body: number[]): void {
    switch (body[0]) {
      case QUERY_FIRMWARE: {
        const name = [...'StandardFirmata.ino'].flatMap((c) => [c.charCodeAt(0) & 0x7f, 0]);
        this.send([START_SYSEX, QUERY_FIRMWARE, 2, 5, ...name, END_SYSEX]);
        break;
      }
      case CAPABILITY_QUERY: {
        const pins = Array.from({ length: this.pinCount }, (_, p) =>
          p >= 14 ? [0x00, 1, 0x01, 1, 0x02, 10, 0x7f] : [0x00, 1, 0x01, 1, 0x7f],
        );
        this.send([START_SYSEX, CAPABILITY_RESPONSE, ...pins.flat(), END_SYSEX]);
        break;
      }
      case ANALOG_MAPPING_QUERY: {
        const map = Array.from({ length: this.pinCount }, (_, p) => (p >= 14 ? p - 14 : 0x7f));
        this.send([START_SYSEX, ANALOG_MAPPING_RESPONSE, ...map, END_SYSEX]);
        break;
      }
    }
  }

  /** A DIGITAL_MESSAGE: the levels of the 8 pins of `port`; acts on each pin that changed. */
  private digitalPort(port: number, value: number): void {
    for (let i = 0; i < 8; i++) {
      const pin = port * 8 + i;
      const level = (value >> i) & 1;
      const before = this.levels.get(pin) ?? 0;
      if (level === before) continue;
      this.levels.set(pin, level);
      if (this.pinModes.get(pin) !== OUTPUT) this.faults.push(`pin ${pin} moved while not an output`);
      this.edge(pin, level);
    }
  }

  private edge(pin: number, level: number): void {
    const { data, clock, cs } = this.pins;
    if (pin === cs && level === 0) {
      this.framing = true;
      this.bits = [];
    } else if (pin === cs && level === 1 && this.framing) {
      this.framing = false;
      if (this.bits.length % 8 !== 0) this.faults.push(`burst of ${this.bits.length} bits`);
      const out = new Uint8Array(this.bits.length >> 3);
      this.bits.forEach((bit, i) => {
        out[i >> 3] = ((out[i >> 3] ?? 0) << 1) | bit;
      });
      this.transactions.push(out);
    } else if (pin === clock && level === 1 && this.framing) {
      this.bits.push(this.levels.get(data) ?? 0);
    }
  }
}
