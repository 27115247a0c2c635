import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  checkHeader,
  parseStatementLine,
  type StatementError,
  type StatementRow,
} from '../reports/unionpay-statement.ts';

/** A credit-card repayment as HQ recorded it (`kiosk-hq` fetches them with the `repayments` action). */
export interface HqRepayment {
  station: string;
  /** The terminal bound to the station (null: none bound). */
  terminal: string | null;
  serial: string;
  day: string;
  amountFen: number;
  /** HQ's status; only `ok` repayments are expected on the UnionPay statement. */
  status: string;
  ref: string;
}

export type DifferenceKind = 'missing-at-hq' | 'missing-at-unionpay' | 'amount-differs';

export interface Difference {
  kind: DifferenceKind;
  date: string;
  terminal: string | null;
  serial: string;
  station: string | null;
  /** Statement line (null when only HQ has it). */
  line: number | null;
  unionpayFen: number | null;
  hqFen: number | null;
  /** HQ's status when it holds the repayment but not as completed. */
  hqStatus: string | null;
}

export interface StatementCheck {
  rows: number;
  /** First and last business date on the statement (null when it has no row). */
  from: string | null;
  to: string | null;
  errors: StatementError[];
  /** Errors beyond those listed (the list stops at `maxErrors`). */
  moreErrors: number;
}

/** Lines of a file with their numbers (from 1), streamed: memory does not grow with the file. */
async function* numberedLines(path: string): AsyncGenerator<{ text: string; line: number }> {
  const rl = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of rl) yield { text, line: ++line };
}

/** The rows of a statement that `checkStatement` found valid (blank lines are skipped). */
export async function* statementRows(path: string): AsyncGenerator<StatementRow> {
  for await (const { text, line } of numberedLines(path)) {
    if (line === 1 || text.trim() === '') continue;
    const r = parseStatementLine(text, line);
    if (r.row) yield r.row;
  }
}

/**
 * Reads the whole statement once and lists every error by line and field (up to `maxErrors`, then
 * counts the rest); an empty file, or one with only a header, is an error too.
 */
export async function checkStatement(path: string, maxErrors = 10_000): Promise<StatementCheck> {
  const out: StatementCheck = { rows: 0, from: null, to: null, errors: [], moreErrors: 0 };
  const add = (errs: readonly StatementError[]) => {
    for (const e of errs) {
      if (out.errors.length < maxErrors) out.errors.push(e);
      else out.moreErrors++;
    }
  };
  let lines = 0;
  for await (const { text, line } of numberedLines(path)) {
    lines = line;
    if (line === 1) {
      add(checkHeader(text));
      continue;
    }
    if (text.trim() === '') continue;
    const r = parseStatementLine(text, line);
    if (r.errors) {
      add(r.errors);
      continue;
    }
    out.rows++;
    if (out.from === null || r.row.date < out.from) out.from = r.row.date;
    if (out.to === null || r.row.date > out.to) out.to = r.row.date;
  }
  if (lines === 0) add([{ line: 1, field: 'file', zh: '文件为空', en: 'the file is empty' }]);
  else if (out.rows === 0 && out.errors.length === 0)
    add([{ line: 2, field: 'file', zh: '文件没有交易行', en: 'the file has no repayment lines' }]);
  return out;
}

export interface ReconcileSummary {
  matched: number;
  missingAtHq: number;
  missingAtUnionpay: number;
  amountDiffers: number;
}

/**
 * Matches a checked statement against HQ's repayments of the same dates by terminal and serial:
 * every difference goes to `onDiff` as it is found (the caller writes them out), so only HQ's
 * records are held in memory, never the statement.
 */
export async function reconcileStatement(
  path: string,
  hq: readonly HqRepayment[],
  onDiff: (d: Difference) => void | Promise<void>,
): Promise<ReconcileSummary> {
  const key = (terminal: string | null, serial: string) => `${terminal ?? '-'}|${serial}`;
  const byKey = new Map(hq.map((r) => [key(r.terminal, r.serial), r]));
  const seen = new Set<string>();
  const sum: ReconcileSummary = { matched: 0, missingAtHq: 0, missingAtUnionpay: 0, amountDiffers: 0 };
  for await (const row of statementRows(path)) {
    const k = key(row.terminal, row.serial);
    const mine = byKey.get(k);
    const base = {
      date: row.date,
      terminal: row.terminal,
      serial: row.serial,
      line: row.line,
      unionpayFen: row.amountFen,
    };
    if (mine?.status !== 'ok') {
      sum.missingAtHq++;
      if (mine) seen.add(k);
      await onDiff({
        ...base,
        kind: 'missing-at-hq',
        station: mine?.station ?? null,
        hqFen: mine?.amountFen ?? null,
        hqStatus: mine?.status ?? null,
      });
      continue;
    }
    seen.add(k);
    if (mine.amountFen !== row.amountFen) {
      sum.amountDiffers++;
      await onDiff({
        ...base,
        kind: 'amount-differs',
        station: mine.station,
        hqFen: mine.amountFen,
        hqStatus: null,
      });
    } else sum.matched++;
  }
  for (const r of hq) {
    const k = key(r.terminal, r.serial);
    if (r.status !== 'ok' || seen.has(k)) continue;
    sum.missingAtUnionpay++;
    await onDiff({
      kind: 'missing-at-unionpay',
      date: r.day,
      terminal: r.terminal,
      serial: r.serial,
      station: r.station,
      line: null,
      unionpayFen: null,
      hqFen: r.amountFen,
      hqStatus: null,
    });
  }
  return sum;
}
