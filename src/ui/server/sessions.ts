import { randomBytes } from 'node:crypto';
import { addDays, businessDate, businessDayStart } from '../../core/business-day.ts';
import type { Clock } from '../../core/clock.ts';
import { KioskError } from '../../core/errors.ts';
import type { OperatorRole } from '../../operators/operators.ts';

/** Longest life of an operator session, ms. */
export const SESSION_MAX_MS = 8 * 60 * 60 * 1000;

export interface Session {
  token: string;
  code: string;
  name: string;
  role: OperatorRole;
  createdAt: number;
  /** Epoch ms: 8 hours after login or the next day cut (日切), whichever comes first. */
  expiresAt: number;
}

/**
 * Operator sessions of the local API: random bearer tokens held in memory only (a restart logs
 * everyone out). A session ends 8 hours after login or at the next day cut, whichever is first,
 * so nobody carries a login across business dates.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly dayCut: () => string,
  ) {}

  open(op: { code: string; name: string; role: OperatorRole }): Session {
    this.sweep();
    const now = this.clock.now();
    const cut = this.dayCut();
    const nextCut = businessDayStart(addDays(businessDate(now, cut), 1), cut);
    const session: Session = {
      token: randomBytes(32).toString('base64url'),
      code: op.code,
      name: op.name,
      role: op.role,
      createdAt: now,
      expiresAt: Math.min(now + SESSION_MAX_MS, nextCut),
    };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session of a token; throws KIOSK_E_AUTH_FAILED (field `token`) otherwise. */
  require(token: string): Session {
    const s = this.sessions.get(token);
    if (s && s.expiresAt > this.clock.now()) return s;
    if (s) this.sessions.delete(token);
    throw new KioskError('KIOSK_E_AUTH_FAILED', {
      field: 'token',
      zh: '登录已过期或无效，请重新登录',
      en: 'the session has expired or is not valid; log in again',
    });
  }

  close(token: string): boolean {
    return this.sessions.delete(token);
  }

  get size(): number {
    this.sweep();
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [t, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(t);
  }
}
