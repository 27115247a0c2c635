import { type Logger, pino } from 'pino';
import { maskDeep } from '../core/mask.ts';
import { type LogFormat, prettyStream, resolveLogFormat } from './pretty-log.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Where to write; stdout (journald) by default. */
  destination?: NodeJS.WritableStream;
  name?: string;
  /** JSON lines, readable lines, or `auto`: readable on a terminal, JSON elsewhere (default). */
  format?: LogFormat;
}

/**
 * Structured logger to stdout: JSON for journald and files, readable lines on a terminal (the same
 * records, formatted after masking). Every object logged passes through maskDeep, so a phone,
 * account or card number never reaches the log in full, whatever the caller passed.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.KIOSK_LOG_LEVEL ?? 'info',
      name: opts.name ?? 'kiosk',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        log: (obj) => maskDeep(obj) as Record<string, unknown>,
      },
      // maskDeep has already turned every Error into plain data (type, message, code, stack).
      serializers: { err: (e: unknown) => e },
    },
    destinationFor(opts),
  );
}

/** A logger that drops everything; for tests and CLI commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

function destinationFor(opts: LoggerOptions): pino.DestinationStream {
  const out = (opts.destination ?? process.stdout) as NodeJS.WritableStream & { isTTY?: boolean };
  if (resolveLogFormat(opts.format ?? 'auto', out) === 'pretty') {
    return prettyStream(out) as unknown as pino.DestinationStream;
  }
  return (opts.destination as pino.DestinationStream | undefined) ?? pino.destination({ fd: 1, sync: false });
}
