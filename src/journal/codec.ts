import { crc32 } from 'node:zlib';
import type { z } from 'zod';

/**
 * Stored value format: 8 hex digits of CRC-32 over the JSON text, then the JSON text. A value that
 * fails the checksum or does not parse is corruption, reported with its key and never skipped.
 */
export function encodeValue(body: unknown): string {
  const json = JSON.stringify(body);
  return `${crc32(json).toString(16).padStart(8, '0')}${json}`;
}

/** The JSON text of a stored value (after its checksum), unchecked: for values this process wrote. */
export function jsonOf(value: string): string {
  return value.slice(8);
}

export class CorruptRecordError extends Error {
  constructor(
    readonly key: string,
    readonly why: 'checksum' | 'decode',
    detail: string,
  ) {
    super(`${key}: ${why === 'checksum' ? 'checksum mismatch' : 'cannot decode'} (${detail})`);
    this.name = 'CorruptRecordError';
  }
}

export function decodeValue<T>(key: string, value: string): T {
  if (value.length < 9) throw new CorruptRecordError(key, 'decode', 'value too short');
  const sum = value.slice(0, 8);
  const json = value.slice(8);
  const actual = crc32(json).toString(16).padStart(8, '0');
  if (sum !== actual) throw new CorruptRecordError(key, 'checksum', `stored ${sum}, computed ${actual}`);
  try {
    return JSON.parse(json) as T;
  } catch (e) {
    throw new CorruptRecordError(key, 'decode', (e as Error).message);
  }
}

/**
 * Decodes a stored value and parses it with the schema of the record kept under `key`. A value that
 * fails the checksum, does not parse as JSON or does not match the schema is a CorruptRecordError
 * naming `key`; the result is the schema's output.
 */
export function decodeParsed<S extends z.ZodType>(key: string, value: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(decodeValue<unknown>(key, value));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new CorruptRecordError(key, 'decode', `not a valid record: ${issues.join('; ')}`);
}
