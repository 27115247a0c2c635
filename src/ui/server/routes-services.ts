import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tendersOf } from '../../core/orders/order.ts';
import type { ServiceDefinition } from '../../core/transaction/types.ts';
import { maskFields, maskKnown } from '../../reports/mask-txn.ts';
import { authOf } from './auth.ts';
import { fillFromCard } from './card-fields.ts';
import type { ServerContext } from './context.ts';
import { objectBody } from './json-body.ts';
import { noteSecrets, secretsOfRequest } from './masking.ts';
import { headerKey } from './routes-orders.ts';
import { selfServiceAllowed, serviceView } from './service-view.ts';

type ById = { Params: { id: string }; Body: unknown };

/**
 * Routes generated from the service definitions: the catalogue, and per service an inquiry, a
 * quote and a create. Nothing here knows a particular service.
 */
export function registerServiceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { kiosk } = ctx;

  // Each service carries whether the one asking (a customer without a session, or the operator)
  // can use it now, and why not in their words: checked before any form is filled.
  const withAvailability = (req: FastifyRequest, d: ServiceDefinition) => {
    const self = authOf(req, ctx.sessions).session === null;
    const a = kiosk.availability(d, self);
    return {
      ...serviceView(d, kiosk.config),
      availability: { available: a.available, code: a.code, reason: a.reason },
    };
  };

  app.get('/api/services', async (req) => ({
    tenders: tendersOf(kiosk.config.selfService.tender),
    services: kiosk.services.list().map((d) => withAvailability(req, d)),
  }));

  // What the customer's first screen draws, and nothing more: a service's fields and flow are
  // fetched when its tile is tapped (`/api/services/:id`).
  app.get('/api/service-tiles', async (req) => {
    const self = authOf(req, ctx.sessions).session === null;
    return {
      tenders: tendersOf(kiosk.config.selfService.tender),
      services: kiosk.services.list().map((d) => {
        const a = kiosk.availability(d, self);
        return {
          id: d.id,
          title: { ...d.title },
          enabled: kiosk.config.services.enabled.includes(d.id),
          selfService: selfServiceAllowed(d, kiosk.config),
          availability: { available: a.available, code: a.code, reason: a.reason },
        };
      }),
    };
  });

  app.get<ById>('/api/services/:id', async (req) => withAvailability(req, kiosk.services.get(req.params.id)));

  app.get('/api/availability', async (req) => {
    const self = authOf(req, ctx.sessions).session === null;
    return {
      tenders: tendersOf(kiosk.config.selfService.tender),
      services: kiosk.services.list().map((d) => kiosk.availability(d, self)),
    };
  });

  app.post<ById>('/api/services/:id/inquiry', async (req) => {
    const def = kiosk.services.get(req.params.id);
    const body = await fillFromCard(ctx, req, def, objectBody(req.body));
    noteSecrets(req, def, body);
    const { actor } = authOf(req, ctx.sessions);
    const answer = await kiosk.engine.inquire(def.id, body, actor);
    return { service: def.id, answer: maskKnown(answer, secretsOfRequest(req)) };
  });

  // The choices of a `choice` field that are not in an inquiry's answer (coach places, dates).
  app.get<{ Params: { id: string; name: string } }>('/api/services/:id/lists/:name', async (req) => {
    const def = kiosk.services.get(req.params.id);
    const { actor } = authOf(req, ctx.sessions);
    const items = await kiosk.engine.list(def.id, req.params.name, actor);
    return { service: def.id, list: req.params.name, items };
  });

  app.post<ById>('/api/services/:id/quote', async (req) => {
    const def = kiosk.services.get(req.params.id);
    const body = await fillFromCard(ctx, req, def, objectBody(req.body));
    noteSecrets(req, def, body);
    const { actor } = authOf(req, ctx.sessions);
    const q = await kiosk.engine.quote(def.id, body, actor);
    return {
      service: def.id,
      serviceName: { ...def.title },
      fields: maskFields(def, q.fields),
      amount: q.amount.toString(),
      fee: q.fee.toString(),
      total: q.amount.add(q.fee).toString(),
      // The prepaid balance pays the biller the amount; operators see whether it is enough now.
      ...(actor.channel === 'operator' ? { balanceSufficient: q.balanceSufficient } : {}),
    };
  });

  app.post<ById>('/api/services/:id/transactions', async (req, reply) => {
    const def = kiosk.services.get(req.params.id);
    const body = await fillFromCard(ctx, req, def, objectBody(req.body));
    noteSecrets(req, def, body);
    const { actor } = authOf(req, ctx.sessions);
    // A repeat with the same Idempotency-Key answers the transaction the first one created.
    const { value: txn, repeated } = await kiosk.clientKeys.once(
      headerKey(req),
      'txn',
      (remember) =>
        kiosk.engine.create(def.id, body, actor, {
          alongside: (b, t) => remember(b, { serial: t.serial }),
        }),
      (found) => kiosk.engine.get('serial' in found ? found.serial : ''),
    );
    reply.status(repeated ? 200 : 201).header('location', `/api/transactions/${txn.serial}`);
    // The customer who created it may follow this one transaction's events (and no other's).
    if (actor.channel === 'self')
      return { ...ctx.view(txn), follow: ctx.follow.issue({ kind: 'txn', id: txn.serial }) };
    return ctx.view(txn);
  });
}
