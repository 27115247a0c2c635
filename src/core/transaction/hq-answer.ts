import type { z } from 'zod';
import { KioskError } from '../errors.ts';

/** Most problems one refusal lists: a hostile answer could otherwise make the message huge. */
const MAX_PROBLEMS = 5;

/** Longest answer path named in a refusal, characters (keys come from HQ, so they are bounded). */
const MAX_PATH = 80;

export type ParsedAnswer<T> = { ok: true; answer: T } | { ok: false; problems: KioskError[] };

/**
 * Parses HQ's answer to a read-only question with the service's schema of that answer. Pure. Every
 * problem is HQ's protocol error (KIOSK_E_HQ_PROTOCOL) naming the answer's field as `answer.<path>`
 * (prefixed so that it is never taken for one of the customer's input fields), in Chinese and
 * English; values are never quoted, so nothing personal reaches the message.
 */
export function parseHqAnswer<A extends z.ZodType>(schema: A, data: unknown): ParsedAnswer<z.output<A>> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, answer: r.data };
  const problems: KioskError[] = [];
  for (const issue of r.error.issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push(protocolError([...at, key], '不应出现', 'is not part of the answer'));
      continue;
    }
    const [zh, en] =
      issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined
        ? ['缺失', 'is missing']
        : issue.code === 'invalid_type'
          ? ['类型有误', 'has the wrong type']
          : issue.code === 'too_big'
            ? ['过长', 'is too long']
            : ['格式有误', 'is malformed'];
    problems.push(protocolError(at, zh, en));
  }
  return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
}

function protocolError(path: readonly string[], zh: string, en: string): KioskError {
  const field = ['answer', ...path].join('.').slice(0, MAX_PATH);
  return new KioskError('KIOSK_E_HQ_PROTOCOL', {
    field,
    zh: `总部应答有误：${field} ${zh}，请稍后重试（未扣款）`,
    en: `HQ's answer is malformed: ${field} ${en}; try again later (nothing was charged)`,
  });
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Object.hasOwn(v, k) ? Reflect.get(v, k) : undefined;
  }
  return v;
}
