import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { LedgerEntry } from '../../core/ledger.ts';
import { verifyJournal } from '../../journal/verify.ts';
import { ledgerGroup, ledgerRow, ledgerTotals } from '../../reports/balance-views.ts';
import { dayJournal } from '../../reports/day-journal.ts';
import { gameErrors } from '../../reports/game-errors.ts';
import { specialJournal } from '../../reports/special-journal.ts';
import { timeWindow } from '../../reports/time-window.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { optDate, optLimit, optService, queryOf } from './query-params.ts';

/** Journal views (本省当日流水, 历史流水, 特殊流水, 充值差错查询) and the prepaid balance. Operators only. */
export function registerReportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { kiosk } = ctx;

  app.get('/api/journal/today', async (req) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const date = ctx.today();
    return dayJournal(
      await ctx.transactionsOn(date),
      { date, service: optService(ctx, q), window: timeWindow(q.from || undefined, q.to || undefined) },
      ctx.lookup,
    );
  });

  app.get('/api/journal/history', async (req) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const date = optDate(q);
    if (!date) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'date',
        zh: '请指定日期 yyyymmdd',
        en: 'give the date as yyyymmdd',
      });
    }
    return dayJournal(
      await ctx.transactionsOn(date),
      { date, service: optService(ctx, q), window: timeWindow(q.from || undefined, q.to || undefined) },
      ctx.lookup,
    );
  });

  app.get('/api/journal/special', async (req) => {
    requireOperator(req, ctx.sessions);
    const date = optDate(queryOf(req)) ?? ctx.today();
    return specialJournal(await ctx.transactionsOn(date), { date, today: ctx.today() }, ctx.lookup);
  });

  app.get('/api/journal/game-errors', async (req) => {
    requireOperator(req, ctx.sessions);
    const date = optDate(queryOf(req)) ?? ctx.today();
    return gameErrors(await ctx.transactionsOn(date), { date }, ctx.lookup);
  });

  /** The full store check of `kiosk journal verify`, on the running kiosk (a consistent snapshot). */
  app.get('/api/journal/verify', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    if (session.role !== 'supervisor') {
      throw new KioskError('KIOSK_E_FORBIDDEN', {
        zh: '需要综合柜员权限',
        en: 'needs a supervisor (综合柜员)',
      });
    }
    const report = await verifyJournal(kiosk.journal);
    return {
      ...report,
      problems: [
        ...kiosk.problems.filter((p) => !report.problems.some((q) => q.key === p.key)),
        ...report.problems,
      ],
    };
  });

  app.get('/api/balance', async (req) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const limit = optLimit(q, 50, 10_000);
    const group = q.group ? ledgerGroup(q.group) : undefined;
    if (q.group && !group) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'group',
        zh: '明细类别应为 topups、consumption、reversalCredits、adjustments、refunds 或 holds',
        en: 'group must be topups, consumption, reversalCredits, adjustments, refunds or holds',
      });
    }
    const entries: LedgerEntry[] = [];
    for await (const e of kiosk.journal.ledgerEntries({ reverse: true })) {
      if (group && ledgerRow(e).group !== group) continue;
      entries.push(e);
      if (entries.length >= limit) break;
    }
    return { ...kiosk.balance.summary(), entries: entries.map(ledgerRow), totals: ledgerTotals(entries) };
  });
}
