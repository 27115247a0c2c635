import { isKioskError, KioskValidationError } from '../core/errors.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';

export interface OutputOptions {
  json?: boolean;
}

export function printJson(data: unknown): void {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

/** A simple aligned table for people; CJK characters count as two columns. */
export function printTable(headers: string[], rows: Array<Array<string | number>>): void {
  const width = (s: string): number => [...s].reduce((w, c) => w + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => width(r[i] ?? ''))));
  for (const r of cells) {
    process.stdout.write(
      `${r
        .map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c)))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

/** Prints an error (bilingual, every field listed) and returns the exit code for it. */
export function reportError(e: unknown, opts: OutputOptions = {}): number {
  if (isKioskError(e)) {
    if (opts.json) process.stdout.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
    const lines = e instanceof KioskValidationError ? e.issues.map((i) => i.message) : [e.message];
    for (const l of lines) process.stderr.write(`错误 error: ${l}\n`);
    return exitCodeFor(e.code);
  }
  process.stderr.write(`错误 error: ${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT.FAILURE;
}
