import { z } from 'zod';
import { KioskError, KioskValidationError } from '../errors.ts';
import type { FieldMeta, FieldsSchema } from './types.ts';

/**
 * A service's fields limited to `names` (unknown names are left out), strict like the whole: the
 * fields an inquiry asks, or an action asks to be entered again.
 */
export function pickFields(schema: FieldsSchema, names: readonly string[]): FieldsSchema {
  const shape = schema.shape;
  const picked: FieldsSchema['shape'] = {};
  for (const n of names) {
    const field = Object.hasOwn(shape, n) ? shape[n] : undefined;
    if (field) picked[n] = field;
  }
  return z.strictObject(picked);
}

/**
 * Validates a service's input in one pass. Every problem becomes a KioskError whose `field` is the
 * field's key and whose message names the field in Chinese and English. Throws
 * KioskValidationError (KIOSK_E_INVALID_INPUT) listing all of them; returns the parsed fields.
 */
export function validateInput<S extends FieldsSchema>(
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
    // A field's own refusal (fields.ts) carries its bilingual reason in a custom issue's params.
    const params = issue.code === 'custom' ? issue.params : undefined;
    const said = (lang: 'zh' | 'en'): string | undefined =>
      typeof params?.[lang] === 'string' ? params[lang] : undefined;
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    const zh = missing ? '必须填写' : (said('zh') ?? '格式不正确');
    const en = missing ? 'is required' : (said('en') ?? issue.message);
    errors.push(
      new KioskError('KIOSK_E_INVALID_INPUT', { field, zh: `${label.zh}：${zh}`, en: `${label.en}: ${en}` }),
    );
  }
  throw new KioskValidationError('KIOSK_E_INVALID_INPUT', errors);
}
