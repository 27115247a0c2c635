import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  checkHeader,
  parseStatementLine,
  type StatementError,
  type StatementRow,
} from '../reports/unionpay-statement.ts';

/**
 * Where a statement is read from: a path the caller chose (the command lines), or a function that
 * opens it afresh for each pass (the statements folder, which opens without following links).
 */
export type StatementSource = string | (() => Promise<Readable>);

export interface StatementCheck {
  rows: number;
  /** First and last business date on the statement (null when it has no row). */
  from: string | null;
  to: string | null;
  /** Sum of the statement's amounts, fen. */
  totalFen: number;
  errors: StatementError[];
  /** Errors beyond those listed (the list stops at `maxErrors`). */
  moreErrors: number;
}

export interface CheckOptions {
  /** Errors listed before the rest are only counted. */
  maxErrors?: number;
  /** Largest statement read, bytes: the line that passes it is refused and reading stops. */
  maxBytes?: number;
}

async function open(source: StatementSource): Promise<Readable> {
  return typeof source === 'string' ? createReadStream(source) : source();
}

/**
 * Lines of a statement with their numbers (from 1) and sizes in bytes, streamed (LF or CRLF ends).
 * With `maxBytes`, reading stops once the file passed it, so a file without line ends never fills
 * memory, and a last line of infinite size stands for the rest.
 */
async function* numberedLines(
  source: StatementSource,
  maxBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<{ text: string; line: number; bytes: number }> {
  const input = await open(source);
  const decoder = new TextDecoder('utf-8');
  let used = 0;
  let line = 0;
  let partial = '';
  const tooLarge = { text: '', line: 0, bytes: Number.POSITIVE_INFINITY };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const parts = (partial + decoder.decode(chunk, { stream: true })).split('\n');
      partial = parts.pop() ?? '';
      for (const raw of parts) {
        const bytes = Buffer.byteLength(raw, 'utf8') + 1;
        used += bytes;
        if (used > maxBytes) {
          yield { ...tooLarge, line: line + 1 };
          return;
        }
        yield { text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, line: ++line, bytes };
      }
      if (used + partial.length > maxBytes) {
        yield { ...tooLarge, line: line + 1 };
        return;
      }
    }
    partial += decoder.decode();
    if (partial !== '')
      yield {
        text: partial.endsWith('\r') ? partial.slice(0, -1) : partial,
        line: ++line,
        bytes: Buffer.byteLength(partial),
      };
  } finally {
    input.destroy();
  }
}

/** The rows of a statement that `checkStatement` found valid (blank lines are skipped). */
export async function* statementRows(source: StatementSource): AsyncGenerator<StatementRow> {
  for await (const { text, line } of numberedLines(source)) {
    if (line === 1 || text.trim() === '') continue;
    const r = parseStatementLine(text, line);
    if (r.row) yield r.row;
  }
}

/**
 * Reads the whole statement once and lists every error by line and field (up to `maxErrors`, then
 * counts the rest); an empty file, or one with only a header, is an error too, and so is a file
 * larger than `maxBytes` (named by the line that passes the limit; nothing after it is read).
 */
export async function checkStatement(
  source: StatementSource,
  opts: CheckOptions = {},
): Promise<StatementCheck> {
  const maxErrors = opts.maxErrors ?? 10_000;
  const out: StatementCheck = { rows: 0, from: null, to: null, totalFen: 0, errors: [], moreErrors: 0 };
  const add = (errs: readonly StatementError[]) => {
    for (const e of errs) {
      if (out.errors.length < maxErrors) out.errors.push(e);
      else out.moreErrors++;
    }
  };
  let lines = 0;
  let bytes = 0;
  for await (const l of numberedLines(source, opts.maxBytes)) {
    lines = l.line;
    bytes += l.bytes;
    if (opts.maxBytes !== undefined && bytes > opts.maxBytes) {
      add([
        {
          line: l.line,
          field: 'file',
          zh: `文件过大：第 ${l.line} 行超出 ${opts.maxBytes} 字节的上限`,
          en: `the file is too large: line ${l.line} passes the limit of ${opts.maxBytes} bytes`,
        },
      ]);
      return out;
    }
    if (l.line === 1) {
      add(checkHeader(l.text));
      continue;
    }
    if (l.text.trim() === '') continue;
    const r = parseStatementLine(l.text, l.line);
    if (r.errors) {
      add(r.errors);
      continue;
    }
    out.rows++;
    out.totalFen += r.row.amountFen;
    if (out.from === null || r.row.date < out.from) out.from = r.row.date;
    if (out.to === null || r.row.date > out.to) out.to = r.row.date;
  }
  if (lines === 0) add([{ line: 1, field: 'file', zh: '文件为空', en: 'the file is empty' }]);
  else if (out.rows === 0 && out.errors.length === 0)
    add([{ line: 2, field: 'file', zh: '文件没有交易行', en: 'the file has no repayment lines' }]);
  return out;
}
