import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { LedgerEntry } from '../../core/ledger.ts';
import { inLedgerView, ledgerRow, ledgerTotals, ledgerView } from '../../reports/balance-views.ts';
import { dayJournal } from '../../reports/day-journal.ts';
import { gameErrors } from '../../reports/game-errors.ts';
import { ledgerMovement } from '../../reports/ledger-movement.ts';
import { ledgerCsv } from '../../reports/report-csv.ts';
import { specialJournal } from '../../reports/special-journal.ts';
import { timeWindow } from '../../reports/time-window.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { optDate, optLimit, optService, queryOf } from './query-params.ts';
import { asCsv } from './routes-settlement.ts';
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
   * adjustments, 退款通知 refunds): the latest entries, or every entry of a range of business dates
   * (`from`/`to`, oldest first); `format=csv` exports them.
   */
  app.get('/api/balance', async (req, reply) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const limit = optLimit(q, 50, 10_000);
    const view = q.group ? ledgerView(q.group) : undefined;
    if (q.group && !view) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'group',
        zh: '明细类别应为 topups、consumption、changes、reversalCredits、adjustments、refunds 或 holds',
        en: 'group must be topups, consumption, changes, reversalCredits, adjustments, refunds or holds',
      });
    }
    const from = optDate(q, 'from');
    const to = optDate(q, 'to') ?? (from ? ctx.today() : undefined);
    const dayCut = kiosk.config.business.dayCut;
    let entries: LedgerEntry[] = [];
    let movement = null;
    if (from && to) {
      if (to < from) {
        throw new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'to',
          zh: '结束日期须不早于开始日期',
          en: 'to must not be before from',
        });
      }
      const range = await kiosk.records.ledgerOfDates(from, to, dayCut);
      movement = ledgerMovement(range.entries, range.openingFen);
      entries = range.entries.filter((e) => inLedgerView(e, view));
    } else {
      for await (const e of kiosk.records.ledgerEntries({ reverse: true })) {
        if (!inLedgerView(e, view)) continue;
        entries.push(e);
        if (entries.length >= limit) break;
      }
    }
    const rows = entries.map(ledgerRow);
    const csv = asCsv(
      reply,
      q.format,
      `balance-${q.group ?? 'all'}-${from ?? 'latest'}-${to ?? ''}.csv`,
      () => ledgerCsv(rows, dayCut),
    );
    if (csv !== null) return csv;
    return {
      ...kiosk.balance.summary(),
      from: from ?? null,
      to: to ?? null,
      group: view ?? null,
      movement,
      entries: rows,
      totals: ledgerTotals(entries),
    };
  });
}
