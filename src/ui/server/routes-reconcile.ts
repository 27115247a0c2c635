import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { reconcileSlip, SLIP_ROWS } from '../../reconcile/reconcile-slip.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { optDate, queryOf } from './query-params.ts';
import { requireSupervisor } from './report-scope.ts';
import { printSlip } from './routes-settlement.ts';

/**
 * Credit-card reconciliation (信用卡对账), supervisor only: the kiosk's repayments of a range of
 * business dates (what `kiosk report reconcile` matches a statement against), and the statements
 * in the statements folders, each named by its listing id: reconciled against the journal, the
 * differences exported next to the statement (CSV) or printed through the print queue.
 */
export function registerReconcileRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const desk = ctx.statements;
  const supervisor = (req: Parameters<typeof requireOperator>[0]) => {
    const session = requireOperator(req, ctx.sessions);
    requireSupervisor(session);
    return session;
  };

  app.get('/api/reports/repayments', async (req) => {
    supervisor(req);
    const q = queryOf(req);
    const from = optDate(q, 'from');
    const to = optDate(q, 'to');
    if (!from || !to) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: from ? 'to' : 'from',
        zh: '请指定开始与结束日期 yyyymmdd',
        en: 'give from and to as yyyymmdd',
      });
    }
    const station = ctx.kiosk.config.stationId;
    const terminal = ctx.kiosk.cardTerminal.facts().terminal?.terminalNo ?? null;
    return { station, terminal, from, to, repayments: await desk.repayments(from, to, 'to') };
  });

  app.get('/api/reports/statements', async (req) => {
    supervisor(req);
    return { folders: await ctx.statementFolders.folders(), statements: await desk.list() };
  });

  app.get<{ Params: { id: string } }>('/api/reports/statements/:id/reconcile', async (req) => {
    supervisor(req);
    const q = queryOf(req);
    return desk.reconcile(req.params.id, {
      offset: count(q.offset, 'offset', 0, 0),
      limit: count(q.limit, 'limit', 20, 1, 200),
    });
  });

  app.post<{ Params: { id: string } }>('/api/reports/statements/:id/export', async (req, reply) => {
    supervisor(req);
    const r = await desk.export(req.params.id);
    reply.code(201);
    return r;
  });

  app.post<{ Params: { id: string } }>('/api/reports/statements/:id/print', async (req) => {
    const session = supervisor(req);
    const r = await desk.reconcile(req.params.id, { offset: 0, limit: SLIP_ROWS });
    const at = ctx.now();
    const number = `R${r.to}${String(at % 1e6).padStart(6, '0')}`;
    const station = { stationId: ctx.kiosk.config.stationId, stationName: ctx.kiosk.config.stationName };
    const printed = await printSlip(ctx, reconcileSlip(r, station, number, session.code, at));
    return { statement: r.statement, counts: r.counts, printed };
  });
}

/** A whole number query parameter in [min, max], refused naming it. */
function count(
  v: string | undefined,
  field: string,
  fallback: number,
  min: number,
  max = 1_000_000_000,
): number {
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field,
      zh: `${field} 应为 ${min} 至 ${max} 的整数`,
      en: `${field} must be a whole number from ${min} to ${max}`,
    });
  return Number(v);
}
