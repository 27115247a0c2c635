import { crc32 } from 'node:zlib';

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
