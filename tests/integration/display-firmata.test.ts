/**
 * The MAX7219 driver through johnny-five against a REAL tty pair made by socat: the driver opens
 * one end with serialport and speaks Firmata through firmata-io; the test plays an Arduino Nano
 * with StandardFirmata on the other end and decodes the pin levels it is told to set into the
 * bursts a MAX7219 chain would latch. Each test gets its own pair; socat is always killed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Display } from '../../devices/display/display.ts';
import type { DisplayConfig } from '../../devices/display/display-config.ts';
import { bundledFont, createDisplay } from '../../devices/display/index.ts';
import { buildLayout } from '../../devices/display/layout.ts';
import { frameSequence, geometryFor, initSequence } from '../../devices/display/max7219-codec.ts';
import { renderText } from '../../devices/display/text-render.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FirmataMax7219Board } from '../unit/display/support/firmata-board.ts';
import { expectGolden } from '../unit/display/support/golden.ts';
import { SocatPair } from '../unit/display/support/socat-pair.ts';
import { displayTestConfig } from '../unit/display/support/test-config.ts';

const W = 64;
const H = 16;
const pins = { data: 12, clock: 11, cs: 10 };
const OUTPUT = 1;
const hex = (t: Uint8Array) => Buffer.from(t).toString('hex');

describe('MAX7219 on a Firmata board (johnny-five) over a socat tty pair', () => {
  let dir: string;
  let pair: SocatPair;
  let board: FirmataMax7219Board;
  let display: Display;
  let config: DisplayConfig;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'led-firmata-'));
    pair = new SocatPair(dir);
    await pair.start();
    board = new FirmataMax7219Board(pair.signPath, pins);
    await board.open();
    config = displayTestConfig({
      driver: 'real',
      transport: 'firmata',
      widthPx: W,
      heightPx: H,
      max7219: { columnOrder: 'lsb-left' },
      firmata: { path: pair.hostPath, pins, readyTimeoutMs: 3000, ackTimeoutMs: 3000 },
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    display = await createDisplay(config, { clock: systemClock, logger: silentLogger() });
  });

  afterEach(async () => {
    await display.stop();
    await board.close();
    await pair.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sets the three pins as outputs and latches the codec power-on sequence', async () => {
    await display.start();
    expect(display.health()).toMatchObject({ state: 'ok', driver: 'max7219-firmata' });
    expect(board.pinModes.get(pins.data)).toBe(OUTPUT);
    expect(board.pinModes.get(pins.clock)).toBe(OUTPUT);
    expect(board.pinModes.get(pins.cs)).toBe(OUTPUT);
    const g = geometryFor(W, H, 'lsb-left');
    expect(board.transactions.map(hex)).toEqual(initSequence(g, 100).map(hex));
    expect(board.faults).toEqual([]);
  });

  it('latches exactly the golden MAX7219 writes of 欢迎光临 on 64×16', async () => {
    await display.start();
    const before = board.transactions.length;
    const bytesBefore = board.bytesReceived;
    const layout = buildLayout('static', renderText('欢迎光临', bundledFont()), {
      width: W,
      height: H,
      scrollPxPerSecond: 32,
      staticDwellMs: 5000,
    });
    await display.showFrame(layout.frameAt(0));
    const written = board.transactions.slice(before).map(hex);
    expect(written).toEqual(frameSequence(geometryFor(W, H, 'lsb-left'), layout.frameAt(0)).map(hex));
    expectGolden(
      'max7219-welcome-64x16.hex',
      'one line per SPI transaction: (register, data) pairs, farthest module first',
      written.join('\n'),
    );
    expect(board.faults).toEqual([]);
    // On the wire: 8 bursts × (32 bytes × 8 bits × 3 port messages + CS low and high) × 3 bytes,
    // plus a 1-byte version request per burst (~3.2 s at StandardFirmata's 57,600 baud).
    expect(board.bytesReceived - bytesBefore).toBe(8 * (32 * 8 * 3 + 2) * 3 + 8);
  });

  it('goes offline when the board is unplugged and restores power-on and the last frame on return', async () => {
    await display.start();
    const frame = buildLayout('static', renderText('便民', bundledFont()), {
      width: W,
      height: H,
      scrollPxPerSecond: 32,
      staticDwellMs: 5000,
    }).frameAt(0);
    await display.showFrame(frame);
    await board.close();
    await pair.stop();
    // The port's own hang-up notice is what tells the driver; on a loaded machine it has been seen
    // to take over 5 s to be read, so the wait is generous (it ends as soon as the sign is offline).
    await vi.waitFor(() => expect(display.health().state).toBe('offline'), { timeout: 20_000 });

    await pair.start();
    board = new FirmataMax7219Board(pair.signPath, pins);
    await board.open();
    await vi.waitFor(() => expect(display.health().state).toBe('ok'), { timeout: 20_000 });
    const g = geometryFor(W, H, 'lsb-left');
    expect(board.transactions.map(hex)).toEqual(
      [...initSequence(g, 100), ...frameSequence(g, frame)].map(hex),
    );
  });

  it('stays offline with DEVICE_E_TIMEOUT while nothing speaks Firmata, and comes up when it does', async () => {
    board.silent = true;
    await display.start();
    expect(display.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_TIMEOUT' } });
    board.silent = false;
    await vi.waitFor(() => expect(display.health().state).toBe('ok'), { timeout: 5000 });
  });

  it('fails a frame with DEVICE_E_TIMEOUT when the board hangs, and recovers when it answers again', async () => {
    await display.start();
    board.silent = true;
    const frame = buildLayout('static', renderText('A', bundledFont()), {
      width: W,
      height: H,
      scrollPxPerSecond: 32,
      staticDwellMs: 5000,
    }).frameAt(0);
    await expect(display.showFrame(frame)).rejects.toMatchObject({ code: 'DEVICE_E_TIMEOUT' });
    expect(display.health().state).toBe('offline');
    board.silent = false;
    await vi.waitFor(() => expect(display.health().state).toBe('ok'), { timeout: 5000 });
  });
});
