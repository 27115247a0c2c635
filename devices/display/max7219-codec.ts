import { type Frame, getPixel } from './frame.ts';

/**
 * MAX7219 register writes for a panel of 8×8 LED modules. Pure: frames in, SPI transactions out.
 * Each transaction is one CS-low…CS-high burst of 2 bytes (register, data) per module in the
 * chain. The first pair clocked out ends up in the module farthest from DIN, so a transaction
 * lists module N-1 first and module 0 (the one wired to the Pi) last.
 * Modules are numbered row-major from the panel's top-left: module k sits at column k % columns,
 * row ⌊k / columns⌋.
 */
export const Reg = {
  NOOP: 0x00,
  /** Rows (digits) 0–7 are registers 0x01–0x08. */
  ROW0: 0x01,
  DECODE_MODE: 0x09,
  INTENSITY: 0x0a,
  SCAN_LIMIT: 0x0b,
  SHUTDOWN: 0x0c,
  DISPLAY_TEST: 0x0f,
} as const;

export interface MatrixGeometry {
  /** Modules across and down. */
  columns: number;
  rows: number;
  /** `msb-left`: bit 7 of a row byte drives the module's leftmost LED; `lsb-left`: bit 0 does. */
  columnOrder: 'msb-left' | 'lsb-left';
}

export function geometryFor(
  widthPx: number,
  heightPx: number,
  columnOrder: MatrixGeometry['columnOrder'],
): MatrixGeometry {
  if (widthPx % 8 !== 0 || heightPx % 8 !== 0)
    throw new RangeError(`${widthPx}×${heightPx} is not a grid of 8×8 modules`);
  return { columns: widthPx / 8, rows: heightPx / 8, columnOrder };
}

export function chainLength(g: MatrixGeometry): number {
  return g.columns * g.rows;
}

/** One transaction writing `reg` in every module; `data(k)` is module k's value. */
export function writeAll(
  g: MatrixGeometry,
  reg: number,
  data: number | ((module: number) => number),
): Uint8Array {
  const n = chainLength(g);
  const out = new Uint8Array(2 * n);
  for (let k = 0; k < n; k++) {
    const pos = 2 * (n - 1 - k);
    out[pos] = reg;
    out[pos + 1] = (typeof data === 'number' ? data : data(k)) & 0xff;
  }
  return out;
}

/** 0–100 % → the 16 duty-cycle steps of the INTENSITY register (0x0–0xF). */
export function intensityFromPercent(percent: number): number {
  return Math.round((Math.min(100, Math.max(0, percent)) / 100) * 15);
}

/**
 * Power-on sequence: shut down, leave test mode, no BCD decode, scan all 8 rows, set intensity,
 * blank every row, then wake up. Blanking before wake-up avoids showing power-on garbage.
 */
export function initSequence(g: MatrixGeometry, percent: number): Uint8Array[] {
  const rows = Array.from({ length: 8 }, (_, r) => writeAll(g, Reg.ROW0 + r, 0));
  return [
    writeAll(g, Reg.SHUTDOWN, 0),
    writeAll(g, Reg.DISPLAY_TEST, 0),
    writeAll(g, Reg.DECODE_MODE, 0),
    writeAll(g, Reg.SCAN_LIMIT, 7),
    writeAll(g, Reg.INTENSITY, intensityFromPercent(percent)),
    ...rows,
    writeAll(g, Reg.SHUTDOWN, percent > 0 ? 1 : 0),
  ];
}

/** Brightness as register writes: 0 % shuts the LEDs off (the rows are kept). */
export function brightnessSequence(g: MatrixGeometry, percent: number): Uint8Array[] {
  return [
    writeAll(g, Reg.INTENSITY, intensityFromPercent(percent)),
    writeAll(g, Reg.SHUTDOWN, percent > 0 ? 1 : 0),
  ];
}

/** The row byte module k shows on its row r for frame `f`. */
export function moduleRowByte(g: MatrixGeometry, f: Frame, k: number, r: number): number {
  const x0 = (k % g.columns) * 8;
  const y = Math.floor(k / g.columns) * 8 + r;
  let byte = 0;
  for (let i = 0; i < 8; i++) {
    if (getPixel(f, x0 + i, y)) byte |= g.columnOrder === 'msb-left' ? 0x80 >> i : 1 << i;
  }
  return byte;
}

/** A whole frame: eight transactions, one per row register. */
export function frameSequence(g: MatrixGeometry, f: Frame): Uint8Array[] {
  return Array.from({ length: 8 }, (_, r) => writeAll(g, Reg.ROW0 + r, (k) => moduleRowByte(g, f, k, r)));
}
