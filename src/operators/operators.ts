import type { KioskConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError } from '../core/errors.ts';
import { normaliseWidth } from '../core/money.ts';
import type { Journal } from '../journal/journal.ts';
import { operatorKey, prefixRange } from '../journal/keys.ts';
import { hashPassword, verifyPassword } from './password.ts';

export type OperatorRole = 'teller' | 'supervisor';

/** Stored under p:<code>. The hash never leaves this module (not in events, logs or `list`). */
export interface OperatorRecord {
  code: string;
  name: string;
  role: OperatorRole;
  passwordHash: string;
  failedAttempts: number;
  /** Epoch ms until which logins are refused; 0 when not locked. */
  lockedUntil: number;
  createdAt: number;
  updatedAt: number;
}

export type OperatorView = Omit<OperatorRecord, 'passwordHash'> & { locked: boolean };

export const ROLE_NAMES: Record<OperatorRole, { zh: string; en: string }> = {
  teller: { zh: '普通柜员', en: 'teller' },
  supervisor: { zh: '综合柜员', en: 'supervisor' },
};

/** 4 characters, letters and digits (操作员代码); stored upper-case. */
export function parseOperatorCode(input: string): string {
  const code = normaliseWidth(input).trim().toUpperCase();
  if (!/^[A-Z0-9]{4}$/.test(code)) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'code',
      zh: '操作员代码必须为4位字母或数字',
      en: 'operator code must be 4 letters or digits',
    });
  }
  return code;
}

export function checkPasswordFormat(password: string, field = 'password'): string {
  const p = normaliseWidth(password);
  if (!/^\d{6}$/.test(p))
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field,
      zh: '密码必须为6位数字',
      en: 'password must be 6 digits',
    });
  return p;
}

/**
 * Operators, their passwords and lockout. Every change is a durable journal commit with an
 * `operator` event (without the hash) so HQ sees logins, lockouts and changes.
 */
export class Operators {
  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly config: () => KioskConfig,
  ) {}

  async add(input: {
    code: string;
    name: string;
    role: OperatorRole;
    password: string;
  }): Promise<OperatorView> {
    const code = parseOperatorCode(input.code);
    const password = checkPasswordFormat(input.password);
    const name = input.name.trim();
    if (!name)
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'name',
        zh: '请填写姓名',
        en: 'name is required',
      });
    if (await this.find(code)) {
      throw new KioskError('KIOSK_E_OPERATOR_EXISTS', {
        field: 'code',
        zh: `操作员 ${code} 已存在`,
        en: `operator ${code} exists`,
      });
    }
    const now = this.clock.now();
    const rec: OperatorRecord = {
      code,
      name,
      role: input.role,
      passwordHash: await hashPassword(password),
      failedAttempts: 0,
      lockedUntil: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.save(rec, 'added');
    return view(rec, now);
  }

  async list(): Promise<OperatorView[]> {
    const now = this.clock.now();
    const out: OperatorView[] = [];
    for await (const [key] of this.journal.raw.iterator(prefixRange(operatorKey('')))) {
      const rec = await this.journal.getJson<OperatorRecord>(key);
      if (rec) out.push(view(rec, now));
    }
    return out;
  }

  /** Changes a password; `current` is required unless a supervisor resets it (`reset: true`). */
  async passwd(
    codeInput: string,
    next: string,
    opts: { current?: string; reset?: boolean } = {},
  ): Promise<void> {
    const rec = await this.require(parseOperatorCode(codeInput));
    const password = checkPasswordFormat(next, 'newPassword');
    if (!opts.reset) {
      if (opts.current === undefined || !(await verifyPassword(opts.current, rec.passwordHash))) {
        throw new KioskError('KIOSK_E_AUTH_FAILED', { field: 'password' });
      }
    }
    const now = this.clock.now();
    await this.save(
      {
        ...rec,
        passwordHash: await hashPassword(password),
        failedAttempts: 0,
        lockedUntil: 0,
        updatedAt: now,
      },
      opts.reset ? 'password-reset' : 'password-changed',
    );
  }

  /** Lifts a lockout (a supervisor's act): the failed-attempt count starts again from zero. */
  async unlock(codeInput: string): Promise<OperatorView> {
    const rec = await this.require(parseOperatorCode(codeInput));
    const now = this.clock.now();
    const next = { ...rec, failedAttempts: 0, lockedUntil: 0, updatedAt: now };
    await this.save(next, 'unlocked');
    return view(next, now);
  }

  /**
   * Checks a login. Wrong passwords count; the configured number in a row locks the code for the
   * configured minutes (5 and 15 by default). A locked code is refused even with the right password.
   */
  async login(codeInput: string, password: string): Promise<OperatorView> {
    const code = parseOperatorCode(codeInput);
    const rec = await this.find(code);
    const now = this.clock.now();
    if (!rec) throw new KioskError('KIOSK_E_AUTH_FAILED', { field: 'code' });
    if (rec.lockedUntil > now) throw lockedError(rec.lockedUntil, now);
    if (await verifyPassword(normaliseWidth(password), rec.passwordHash)) {
      const ok = { ...rec, failedAttempts: 0, lockedUntil: 0, updatedAt: now };
      await this.save(ok, 'login');
      return view(ok, now);
    }
    const { maxFailedAttempts, lockMinutes } = this.config().operators;
    const failed = rec.failedAttempts + 1;
    const lock = failed >= maxFailedAttempts;
    const next = {
      ...rec,
      failedAttempts: lock ? 0 : failed,
      lockedUntil: lock ? now + lockMinutes * 60_000 : 0,
      updatedAt: now,
    };
    await this.save(next, lock ? 'locked' : 'login-failed');
    if (lock) throw lockedError(next.lockedUntil, now);
    throw new KioskError('KIOSK_E_AUTH_FAILED', {
      field: 'password',
      details: { attemptsLeft: maxFailedAttempts - failed },
    });
  }

  async find(code: string): Promise<OperatorRecord | undefined> {
    return this.journal.getJson<OperatorRecord>(operatorKey(code));
  }

  private async require(code: string): Promise<OperatorRecord> {
    const rec = await this.find(code);
    if (!rec)
      throw new KioskError('KIOSK_E_OPERATOR_UNKNOWN', {
        field: 'code',
        zh: `操作员 ${code} 不存在`,
        en: `no operator ${code}`,
      });
    return rec;
  }

  private async save(rec: OperatorRecord, what: string): Promise<void> {
    await this.journal.commit((b) => {
      b.put(operatorKey(rec.code), rec);
      b.event({ type: 'operator', info: { code: rec.code, role: rec.role, what } });
    });
  }
}

function view(rec: OperatorRecord, now: number): OperatorView {
  const { passwordHash: _hidden, ...rest } = rec;
  return { ...rest, locked: rec.lockedUntil > now };
}

function lockedError(until: number, now: number): KioskError {
  const minutes = Math.ceil((until - now) / 60_000);
  return new KioskError('KIOSK_E_OPERATOR_LOCKED', {
    field: 'code',
    zh: `密码错误次数过多，操作员已锁定，${minutes} 分钟后再试`,
    en: `too many wrong passwords; locked for ${minutes} more minute(s)`,
    details: { lockedUntil: until },
  });
}
