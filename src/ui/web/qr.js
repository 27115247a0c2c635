/**
 * A QR code (ISO/IEC 18004) of a short text, drawn as SVG: byte mode, error correction level L,
 * versions 1–4 (up to 78 bytes; a serial number needs version 1), mask 0. Enough for a customer's
 * phone camera to read a serial number off the screen.
 */

/** Data and error-correction codewords per version at level L (one block each). */
const CAPACITY = [
  { data: 19, ec: 7 },
  { data: 34, ec: 10 },
  { data: 55, ec: 15 },
  { data: 80, ec: 20 },
];

/** @param {number} x @param {number} y */
function gfMul(x, y) {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

/** @param {number} degree */
function rsDivisor(degree) {
  const d = new Array(degree).fill(0);
  d[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < d.length; j++) {
      d[j] = gfMul(d[j], root);
      if (j + 1 < d.length) d[j] ^= d[j + 1];
    }
    root = gfMul(root, 2);
  }
  return d;
}

/** @param {number[]} data @param {number[]} divisor */
function rsRemainder(data, divisor) {
  const r = divisor.map(() => 0);
  for (const b of data) {
    const factor = b ^ /** @type {number} */ (r.shift());
    r.push(0);
    for (let i = 0; i < divisor.length; i++) r[i] ^= gfMul(/** @type {number} */ (divisor[i]), factor);
  }
  return r;
}

/**
 * The modules of the code: true is dark.
 * @param {string} text
 * @returns {boolean[][]}
 */
export function qrMatrix(text) {
  const bytes = Array.from(new TextEncoder().encode(text));
  const vi = CAPACITY.findIndex((c) => c.data * 8 >= 12 + bytes.length * 8);
  if (vi < 0) throw new RangeError('text too long for a small QR code');
  const version = vi + 1;
  const { data: dataLen, ec } = /** @type {{ data: number, ec: number }} */ (CAPACITY[vi]);
  const size = 17 + 4 * version;

  /** @type {number[]} */
  const bits = [];
  const put = (/** @type {number} */ v, /** @type {number} */ n) => {
    for (let i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1);
  };
  put(0b0100, 4);
  put(bytes.length, 8);
  for (const b of bytes) put(b, 8);
  put(0, Math.min(4, dataLen * 8 - bits.length));
  while (bits.length % 8) bits.push(0);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(parseInt(bits.slice(i, i + 8).join(''), 2));
  for (let pad = 0xec; data.length < dataLen; pad ^= 0xec ^ 0x11) data.push(pad);
  const all = [...data, ...rsRemainder(data, rsDivisor(ec))];

  const m = Array.from({ length: size }, () => new Array(size).fill(false));
  const fn = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (/** @type {number} */ x, /** @type {number} */ y, /** @type {boolean} */ dark) => {
    m[y][x] = dark;
    fn[y][x] = true;
  };
  for (let i = 0; i < size; i++) {
    set(6, i, i % 2 === 0);
    set(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ]) {
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) {
        const x = /** @type {number} */ (cx) + dx;
        const y = /** @type {number} */ (cy) + dy;
        if (x < 0 || y < 0 || x >= size || y >= size) continue;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        set(x, y, d !== 2 && d !== 4);
      }
  }
  if (version > 1) {
    const c = size - 7;
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) set(c + dx, c + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
  }
  // Format information: level L (01), mask 0, BCH-protected and masked as the standard says.
  const fmt = (0b01 << 3) | 0;
  let rem = fmt;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  const f = ((fmt << 10) | rem) ^ 0x5412;
  const bit = (/** @type {number} */ i) => ((f >>> i) & 1) === 1;
  for (let i = 0; i <= 5; i++) set(8, i, bit(i));
  set(8, 7, bit(6));
  set(8, 8, bit(7));
  set(7, 8, bit(8));
  for (let i = 9; i < 15; i++) set(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(i));
  set(8, size - 8, true);

  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const up = ((right + 1) & 2) === 0;
        const y = up ? size - 1 - vert : vert;
        if (fn[y][x]) continue;
        const dark =
          i < all.length * 8 ? /** @type {number} */ ((all[i >>> 3] >>> (7 - (i & 7))) & 1) === 1 : false;
        i++;
        m[y][x] = dark !== ((x + y) % 2 === 0);
      }
    }
  }
  return m;
}

/**
 * @param {string} text
 * @returns {SVGSVGElement}
 */
export function qrSvg(text) {
  const m = qrMatrix(text);
  const n = m.length + 8;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS(ns, 'svg'));
  svg.setAttribute('viewBox', `0 0 ${n} ${n}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('data-qr', text);
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', String(n));
  bg.setAttribute('height', String(n));
  bg.setAttribute('fill', '#fff');
  let d = '';
  for (let y = 0; y < m.length; y++) {
    const row = /** @type {boolean[]} */ (m[y]);
    for (let x = 0; x < row.length; x++) if (row[x]) d += `M${x + 4} ${y + 4}h1v1h-1z`;
  }
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}
