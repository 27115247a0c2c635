export function out(json: boolean | undefined, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/** Aligned columns; CJK characters count as two. */
export function table(headers: string[], rows: Array<Array<string | number | null>>): string {
  const w = (s: string): number => [...s].reduce((n, c) => n + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => w(r[i] ?? ''))));
  return cells
    .map((r) =>
      r
        .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - w(c)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const yuan = (fen: number): string =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

export function ago(ms: number | null, now: number): string {
  if (!ms) return '-';
  const s = Math.round((now - ms) / 1000);
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
}
