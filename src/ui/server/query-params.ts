import type { FastifyRequest } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { parseYyyymmdd } from '../../reports/time-window.ts';
import type { ServerContext } from './context.ts';

/** Reads query parameters as single strings; a repeated parameter is refused naming it. */
export function queryOf(req: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', { field: k, zh: '参数重复', en: 'given more than once' });
    }
    out[k] = typeof v === 'string' ? v : undefined;
  }
  return out;
}

export function optDate(q: Record<string, string | undefined>, name = 'date'): string | undefined {
  const v = q[name];
  return v === undefined || v === '' ? undefined : parseYyyymmdd(v, name);
}

/** A service filter must name a service this kiosk knows. */
export function optService(ctx: ServerContext, q: Record<string, string | undefined>): string | undefined {
  const v = q.service;
  if (v === undefined || v === '') return undefined;
  if (!ctx.kiosk.services.has(v)) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'service',
      zh: `未知业务：${v}`,
      en: `unknown service: ${v}`,
    });
  }
  return v;
}

export function optLimit(q: Record<string, string | undefined>, fallback: number, max = 1000): number {
  const v = q.limit;
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'limit',
      zh: `条数应为 1 至 ${max}`,
      en: `limit must be 1 to ${max}`,
    });
  }
  return Number(v);
}

export function optBool(q: Record<string, string | undefined>, name: string): boolean {
  const v = q[name];
  if (v === undefined || v === '' || v === 'true' || v === '1') return v !== undefined;
  if (v === 'false' || v === '0') return false;
  throw new KioskError('KIOSK_E_INVALID_INPUT', {
    field: name,
    zh: '应为 true 或 false',
    en: 'must be true or false',
  });
}
