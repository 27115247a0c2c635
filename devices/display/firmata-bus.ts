import { createRequire } from 'node:module';
import { SerialPort } from 'serialport';
import { displayError, fromNodeError } from './display-errors.ts';
import type { SpiBus } from './spi-bus.ts';

/** The parts of firmata-io's board object this bus uses. */
interface FirmataIo {
  readonly isReady: boolean;
  readonly MODES: { OUTPUT: number };
  readonly firmware: { name?: string };
  pinMode(pin: number, mode: number): void;
  digitalWrite(pin: number, value: 0 | 1): void;
  reportVersion(cb: () => void): void;
  queryFirmware(cb: () => void): void;
  once(event: 'ready', listener: () => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
  removeListener(event: string, listener: (...args: never[]) => void): void;
}

/** The parts of a johnny-five Board this bus uses. */
interface FiveBoard {
  readonly io: FirmataIo;
  shiftOut(dataPin: number, clockPin: number, isBigEndian: boolean, value: number): void;
  once(event: 'ready', listener: () => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
}

interface FirmataIoModule {
  Firmata: new (transport: SerialPort, options: Record<string, unknown>) => FirmataIo;
}

interface JohnnyFiveModule {
  Board: new (options: Record<string, unknown>) => FiveBoard;
}

export interface FirmataBusOptions {
  path: string;
  baudRate: number;
  pins: { data: number; clock: number; cs: number };
  readyTimeoutMs: number;
  /** How long the board may take to answer the version request that follows every burst. */
  ackTimeoutMs: number;
}

// Both packages are CommonJS; loaded only when a Firmata sign is configured.
const require = createRequire(import.meta.url);

/**
 * A MAX7219 chain on a board running StandardFirmata, as an SpiBus: johnny-five's Board over a
 * firmata-io board whose transport is a serialport 13 port. Each `transfer` pulls CS low, clocks
 * the bytes out MSB first with `Board#shiftOut` (clock low, data, clock high per bit, as
 * johnny-five's own MAX7219 driver does) and raises CS, then asks the board for its version:
 * Firmata handles messages in order and acknowledges none, so that answer is the proof that the
 * board has set every pin of the burst, and its absence (a hung board) fails the transfer with
 * DEVICE_E_TIMEOUT.
 *
 * Opening resolves once the board has reported its version, firmware, pin capabilities and analog
 * mapping, and the three pins are outputs with CS high. It rejects with a DeviceError: ABSENT
 * (no such port), BUSY (in use), TIMEOUT (nothing speaks Firmata within `readyTimeoutMs`).
 */
export async function openFirmataBus(o: FirmataBusOptions): Promise<SpiBus> {
  const { Firmata } = require('firmata-io') as FirmataIoModule;
  const five = require('johnny-five') as JohnnyFiveModule;
  const port = new SerialPort({ path: o.path, baudRate: o.baudRate, autoOpen: false, lock: true });
  // The Firmata object listens to the port before it opens, so it sees `open` like on a real start.
  const io = new Firmata(port, { reportVersionTimeout: o.readyTimeoutMs });
  // firmata-io re-emits port errors on the board object; without a listener they would throw.
  const errors: Error[] = [];
  io.on('error', (e) => errors.push(e));
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(fromNodeError(err)) : resolve())),
  );
  try {
    await untilReady(io, o.readyTimeoutMs, o.path);
  } catch (e) {
    await closePort(port);
    throw e;
  }
  const board = new five.Board({ io, repl: false, debug: false, sigint: false });
  // johnny-five forwards the same errors again once ready; they are already collected above.
  board.on('error', () => undefined);
  await new Promise<void>((resolve) => board.once('ready', () => resolve()));
  const { data, clock, cs } = o.pins;
  for (const pin of [data, clock, cs]) io.pinMode(pin, io.MODES.OUTPUT);
  io.digitalWrite(cs, 1);
  io.digitalWrite(clock, 0);
  await drain(port);

  const lostListeners: Array<(err: Error) => void> = [];
  let closing = false;
  port.on('close', (err?: Error | null) => {
    if (closing) return;
    const e = err ?? new Error(`${o.path} closed`);
    for (const l of lostListeners) l(e);
  });
  return {
    async transfer(bytes) {
      if (!port.isOpen) throw displayError('disconnected', `${o.path} is closed`);
      io.digitalWrite(cs, 0);
      for (const b of bytes) board.shiftOut(data, clock, true, b);
      io.digitalWrite(cs, 1);
      await answered(io, o.ackTimeoutMs, o.path);
      const err = errors.shift();
      if (err) throw fromNodeError(err);
    },
    async close() {
      closing = true;
      await closePort(port);
    },
    onLost(listener) {
      lostListeners.push(listener);
    },
  };
}

/**
 * Asks for the version and firmware at once: a board that does not reset on open answers; a Nano
 * that resets reports both by itself once its boot loader hands over, and firmata-io then queries
 * the pin capabilities and analog mapping before it is ready.
 */
function untilReady(io: FirmataIo, timeoutMs: number, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(displayError('timeout', `no Firmata board answered on ${path} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    io.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
    io.reportVersion(() => undefined);
    io.queryFirmware(() => undefined);
  });
}

/** Resolves when the board answers a version request; DEVICE_E_TIMEOUT after `timeoutMs`. */
function answered(io: FirmataIo, timeoutMs: number, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      io.removeListener('reportversion', done);
      reject(displayError('timeout', `the Firmata board on ${path} stopped answering`));
    }, timeoutMs);
    io.reportVersion(done);
  });
}

function drain(port: SerialPort): Promise<void> {
  return new Promise((resolve, reject) => port.drain((e) => (e ? reject(fromNodeError(e)) : resolve())));
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}
