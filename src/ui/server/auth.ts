import type { FastifyRequest } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { Actor } from '../../core/transaction/machine.ts';
import type { Session, SessionStore } from './sessions.ts';

export interface RequestAuth {
  actor: Actor;
  session: Session | null;
}

/**
 * The bearer token of a request: the Authorization header, or, for the event stream only (a
 * browser's EventSource cannot set headers), the `access_token` query parameter.
 */
function tokenOf(req: FastifyRequest, allowQuery: boolean): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
    if (!m) {
      throw new KioskError('KIOSK_E_AUTH_FAILED', {
        field: 'token',
        zh: '登录凭据格式有误',
        en: 'the Authorization header must be "Bearer <token>"',
      });
    }
    return m[1];
  }
  if (allowQuery) {
    const q = (req.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof q === 'string' && q.length > 0) return q;
  }
  return undefined;
}

/**
 * Who is asking. No token means a customer on their own (self-service, limited by the engine and
 * the configuration); a token must belong to a live session, or the request is refused (it is
 * never quietly downgraded to self-service).
 */
export function authOf(req: FastifyRequest, sessions: SessionStore, allowQuery = false): RequestAuth {
  const token = tokenOf(req, allowQuery);
  if (token === undefined) return { actor: { channel: 'self' }, session: null };
  const session = sessions.require(token);
  return { actor: { channel: 'operator', code: session.code, role: session.role }, session };
}

/** The operator session of a request that needs one; KIOSK_E_AUTH_FAILED (401) without it. */
export function requireOperator(req: FastifyRequest, sessions: SessionStore, allowQuery = false): Session {
  const { session } = authOf(req, sessions, allowQuery);
  if (!session) {
    throw new KioskError('KIOSK_E_AUTH_FAILED', {
      field: 'token',
      zh: '需要操作员登录',
      en: 'operator login required',
    });
  }
  return session;
}
