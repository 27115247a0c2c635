import type { Machine } from './escpos-machine.ts';
import type { RasterImage } from './escpos-types.ts';

/** GS commands: sizes, invert, print area, cuts, raster images (GS v 0, GS 8 L/GS ( L), QR (GS ( k). */
export function decodeGs(m: Machine): void {
  m.need(2, 'GS');
  const k = m.arg(1);
  switch (k) {
    case 0x21: {
      // GS ! n
      const n = m.arg(2);
      m.width = ((n >> 4) & 7) + 1;
      m.height = (n & 7) + 1;
      m.op('GS !', 3);
      return;
    }
    case 0x42: // GS B n
      m.invert = (m.arg(2) & 1) === 1;
      m.op('GS B', 3);
      return;
    case 0x4c: // GS L nL nH
      m.need(4, 'GS L');
      m.leftMargin = m.arg(2) | (m.arg(3) << 8);
      m.x = m.leftMargin;
      m.op('GS L', 4);
      return;
    case 0x57: // GS W nL nH
      m.op('GS W', 4);
      return;
    case 0x61: // GS a n
    case 0x72: // GS r n
    case 0x68: // GS h n
    case 0x77: // GS w n
    case 0x48: // GS H n
      m.op(`GS ${String.fromCharCode(k)}`, 3);
      return;
    case 0x56: {
      // GS V m [n]
      m.need(3, 'GS V');
      const mode = m.arg(2);
      m.flushPending();
      m.out.lines.push({ kind: 'cut', partial: [1, 49, 66, 98, 104].includes(mode) });
      m.out.cuts++;
      m.op('GS V', mode >= 65 ? 4 : 3);
      return;
    }
    case 0x76: {
      // GS v 0 m xL xH yL yH d1...dk
      m.need(8, 'GS v 0');
      const bytesPerRow = m.arg(4) | (m.arg(5) << 8);
      const rows = m.arg(6) | (m.arg(7) << 8);
      const size = bytesPerRow * rows;
      m.need(8 + size, 'GS v 0 data');
      const data = m.b.slice(m.i + 8, m.i + 8 + size);
      m.printImage({ command: 'GS v 0', width: bytesPerRow * 8, height: rows, bytesPerRow, data });
      m.op('GS v 0', 8 + size);
      return;
    }
    case 0x38: {
      // GS 8 L p1 p2 p3 p4 m fn a bx by c xL xH yL yH d1...dk (fn 112: store raster graphics)
      m.need(7, 'GS 8 L');
      const len = m.arg(3) | (m.arg(4) << 8) | (m.arg(5) << 16) | (m.arg(6) << 24);
      m.need(7 + len, 'GS 8 L data');
      if (m.arg(8) !== 112) m.unknown(`GS 8 L function ${m.arg(8)}`);
      const width = m.arg(13) | (m.arg(14) << 8);
      const height = m.arg(15) | (m.arg(16) << 8);
      const bytesPerRow = (width + 7) >> 3;
      const data = m.b.slice(m.i + 17, m.i + 17 + bytesPerRow * height);
      m.stored = { command: 'GS 8 L', width, height, bytesPerRow, data } satisfies RasterImage;
      m.op('GS 8 L', 7 + len);
      return;
    }
    case 0x28:
      decodeGsParen(m);
      return;
    case 0x6b:
      // GS k m n d1..dn (barcode, function B only)
      m.need(4, 'GS k');
      if (m.arg(2) < 65) m.unknown('GS k function A');
      m.op('GS k', 4 + m.arg(3));
      return;
    default:
      m.unknown(`GS 0x${k.toString(16)}`);
  }
}

/** GS ( L (fn 50 prints the stored graphics) and GS ( k (cn 49 = QR: fn 80 stores, fn 81 prints). */
function decodeGsParen(m: Machine): void {
  m.need(5, 'GS (');
  const fnClass = m.arg(2);
  const len = m.arg(3) | (m.arg(4) << 8);
  m.need(5 + len, 'GS ( data');
  if (fnClass === 0x4c) {
    if (m.arg(6) === 50 && m.stored) m.printImage(m.stored);
    m.op('GS ( L', 5 + len);
  } else if (fnClass === 0x6b) {
    const cn = m.arg(5);
    const fn = m.arg(6);
    if (cn === 49 && fn === 80) m.qrData = Buffer.from(m.b.slice(m.i + 8, m.i + 5 + len)).toString('latin1');
    if (cn === 49 && fn === 81 && m.qrData !== undefined) {
      m.flushPending();
      m.out.qrCodes.push(m.qrData);
      m.out.lines.push({ kind: 'qr', data: m.qrData });
    }
    m.op('GS ( k', 5 + len);
  } else {
    m.unknown(`GS ( 0x${fnClass.toString(16)}`);
  }
}
