import type { z } from 'zod';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import { configSchema, type KioskConfig } from './schema.ts';

/** Dotted key path as written in a config file: `selfService.perService.mobile-topup`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** Turns every zod issue into a bilingual field error. */
export function zodIssuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  code: 'KIOSK_E_CONFIG' | 'KIOSK_E_INVALID_INPUT',
  prefix = '',
): KioskError[] {
  const out: KioskError[] = [];
  for (const issue of issues) {
    const base = issuePath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = `${prefix}${base ? `${base}.` : ''}${key}`;
        out.push(new KioskError(code, { field, zh: '未知配置项', en: 'unknown key' }));
      }
      continue;
    }
    const field = `${prefix}${base}` || '(root)';
    const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
    out.push(
      new KioskError(code, {
        field,
        zh: missing ? '缺少必填项' : `取值无效（${issue.message}）`,
        en: missing ? 'required' : issue.message,
      }),
    );
  }
  return out;
}

/** Validates a merged config object; throws KioskValidationError listing every problem. */
export function validateConfig(raw: unknown): KioskConfig {
  const r = configSchema.safeParse(raw);
  if (!r.success)
    throw new KioskValidationError('KIOSK_E_CONFIG', zodIssuesToErrors(r.error.issues, 'KIOSK_E_CONFIG'));
  return r.data;
}
