import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { kioskRepayments } from '../../reports/kiosk-repayments.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { optDate, queryOf } from './query-params.ts';
import { requireSupervisor } from './report-scope.ts';

/** Longest range of business dates one statement may cover. */
const MAX_DAYS = 400;

/**
 * The kiosk's credit-card repayments of a range of business dates, for reconciliation against the
 * UnionPay statement (`kiosk report reconcile`, which matches them with the same rules as HQ's
 * import). Supervisor only.
 */
export function registerReconcileRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/reports/repayments', async (req) => {
    requireSupervisor(requireOperator(req, ctx.sessions));
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
    const days =
      (Date.parse(`${to.slice(0, 4)}-${to.slice(4, 6)}-${to.slice(6)}`) -
        Date.parse(`${from.slice(0, 4)}-${from.slice(4, 6)}-${from.slice(6)}`)) /
        86_400_000 +
      1;
    if (days < 1 || days > MAX_DAYS) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'to',
        zh: `结束日期须不早于开始日期，范围最多 ${MAX_DAYS} 天`,
        en: `to must not be before from, and the range covers at most ${MAX_DAYS} days`,
      });
    }
    const station = ctx.kiosk.config.stationId;
    const terminal = ctx.kiosk.cardTerminal.facts().terminal?.terminalNo ?? null;
    const txns = await ctx.kiosk.records.transactionsOfDates(from, to);
    return { station, terminal, from, to, repayments: kioskRepayments(txns, station, terminal) };
  });
}
