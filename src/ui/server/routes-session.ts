import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { objectBody } from './json-body.ts';

type Login = { Body: unknown };

/** Operator login for the local API: code + password in, a bearer token out. */
export function registerSessionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<Login>('/api/session', async (req, reply) => {
    const body = objectBody(req.body);
    const code = body.code;
    const password = body.password;
    const missing = [
      typeof code !== 'string' || code === '' ? 'code' : null,
      typeof password !== 'string' || password === '' ? 'password' : null,
    ].filter((f): f is string => f !== null);
    if (missing.length > 0) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: missing[0],
        zh: '请输入操作员代码和密码',
        en: 'operator code and password are required',
      });
    }
    // Wrong passwords count towards the lockout inside Operators.login.
    const op = await ctx.kiosk.operators.login(code as string, password as string);
    const s = ctx.sessions.open(op);
    reply.status(201);
    return {
      token: s.token,
      operator: { code: s.code, name: s.name, role: s.role },
      expiresAt: s.expiresAt,
    };
  });

  app.get('/api/session', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    return { operator: { code: s.code, name: s.name, role: s.role }, expiresAt: s.expiresAt };
  });

  app.delete('/api/session', async (req, reply) => {
    const s = requireOperator(req, ctx.sessions);
    ctx.sessions.close(s.token);
    return reply.status(204).send();
  });
}
