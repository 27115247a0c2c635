import { type Logger, pino } from 'pino';
import { maskDeep } from '../core/mask.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Where to write; stdout (journald) by default. */
  destination?: NodeJS.WritableStream;
  name?: string;
}

/**
 * Structured JSON logger to stdout for journald. Every object logged passes through maskDeep, so a
 * phone, account or card number never reaches the log in full, whatever the caller passed.
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
    (opts.destination as pino.DestinationStream | undefined) ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that drops everything; for tests and CLI commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
