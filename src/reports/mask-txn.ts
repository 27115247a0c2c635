import { maskDeep, maskValue, SENSITIVE_KEYS, type SensitiveKind } from '../core/mask.ts';
import type { ServiceDefinition } from '../core/transaction/types.ts';

/** Finds a service definition by id; `undefined` for records of a service this build no longer has. */
export type ServiceLookup = (id: string) => ServiceDefinition | undefined;

/** The masking kind of a field: the service's own declaration wins, then the shared key list. */
export function sensitiveKindOf(
  def: ServiceDefinition | undefined,
  field: string,
): SensitiveKind | undefined {
  return def?.fieldMeta[field]?.sensitive ?? SENSITIVE_KEYS[field];
}

/** Masks the sensitive values of a service's input fields (unknown fields are left as they are). */
export function maskFields(
  def: ServiceDefinition | undefined,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    const kind = sensitiveKindOf(def, k);
    out[k] = kind && typeof v === 'string' ? maskValue(kind, v) : v;
  }
  return out;
}

/**
 * The full values of the sensitive fields paired with their masked forms, longest first. Values
 * shorter than 4 characters are skipped: replacing them inside other text would mangle it.
 */
export function secretsOf(
  def: ServiceDefinition | undefined,
  fields: Record<string, unknown>,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(fields)) {
    const kind = sensitiveKindOf(def, k);
    if (!kind || typeof v !== 'string' || v.length < 4) continue;
    const masked = maskValue(kind, v);
    if (masked !== v) pairs.push([v, masked]);
  }
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

/**
 * Deep copy of `value` with every occurrence of a known full number replaced by its masked form,
 * wherever it appears (inside biller answers, reasons, messages), and with the shared sensitive
 * keys masked. Pure.
 */
export function maskKnown(value: unknown, secrets: ReadonlyArray<[string, string]>): unknown {
  return maskDeep(replaceKnown(value, secrets));
}

/** Deep copy of `value` with every occurrence of a known full number replaced by its masked form. Pure. */
export function replaceKnown(value: unknown, secrets: ReadonlyArray<[string, string]>): unknown {
  return replaceSecrets(value, secrets, 0);
}

function replaceSecrets(value: unknown, secrets: ReadonlyArray<[string, string]>, depth: number): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') {
    let s = value;
    for (const [raw, masked] of secrets) if (s.includes(raw)) s = s.split(raw).join(masked);
    return s;
  }
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => replaceSecrets(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = replaceSecrets(v, secrets, depth + 1);
  return out;
}

/**
 * A record (transaction, order) as it may leave the kiosk's journal: its fields masked by the
 * service's declared sensitivity, and every other occurrence of those full values (inquiry
 * answers, biller data, reasons) replaced by the masked form. Pure.
 */
export function maskRecord<T extends { fields: Record<string, unknown> }>(
  def: ServiceDefinition | undefined,
  record: T,
): T {
  const secrets = secretsOf(def, record.fields);
  return maskKnown({ ...record, fields: maskFields(def, record.fields) }, secrets) as T;
}
