import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { parseBalanceQuery } from '../../reports/balance-query.ts';
import { ledgerRow } from '../../reports/balance-views.ts';
import { dayJournal } from '../../reports/day-journal.ts';
import { gameErrors } from '../../reports/game-errors.ts';
import { ledgerCsv } from '../../reports/report-csv.ts';
import { balanceSlip } from '../../reports/report-receipt.ts';
import { specialJournal } from '../../reports/special-journal.ts';
import { timeWindow } from '../../reports/time-window.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { optDate, optService, queryOf } from './query-params.ts';
import { asCsv, bodyOf, printSlip } from './routes-settlement.ts';
import { inScope } from './txn-scope.ts';

/** Journal views (本省当日流水, 历史流水, 特殊流水, 充值差错查询) and the prepaid balance. Operators only. */
export function registerReportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { kiosk } = ctx;

  app.get('/api/journal/today', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const date = ctx.today();
    return dayJournal(
      inScope(session, await ctx.transactionsOn(date)),
      { date, service: optService(ctx, q), window: timeWindow(q.from || undefined, q.to || undefined) },
      ctx.lookup,
    );
  });

  app.get('/api/journal/history', async (req) => {
    const session = requireOperator(req, ctx.sessions);
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
      inScope(session, await ctx.transactionsOn(date)),
      { date, service: optService(ctx, q), window: timeWindow(q.from || undefined, q.to || undefined) },
      ctx.lookup,
    );
  });

  app.get('/api/journal/special', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const date = optDate(queryOf(req)) ?? ctx.today();
    return specialJournal(
      inScope(session, await ctx.transactionsOn(date)),
      { date, today: ctx.today() },
      ctx.lookup,
    );
  });

  app.get('/api/journal/game-errors', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const date = optDate(queryOf(req)) ?? ctx.today();
    return gameErrors(inScope(session, await ctx.transactionsOn(date)), { date }, ctx.lookup);
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
    return kiosk.records.verify(kiosk.problems);
  });

  /**
   * The balance and its views (续费明细 topups, 交易明细 consumption, 余额变更 changes, 调账
   * adjustments, 退款通知 refunds), a page at a time: the latest entries (newest first), or the
   * entries of a range of business dates (`from`/`to`, oldest first) with the period's movement and
   * totals; `after` takes the `next` cursor of the previous page. `format=csv` exports the whole
   * range (or the latest page).
   */
  app.get('/api/balance', async (req, reply) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const today = ctx.today();
    const query = parseBalanceQuery(q, today);
    const dayCut = kiosk.config.business.dayCut;
    const csv = q.format === 'csv';
    const page = await kiosk.records.balancePage(
      csv && query.range ? { ...query, limit: Number.MAX_SAFE_INTEGER, after: null } : query,
      { dayCut, today },
    );
    const rows = page.entries.map(ledgerRow);
    const file = asCsv(
      reply,
      q.format,
      `balance-${query.view ?? 'all'}-${query.range?.from ?? 'latest'}-${query.range?.to ?? ''}.csv`,
      () => ledgerCsv(rows, dayCut),
    );
    if (file !== null) return file;
    return {
      ...kiosk.balance.summary(),
      from: query.range?.from ?? null,
      to: query.range?.to ?? null,
      group: query.view ?? null,
      movement: page.movement,
      totals: page.totals,
      count: page.count,
      limit: query.limit,
      next: page.next,
      entries: rows,
    };
  });

  /** The same page of a balance view, printed through the print queue (ESC/POS). */
  app.post('/api/balance/print', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const body = bodyOf(req.body);
    const today = ctx.today();
    const query = parseBalanceQuery(body, today);
    const page = await kiosk.records.balancePage(query, { dayCut: kiosk.config.business.dayCut, today });
    const slip = balanceSlip(
      {
        view: query.view,
        from: query.range?.from ?? null,
        to: query.range?.to ?? null,
        today,
        at: ctx.now(),
        balance: kiosk.balance.summary().balance,
        movement: page.movement,
        count: page.count,
        entries: page.entries.map(ledgerRow),
      },
      { stationId: kiosk.config.stationId, stationName: kiosk.config.stationName },
      `B${today}${String(ctx.now() % 1e6).padStart(6, '0')}`,
      session.code,
    );
    return { printed: await printSlip(ctx, slip) };
  });
}
