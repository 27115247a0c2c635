import { z } from 'zod';
import { KioskError, KioskValidationError } from '../errors.ts';
import type { FieldMeta } from './types.ts';

/**
 * A service's fields limited to `names` (unknown names are left out), strict like the whole: the
 * fields an inquiry asks, or an action asks to be entered again.
 */
export function pickFields(schema: z.ZodObject, names: readonly string[]): z.ZodObject {
  const shape = schema.shape;
  return z.strictObject(
    Object.fromEntries(names.filter((n) => Object.hasOwn(shape, n)).map((n) => [n, shape[n] as z.ZodType])),
  );
}

/**
 * Validates a service's input in one pass. Every problem becomes a KioskError whose `field` is the
 * field's key and whose message names the field in Chinese and English. Throws
 * KioskValidationError (KIOSK_E_INVALID_INPUT) listing all of them; returns the parsed fields.
 */
export function validateInput<S extends z.ZodObject>(
  schema: S,
  meta: Record<string, FieldMeta>,
  input: unknown,
): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const errors: KioskError[] = [];
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push(
          new KioskError('KIOSK_E_INVALID_INPUT', { field: key, zh: '不支持的输入项', en: 'unknown field' }),
        );
      }
      continue;
    }
    const field = issue.path.map(String).join('.') || '(input)';
    const label = meta[field.split('.')[0] ?? ''] ?? { zh: field, en: field };
    const params = (issue as { params?: { zh?: string; en?: string } }).params;
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    const zh = missing ? '必须填写' : (params?.zh ?? '格式不正确');
    const en = missing ? 'is required' : (params?.en ?? issue.message);
    errors.push(
      new KioskError('KIOSK_E_INVALID_INPUT', { field, zh: `${label.zh}：${zh}`, en: `${label.en}: ${en}` }),
    );
  }
  throw new KioskValidationError('KIOSK_E_INVALID_INPUT', errors);
}
