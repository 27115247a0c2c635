import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { TxnRecord } from '../../core/transaction/types.ts';
import { normaliseOperator } from '../../journal/transaction-list.ts';
import { receiptFor } from '../../reports/receipt-data.ts';
import { authOf, requireOperator } from './auth.ts';
import { fillFromCard } from './card-fields.ts';
import type { ServerContext } from './context.ts';
import { objectBody } from './json-body.ts';
import { noteSecrets } from './masking.ts';
import { optBool, optDate, optLimit, optService, queryOf } from './query-params.ts';
import { inScope, requireSees, seesTxn } from './txn-scope.ts';

type BySerial = { Params: { serial: string } };
type Action = { Params: { serial: string; action: string }; Body: unknown };

/** Transactions: look-up, actions (reversal), listing, receipts for reprint, and what is pending. */
export function registerTransactionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { kiosk } = ctx;

  app.get<BySerial>('/api/transactions/:serial', async (req) => {
    const { session } = authOf(req, ctx.sessions);
    const txn = await kiosk.engine.get(req.params.serial);
    if (session) requireSees(session, txn);
    return ctx.view(txn);
  });

  app.post<Action>('/api/transactions/:serial/actions/:action', async (req) => {
    const { actor, session } = authOf(req, ctx.sessions);
    const current = await kiosk.engine.get(req.params.serial);
    if (session) requireSees(session, current);
    const def = ctx.lookup(current.service);
    const confirmFields = def?.actions?.[req.params.action]?.confirmFields ?? [];
    const body = await fillFromCard(ctx, req, def, objectBody(req.body), confirmFields);
    noteSecrets(req, def, body);
    return ctx.view(await kiosk.engine.act(current.serial, req.params.action, actor, body));
  });

  app.get<BySerial>('/api/transactions/:serial/receipt', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const txn = await kiosk.engine.get(req.params.serial);
    requireSees(session, txn);
    return receiptFor(txn, kiosk.services.get(txn.service), {
      stationId: kiosk.config.stationId,
      stationName: kiosk.config.stationName,
      reprint: true,
      at: ctx.now(),
    });
  });

  app.post<BySerial>('/api/transactions/:serial/reprint', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    requireSees(s, await kiosk.engine.get(req.params.serial));
    const bridge = kiosk.receipts;
    if (!bridge)
      throw new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', {
        field: 'printer',
        zh: '打印机未启动',
        en: 'the printer is not running',
      });
    return bridge.reprint(req.params.serial, s.code);
  });

  app.get('/api/transactions', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const date = optDate(q);
    const service = optService(ctx, q);
    // A teller sees their own transactions; a supervisor the whole station.
    const asked = q.operator ? normaliseOperator(q.operator) : undefined;
    if (session.role === 'teller' && asked !== undefined && asked !== session.code)
      throw new KioskError('KIOSK_E_FORBIDDEN', {
        field: 'operator',
        zh: '柜员只能查看自己的交易',
        en: 'a teller sees only their own transactions',
      });
    const operator = session.role === 'teller' ? session.code : asked;
    const found = await kiosk.records.list({
      date,
      service,
      operator,
      open: optBool(q, 'open'),
      limit: optLimit(q, 50),
    });
    return { items: found.map((t) => ctx.view(t)) };
  });

  app.get('/api/pending', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const open: TxnRecord[] = [];
    for (const serial of await kiosk.records.openSerials()) {
      const t = await kiosk.engine.get(serial);
      if (seesTxn(session, t)) open.push(t);
    }
    // Final transactions of today that raised an alert on the way: resolved, but people were told.
    const alerted = inScope(session, await ctx.transactionsOn(ctx.today())).filter(
      (t) => t.terminal && t.alerts.length > 0,
    );
    return {
      businessDate: ctx.today(),
      items: open.map((t) => ctx.view(t)),
      alerted: alerted.map((t) => ctx.view(t)),
      counts: {
        open: open.length,
        alerts: open.filter((t) => t.alerts.length > 0).length,
        unresolvedPastDay: open.filter((t) => t.businessDate < ctx.today()).length,
      },
    };
  });
}
