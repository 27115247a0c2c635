import { KioskError } from '../../core/errors.ts';

/** What a JSON value is, in words, for an error message. */
function kindOf(body: unknown): { zh: string; en: string } {
  if (body === null) return { zh: 'null', en: 'null' };
  if (Array.isArray(body)) return { zh: '数组', en: 'an array' };
  switch (typeof body) {
    case 'boolean':
      return { zh: '布尔值', en: 'a boolean' };
    case 'number':
      return { zh: '数字', en: 'a number' };
    case 'string':
      return { zh: '字符串', en: 'a string' };
    default:
      return { zh: typeof body, en: typeof body };
  }
}

/**
 * The JSON body of a request as an object of fields. No body at all is an empty object; any
 * other JSON value (`true`, `1`, `"x"`, `null`, an array) is refused with KIOSK_E_INVALID_INPUT
 * on the field `body` (HTTP 400), before anything else looks at it.
 */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    return body as Record<string, unknown>;
  }
  const kind = kindOf(body);
  throw new KioskError('KIOSK_E_INVALID_INPUT', {
    field: 'body',
    zh: `请求内容应为 JSON 对象，收到的是${kind.zh}`,
    en: `the request body must be a JSON object, not ${kind.en}`,
  });
}
