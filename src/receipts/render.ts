import { transform } from 'receiptline';
import { CPL, type PaperWidth } from './layout.ts';

/** How a receiptline document becomes printer bytes; mirrors devices.printer config. */
export interface EscPosOptions {
  paperWidth: PaperWidth;
  /** `escpos`: raster via GS 8 L / GS ( L; `generic`: raster via GS v 0. */
  commandSet: 'escpos' | 'generic';
  /** Both select Chinese mode with FS &; cp936 = GBK, gb18030 = the full GB 18030 set. */
  encoding: 'cp936' | 'gb18030';
  /** GS V at the end. */
  cut: boolean;
}

export const DEFAULT_ESCPOS: Readonly<Omit<EscPosOptions, 'paperWidth'>> = {
  commandSet: 'escpos',
  encoding: 'cp936',
  cut: true,
};

/**
 * ESC/POS bytes of a document, deterministic (same input → same bytes). Starts with ESC @, prints
 * text in Chinese mode (FS & + GBK/GB18030 bytes, ESC t 0), QR codes as raster images, ends with
 * GS V (when cutting) and GS r 1 (the printer answers with one paper-sensor status byte).
 */
export function encodeEscPos(doc: string, opts: EscPosOptions): Uint8Array {
  const out = transform(doc, {
    command: opts.commandSet,
    cpl: CPL[opts.paperWidth],
    encoding: opts.encoding,
    cutting: opts.cut,
    // Text, QR codes and rules only: threshold the rasters instead of dithering them.
    gradient: false,
  });
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

export interface SvgOptions {
  paperWidth: PaperWidth;
  /** Stable element id prefix (e.g. the serial), so the same receipt renders the same SVG. */
  id: string;
}

/**
 * SVG preview of a document, as wide as the paper's printable area (12 px per character). Fonts:
 * monospace, falling back to Unifont / Noto CJK for Chinese when the system picks them.
 */
export function renderSvg(doc: string, opts: SvgOptions): string {
  const svg = transform(doc, { command: 'svg', cpl: CPL[opts.paperWidth], encoding: 'cp936' });
  const id = opts.id.replace(/[^0-9A-Za-z_-]/g, '_');
  return svg
    .replace(/receipt-[0-9a-f-]{36}/g, `receipt-${id}`)
    .replace('font-family="monospace"', `font-family="monospace, 'Noto Sans Mono CJK SC', Unifont"`);
}
