import type { FastifyInstance } from 'fastify';
import { authOf, requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { queryOf } from './query-params.ts';
import { seesTxn } from './txn-scope.ts';

/**
 * The credit-card repayment terminal (信用卡还款终端): its binding and today's sign-in, the daily
 * sign-in (签到) and the repayment history by date range. Operators only, except the status,
 * which the screen reads to say why repayment is not offered.
 */
export function registerCardTerminalRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const terminal = () => ctx.kiosk.cardTerminal;

  app.get('/api/credit-card/terminal', async () => terminal().status());

  app.post('/api/credit-card/sign-in', async (req, reply) => {
    requireOperator(req, ctx.sessions);
    const r = await terminal().signIn(authOf(req, ctx.sessions).actor);
    reply.status(r.already ? 200 : 201);
    return r;
  });

  app.get('/api/credit-card/history', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const all = await terminal().history(authOf(req, ctx.sessions).actor, q.from, q.to);
    // HQ answers for the station; a teller keeps only the repayments of their own transactions.
    const items = [];
    for (const item of all) {
      const local = session.role === 'supervisor' ? null : await ctx.kiosk.records.getTxn(item.serial);
      if (session.role === 'supervisor' || (local && seesTxn(session, local))) items.push(item);
    }
    return { from: q.from, to: q.to, items };
  });
}
