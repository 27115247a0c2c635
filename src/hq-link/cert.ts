import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CertStatus } from '../protocol/schemas/index.ts';

const DAY_MS = 86_400_000;

/** Expiry of a PEM certificate file; null when there is none. */
export async function readCertExpiry(path: string | null): Promise<number | null> {
  if (!path) return null;
  const pem = await readFile(path, 'utf8');
  return new Date(new X509Certificate(pem).validTo).getTime();
}

/** Days left (fractional, may be negative) and whether to warn. Pure. */
export function certStatus(notAfter: number | null, now: number, warnDays: number): CertStatus {
  if (notAfter === null) return { notAfter: null, daysLeft: null, warn: false };
  const daysLeft = Math.floor(((notAfter - now) / DAY_MS) * 10) / 10;
  return { notAfter, daysLeft, warn: daysLeft < warnDays };
}
