import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { OperatorRole } from '../../operators/operators.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { requireSupervisor } from './report-scope.ts';

type ByCode = { Params: { code: string }; Body: unknown };

function text(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v === 'string' && v !== '') return v;
  throw new KioskError('KIOSK_E_INVALID_INPUT', {
    field: name,
    zh: `请填写${name}`,
    en: `${name} is required`,
  });
}

/**
 * Operator management for supervisors (综合柜员): list, add, reset a password, lift a lockout.
 * Every change is journaled by Operators; an operator may change their own password with the
 * current one. Passwords never appear in an answer.
 */
export function registerOperatorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const ops = ctx.kiosk.operators;

  app.get('/api/operators', async (req) => {
    requireSupervisor(requireOperator(req, ctx.sessions));
    return { items: await ops.list() };
  });

  app.post<{ Body: unknown }>('/api/operators', async (req, reply) => {
    requireSupervisor(requireOperator(req, ctx.sessions));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const role = body.role ?? 'teller';
    if (role !== 'teller' && role !== 'supervisor')
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'role',
        zh: '角色应为 teller 或 supervisor',
        en: 'role must be teller or supervisor',
      });
    const added = await ops.add({
      code: text(body, 'code'),
      name: text(body, 'name'),
      role: role as OperatorRole,
      password: text(body, 'password'),
    });
    reply.status(201);
    return added;
  });

  app.post<ByCode>('/api/operators/:code/password', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const own = s.code === req.params.code.toUpperCase();
    if (own && typeof body.currentPassword === 'string') {
      await ops.passwd(req.params.code, text(body, 'newPassword'), { current: body.currentPassword });
    } else {
      requireSupervisor(s);
      await ops.passwd(req.params.code, text(body, 'newPassword'), { reset: true });
    }
    return { code: req.params.code.toUpperCase(), changed: true };
  });

  app.post<ByCode>('/api/operators/:code/unlock', async (req) => {
    requireSupervisor(requireOperator(req, ctx.sessions));
    return ops.unlock(req.params.code);
  });
}
