import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { TxnRecord } from '../../core/transaction/types.ts';
import { SELF_OPERATOR } from '../../journal/keys.ts';
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
    const open = optBool(q, 'open');
    const limit = optLimit(q, 50);
    const matches = (t: TxnRecord): boolean =>
      (!date || t.businessDate === date) &&
      (!service || t.service === service) &&
      (!operator || (t.operator ?? SELF_OPERATOR) === operator) &&
      (!open || !t.terminal);
    // The narrowest index first; the other filters are checked on each record. Newest first.
    const prefix = open
      ? 'i:n:'
      : date
        ? `i:d:${date}:`
        : service
          ? `i:s:${service}:`
          : operator
            ? `i:o:${operator}:`
            : undefined;
    const found: TxnRecord[] = [];
    if (prefix) {
      for (const serial of await kiosk.journal.indexSerials(prefix, { reverse: true })) {
        const t = await kiosk.journal.getTxn(serial);
        if (t && matches(t)) found.push(t);
        if (found.length >= limit) break;
      }
    } else {
      for await (const t of kiosk.journal.transactions({ reverse: true, limit })) found.push(t);
    }
    return { items: found.map((t) => ctx.view(t)) };
  });

  app.get('/api/pending', async (req) => {
    const session = requireOperator(req, ctx.sessions);
    const open: TxnRecord[] = [];
    for (const serial of await kiosk.journal.openSerials()) {
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

/** `~self` (any case) for self-service, otherwise an operator code in upper case. */
function normaliseOperator(v: string): string {
  return v.trim().toLowerCase() === SELF_OPERATOR ? SELF_OPERATOR : v.trim().toUpperCase();
}
