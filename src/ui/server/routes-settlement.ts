import type { FastifyInstance, FastifyReply } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { parseMoney } from '../../core/money.ts';
import type { Receipt } from '../../receipts/receipt.ts';
import { type DailyReport, reportOfDays } from '../../reports/daily-report.ts';
import { dailyCsv, settlementCsv } from '../../reports/report-csv.ts';
import { dailySlip, settlementSlip } from '../../reports/report-receipt.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { optDate, queryOf } from './query-params.ts';
import { reportScope, requireSupervisor } from './report-scope.ts';

/** Longest historical report, business dates. */
const MAX_RANGE_DAYS = 400;

/**
 * Settlement (柜员扎账 / 网点扎账), daily and historical reports (营业日报), cross-day settlement
 * (网点隔日扎账). Each as JSON, as CSV (`format=csv`) and printed through the print queue.
 */
export function registerSettlementRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { kiosk } = ctx;
  const station = () => ({ stationId: kiosk.config.stationId, stationName: kiosk.config.stationName });

  app.get('/api/reports/settlement', async (req, reply) => {
    const session = requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const s = await kiosk.settlements.preview(reportScope(session, q));
    return asCsv(reply, q.format, `settlement-${s.businessDate}.csv`, () => settlementCsv(s)) ?? s;
  });

  app.post('/api/reports/settlement', async (req, reply) => {
    const session = requireOperator(req, ctx.sessions);
    const body = bodyOf(req.body);
    const s = await kiosk.settlements.record(reportScope(session, body), session.code);
    const printed =
      body.print === 'false'
        ? null
        : await printSlip(
            ctx,
            settlementSlip(s, station(), `S${String(s.record.id).padStart(9, '0')}`, session.code),
          );
    reply.code(201);
    return { ...s, printed };
  });

  app.get('/api/reports/settlements', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const date = optDate(q) ?? ctx.today();
    const scope = reportScope(session, q);
    const all = await kiosk.settlements.list(date);
    return {
      businessDate: date,
      settlements: all.filter((r) =>
        scope.kind === 'station' ? true : r.scope === 'teller' && r.operator === scope.operator,
      ),
    };
  });

  const daily = async (q: Record<string, string | undefined>, session: Parameters<typeof reportScope>[0]) => {
    const today = ctx.today();
    const from = optDate(q, 'from') ?? optDate(q, 'date') ?? today;
    const to = optDate(q, 'to') ?? (q.from ? today : from);
    if (to < from) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'to',
        zh: '结束日期须不早于开始日期',
        en: 'to must not be before from',
      });
    }
    if (daysBetween(from, to) > MAX_RANGE_DAYS) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'to',
        zh: `日期范围不能超过 ${MAX_RANGE_DAYS} 天`,
        en: `at most ${MAX_RANGE_DAYS} days`,
      });
    }
    const scope = reportScope(session, q);
    const dayCut = kiosk.config.business.dayCut;
    const { inputs, openingFen } = await kiosk.records.reportDays({ from, to, scope, dayCut, today });
    return reportOfDays(inputs, openingFen, { from, to, scope, at: ctx.now(), dayCut }, ctx.lookup);
  };

  app.get('/api/reports/daily', async (req, reply) => {
    const session = requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const r: DailyReport = await daily(q, session);
    return asCsv(reply, q.format, `daily-${r.from}-${r.to}.csv`, () => dailyCsv(r)) ?? r;
  });

  app.post('/api/reports/daily/print', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const r = await daily(bodyOf(req.body), session);
    return {
      printed: await printSlip(
        ctx,
        dailySlip(r, station(), `D${r.to}${String(ctx.now() % 1e6).padStart(6, '0')}`, session.code),
      ),
    };
  });

  app.post('/api/reports/handover', async (req, reply) => {
    const session = requireOperator(req, ctx.sessions);
    requireSupervisor(session);
    const body = bodyOf(req.body);
    const date = optDate(body) ?? ctx.today();
    if (body.handedIn === undefined) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'handedIn',
        zh: '请输入交款金额',
        en: 'give the cash handed in',
      });
    }
    const handedIn = parseMoney(body.handedIn, { field: 'handedIn', allowZero: true });
    const rec = await kiosk.settlements.handover(date, handedIn, session.code, body.note || undefined);
    reply.code(201);
    return rec;
  });

  app.get('/api/reports/handover', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    requireSupervisor(session);
    const date = optDate(queryOf(req)) ?? ctx.today();
    return { businessDate: date, handovers: await kiosk.settlements.handovers(date) };
  });
}

/** Sends `csv()` as an attachment when `format=csv`; null for JSON. */
export function asCsv(
  reply: FastifyReply,
  format: string | undefined,
  name: string,
  csv: () => string,
): string | null {
  if (format === undefined || format === '' || format === 'json') return null;
  if (format !== 'csv') {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'format',
      zh: '格式应为 json 或 csv',
      en: 'format must be json or csv',
    });
  }
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`);
  return csv();
}

/** A JSON body of string values (numbers and booleans as their text); refused naming the field otherwise. */
export function bodyOf(body: unknown): Record<string, string | undefined> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'body',
      zh: '请求内容应为 JSON 对象',
      en: 'the body must be a JSON object',
    });
  }
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (v !== null && v !== undefined)
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: k,
        zh: '应为文本或数字',
        en: 'must be text or a number',
      });
  }
  return out;
}

export async function printSlip(
  ctx: ServerContext,
  slip: Receipt,
): Promise<{ outcome: string; jobId: string } | null> {
  const queue = ctx.kiosk.devices?.printQueue;
  if (!queue) return null;
  const r = await queue.print(slip);
  return { outcome: r.outcome, jobId: r.jobId };
}

function daysBetween(from: string, to: string): number {
  const t = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
  return Math.round((t(to) - t(from)) / 86_400_000) + 1;
}
