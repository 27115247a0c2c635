import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isKioskError, KioskError } from '../../core/errors.ts';
import { maskDeep, maskDigitRunsDeep } from '../../core/mask.ts';
import type { Logger } from '../../platform/logger.ts';
import { maskKnown } from '../../reports/mask-txn.ts';
import { secretsOfRequest } from './masking.ts';

/** HTTP status for each error code. Refusals are 4xx; a kiosk that cannot sell right now is 503. */
const STATUS: Readonly<Record<ErrorCode, number>> = {
  KIOSK_E_INVALID_INPUT: 400,
  KIOSK_E_INVALID_AMOUNT: 400,
  KIOSK_E_CONFIG: 400,
  KIOSK_E_UNKNOWN_SERVICE: 404,
  KIOSK_E_NOT_FOUND: 404,
  KIOSK_E_AUTH_FAILED: 401,
  KIOSK_E_FORBIDDEN: 403,
  KIOSK_E_SERVICE_DISABLED: 403,
  KIOSK_E_SERVICE_UNAVAILABLE: 503,
  KIOSK_E_SELF_SERVICE_LIMIT: 403,
  KIOSK_E_OPERATOR_LOCKED: 423,
  KIOSK_E_OPERATOR_EXISTS: 409,
  KIOSK_E_OPERATOR_UNKNOWN: 404,
  KIOSK_E_ACTION_NOT_ALLOWED: 409,
  KIOSK_E_INSUFFICIENT_BALANCE: 409,
  KIOSK_E_SAFE_MODE: 503,
  KIOSK_E_JOURNAL_WRITE: 503,
  KIOSK_E_JOURNAL_CORRUPT: 503,
  KIOSK_E_JOURNAL_LOCKED: 503,
  KIOSK_E_JOURNAL_VERSION: 503,
  KIOSK_E_DATA_DIR: 503,
  KIOSK_E_TIMEOUT: 504,
  KIOSK_E_HQ_PROTOCOL: 502,
  KIOSK_E_PAYMENT_REQUIRED: 402,
  KIOSK_E_ORDER_NOT_FOUND: 404,
  KIOSK_E_ORDER_STATE: 409,
  KIOSK_E_INTERNAL: 500,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/**
 * Fastify's own request errors, with fixed bilingual messages. Their original messages can quote
 * the request body (and so a full phone number), so they are never passed on.
 */
const FASTIFY_ERRORS: Readonly<Record<string, { zh: string; en: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { zh: '请求内容不是有效的 JSON', en: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { zh: '请求内容为空', en: 'the request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { zh: '请求内容过大', en: 'the request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    zh: '请求内容类型不受支持，请使用 application/json',
    en: 'unsupported content type; send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { zh: '请求长度有误', en: 'bad content length' },
};

/** Turns anything thrown by a route into a KioskError; unexpected errors become KIOSK_E_INTERNAL. */
export function toKioskError(err: unknown): { error: KioskError; expected: boolean } {
  if (isKioskError(err)) return { error: err, expected: true };
  const f = err as Partial<FastifyError>;
  if (typeof f.code === 'string' && f.code.startsWith('FST_') && (f.statusCode ?? 500) < 500) {
    const msg = FASTIFY_ERRORS[f.code] ?? { zh: '请求有误', en: `bad request (${f.code})` };
    return { error: new KioskError('KIOSK_E_INVALID_INPUT', { field: 'body', ...msg }), expected: true };
  }
  return {
    error: new KioskError('KIOSK_E_INTERNAL', {
      zh: '内部错误，已记录',
      en: 'internal error; it has been logged',
    }),
    expected: false,
  };
}

/**
 * JSON body of an error answer: code, field, zh, en, message (and every issue for validation).
 * Errors echo what was sent, so besides the request's known numbers every long digit run is masked.
 */
export function errorBody(error: KioskError, secrets: ReadonlyArray<[string, string]> = []): unknown {
  return maskDigitRunsDeep(maskDeep(maskKnown(error.toJSON(), secrets)));
}

export function installErrorHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { error, expected } = toKioskError(err);
    if (!expected) logger.error({ err, method: req.method, url: req.routeOptions.url }, 'http error');
    return reply.status(statusFor(error.code)).send(errorBody(error, secretsOfRequest(req)));
  });
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    const error = new KioskError('KIOSK_E_NOT_FOUND', {
      field: 'path',
      zh: `没有这个接口：${req.method} ${path}`,
      en: `no such API route: ${req.method} ${path}`,
    });
    return reply.status(404).send(errorBody(error));
  });
}
