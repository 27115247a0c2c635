/**
 * A minimal QR code reader for clean printer rasters (no skew, no noise), versions 1–6: finds the
 * module size from the top-left finder, reads the format information, unmasks, de-interleaves the
 * data codewords and decodes numeric, alphanumeric and byte segments. It is independent of the QR
 * generator inside receiptline, so tests can check what a phone scanning the receipt would read.
 * Error correction is not applied: a wrong module makes the result wrong, which fails the test.
 */
type Blocks = [ec: number, groups: Array<[count: number, data: number]>];

// [L, M, Q, H] per version (ISO/IEC 18004 table 9).
const EC_TABLE: Record<number, [Blocks, Blocks, Blocks, Blocks]> = {
  1: [
    [7, [[1, 19]]],
    [10, [[1, 16]]],
    [13, [[1, 13]]],
    [17, [[1, 9]]],
  ],
  2: [
    [10, [[1, 34]]],
    [16, [[1, 28]]],
    [22, [[1, 22]]],
    [28, [[1, 16]]],
  ],
  3: [
    [15, [[1, 55]]],
    [26, [[1, 44]]],
    [18, [[2, 17]]],
    [22, [[2, 13]]],
  ],
  4: [
    [20, [[1, 80]]],
    [18, [[2, 32]]],
    [26, [[2, 24]]],
    [16, [[4, 9]]],
  ],
  5: [
    [26, [[1, 108]]],
    [24, [[2, 43]]],
    [
      18,
      [
        [2, 15],
        [2, 16],
      ],
    ],
    [
      22,
      [
        [2, 11],
        [2, 12],
      ],
    ],
  ],
  6: [
    [18, [[2, 68]]],
    [16, [[4, 27]]],
    [24, [[4, 19]]],
    [28, [[4, 15]]],
  ],
};

const MASKS: Array<(i: number, j: number) => boolean> = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export interface QrReading {
  text: string;
  version: number;
  level: 'L' | 'M' | 'Q' | 'H';
  /** Module size in dots. */
  cell: number;
}

/** Reads a QR code from a 0/1 dot matrix (1 = black); throws when it is not a readable code. */
export function readQr(dots: number[][]): QrReading {
  let top = -1;
  let left = Number.POSITIVE_INFINITY;
  let right = -1;
  dots.forEach((row, y) => {
    row.forEach((v, x) => {
      if (v !== 1) return;
      if (top < 0) top = y;
      left = Math.min(left, x);
      right = Math.max(right, x);
    });
  });
  if (top < 0) throw new Error('no black dots');
  let run = 0;
  while (dots[top]?.[left + run] === 1) run++;
  const cell = run / 7;
  const n = Math.round((right - left + 1) / cell);
  const version = (n - 17) / 4;
  const ecTable = EC_TABLE[version];
  if (!Number.isInteger(cell) || !ecTable) throw new Error(`unsupported symbol: ${n} modules, cell ${cell}`);
  const mod = (r: number, c: number) =>
    dots[top + r * cell + (cell >> 1)]?.[left + c * cell + (cell >> 1)] ?? 0;

  let format = 0;
  const formatCells: Array<[number, number]> = [
    ...[0, 1, 2, 3, 4, 5, 7, 8].map((c): [number, number] => [8, c]),
    [7, 8],
    ...[5, 4, 3, 2, 1, 0].map((r): [number, number] => [r, 8]),
  ];
  for (const [r, c] of formatCells) format = (format << 1) | mod(r, c);
  const data5 = (format ^ 0x5412) >> 10;
  const level = (['M', 'L', 'H', 'Q'] as const)[data5 >> 3] ?? 'M';
  const mask = MASKS[data5 & 7] as (i: number, j: number) => boolean;

  const fn: boolean[][] = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  const mark = (r0: number, c0: number, h: number, w: number) => {
    for (let r = r0; r < r0 + h; r++) {
      const row = fn[r];
      if (row) for (let c = c0; c < c0 + w; c++) row[c] = true;
    }
  };
  mark(0, 0, 9, 9);
  mark(0, n - 8, 9, 8);
  mark(n - 8, 0, 8, 9);
  mark(6, 0, 1, n);
  mark(0, 6, n, 1);
  if (version >= 2) mark(n - 9, n - 9, 5, 5);

  const bits: number[] = [];
  let upward = true;
  for (let col = n - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (let k = 0; k < n; k++) {
      const r = upward ? n - 1 - k : k;
      for (const c of [col, col - 1]) {
        if (fn[r]?.[c]) continue;
        bits.push(mod(r, c) ^ (mask(r, c) ? 1 : 0));
      }
    }
    upward = !upward;
  }
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8)
    codewords.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));

  const blocks = ecTable[['L', 'M', 'Q', 'H'].indexOf(level)] as Blocks;
  const sizes = blocks[1].flatMap(([count, size]) => Array<number>(count).fill(size));
  const perBlock: number[][] = sizes.map(() => []);
  let p = 0;
  for (let i = 0; i < Math.max(...sizes); i++) {
    sizes.forEach((size, b) => {
      if (i < size) perBlock[b]?.push(codewords[p++] ?? 0);
    });
  }
  return { text: parseSegments(perBlock.flat()), version, level, cell };
}

function parseSegments(data: number[]): string {
  const bits = data.flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((s) => (byte >> s) & 1));
  let pos = 0;
  const take = (k: number) => {
    let v = 0;
    for (let i = 0; i < k; i++) v = (v << 1) | (bits[pos++] ?? 0);
    return v;
  };
  let text = '';
  while (pos + 4 <= bits.length) {
    const mode = take(4);
    if (mode === 0) break;
    if (mode === 1) {
      let count = take(10);
      for (; count >= 3; count -= 3) text += String(take(10)).padStart(3, '0');
      if (count === 2) text += String(take(7)).padStart(2, '0');
      if (count === 1) text += String(take(4));
    } else if (mode === 2) {
      let count = take(9);
      for (; count >= 2; count -= 2) {
        const v = take(11);
        text += (ALPHANUMERIC[Math.floor(v / 45)] ?? '?') + (ALPHANUMERIC[v % 45] ?? '?');
      }
      if (count === 1) text += ALPHANUMERIC[take(6)] ?? '?';
    } else if (mode === 4) {
      const count = take(8);
      const bytes: number[] = [];
      for (let i = 0; i < count; i++) bytes.push(take(8));
      text += Buffer.from(bytes).toString('utf8');
    } else if (mode === 7) {
      take(8);
    } else {
      throw new Error(`unsupported QR segment mode ${mode}`);
    }
  }
  return text;
}
