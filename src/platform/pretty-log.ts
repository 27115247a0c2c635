import { Writable } from 'node:stream';

/** How log lines are written: one JSON object a line, readable lines, or chosen by the output. */
export type LogFormat = 'json' | 'pretty' | 'auto';

const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const COLOURS: Readonly<Record<number, string>> = {
  10: '\x1b[90m',
  20: '\x1b[36m',
  30: '\x1b[32m',
  40: '\x1b[33m',
  50: '\x1b[31m',
  60: '\x1b[35m',
};
/** Fields every line carries; not repeated after the message. */
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);

/**
 * Picks the format for an output: JSON under systemd (journald sets JOURNAL_STREAM) and wherever the
 * output is not a terminal (files, pipes, log collectors); readable lines on a terminal.
 */
export function resolveLogFormat(
  format: LogFormat,
  out: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  if (env.JOURNAL_STREAM || env.INVOCATION_ID) return 'json';
  return out.isTTY ? 'pretty' : 'json';
}

/**
 * Turns one JSON log line (already masked by the logger) into `HH:MM:SS.mmm LEVEL [name] message
 * key=value …`. A line that is not JSON is passed through unchanged.
 */
export function formatLogLine(line: string, colour = false): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof rec.level === 'number' ? rec.level : 30;
  const time = typeof rec.time === 'string' ? rec.time.slice(11, 23) : '';
  const tag = LEVELS[level] ?? String(level);
  const head = colour ? `${COLOURS[level] ?? ''}${tag}\x1b[0m` : tag;
  const name = typeof rec.name === 'string' ? ` [${rec.name}]` : '';
  const rest: string[] = [];
  let stack = '';
  for (const [k, v] of Object.entries(rec)) {
    if (OMIT.has(k) || v === undefined) continue;
    if (k === 'err' && v && typeof v === 'object' && 'stack' in v && typeof v.stack === 'string') {
      stack = `\n    ${v.stack.split('\n').join('\n    ')}`;
      const { stack: _s, ...brief } = v as Record<string, unknown>;
      rest.push(`${k}=${JSON.stringify(brief)}`);
      continue;
    }
    rest.push(`${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  }
  const msg = typeof rec.msg === 'string' ? rec.msg : '';
  return `${time} ${head}${name} ${msg}${rest.length ? `  ${rest.join(' ')}` : ''}${stack}`;
}

/** A stream that writes pino's JSON lines to `out` as readable lines. */
export function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean }): Writable {
  let pending = '';
  const colour = out.isTTY === true && !process.env.NO_COLOR;
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const text = lines
        .filter((l) => l.length > 0)
        .map((l) => `${formatLogLine(l, colour)}\n`)
        .join('');
      if (text) out.write(text);
      done();
    },
    final(done) {
      if (pending) out.write(`${formatLogLine(pending, colour)}\n`);
      done();
    },
  });
}
