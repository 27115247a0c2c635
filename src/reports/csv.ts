/**
 * CSV for spreadsheet programs: UTF-8 with a byte-order mark (so Chinese opens correctly), CRLF
 * line ends, every cell quoted when it holds a comma, quote or line break. A cell that a spreadsheet
 * would run as a formula (= + @, tab, CR) is prefixed with ' so an export never executes anything;
 * a signed amount such as -5.00 is left as it is.
 */
export const BOM = '\uFEFF';

export type Cell = string | number | null | undefined;

export function csvCell(v: Cell): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+@\t\r]/.test(s) || (/^-/.test(s) && !/^-\d+(\.\d+)?$/.test(s))) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const lines = [headers, ...rows].map((r) => r.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
