/** What the ESC/POS decoder (escpos-decoder.ts) makes of a byte stream. */
export interface Segment {
  text: string;
  /** Column of the first character (12-dot units from the left edge). */
  col: number;
  bold: boolean;
  underline: boolean;
  invert: boolean;
  /** Character scale, 1–8. */
  width: number;
  height: number;
}

export type Align = 'left' | 'center' | 'right';

export type DecodedLine =
  | { kind: 'text'; segments: Segment[]; align: Align }
  | { kind: 'raster'; image: RasterImage }
  | { kind: 'qr'; data: string }
  | { kind: 'cut'; partial: boolean }
  | { kind: 'feed' };

export interface RasterImage {
  command: 'GS v 0' | 'GS 8 L';
  /** Width and height in dots. */
  width: number;
  height: number;
  bytesPerRow: number;
  /** Rows top to bottom, MSB = leftmost dot, 1 = black. */
  data: Uint8Array;
}

export interface Decoded {
  lines: DecodedLine[];
  /** Command names in order (e.g. 'ESC @', 'FS &', 'GS V'), for asserting what was sent. */
  ops: string[];
  /** Byte offset of each entry of `ops`. */
  opAt: number[];
  images: RasterImage[];
  /** Data of native QR codes (GS ( k). */
  qrCodes: string[];
  cuts: number;
  /** True when the bytes ended inside a command (decoded with `partial`). */
  truncated: boolean;
}
