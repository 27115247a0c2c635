import type { FastifyInstance } from 'fastify';
import { AppointmentBook } from '../../assist/appointment-book.ts';
import { APPOINTMENT_CLOSES } from '../../core/assist/appointments.ts';
import { MODE_TEXT } from '../../core/assist/guide.ts';
import { statsMonthSchema } from '../../core/assist/monthly-stats.ts';
import { maskRequest } from '../../core/assist/privacy.ts';
import { type AssistRequest, type RequestView, STATE_TEXT } from '../../core/assist/request.ts';
import { toLocal } from '../../core/business-day.ts';
import { authOf, requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';
import { objectBody } from './json-body.ts';
import { optDate, queryOf } from './query-params.ts';
import { headerKey } from './routes-orders.ts';

type ById = { Params: { id: string } };

/** A request as the screens show it: its state in words, the deadline as a date. */
function requestView(r: AssistRequest): RequestView {
  const d = toLocal(r.deadlineAt).date;
  return {
    ...r,
    stateLabel: STATE_TEXT[r.state],
    deadline: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
  };
}

/**
 * The assisted services (代办/帮办): the published guide for anyone to browse and print, the
 * appointment slots and booking, requests registered by the operator (or the citizen alone for
 * self-service matters) and moved along by the operator, and the monthly statistics. Personal data
 * leaves masked except on the operator's own request view, where the operator needs it to call the
 * citizen back.
 */
export function registerAssistRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const desk = ctx.kiosk.assist;

  app.get('/api/guide', async () => {
    const g = desk.guide;
    return {
      version: g?.version ?? null,
      matters: (g?.matters ?? []).map((m) => ({ ...m, modeLabel: MODE_TEXT[m.mode] })),
      hoursToday: desk.appointments.hoursToday(),
    };
  });

  app.get<ById>('/api/guide/:id', async (req) => {
    const m = desk.matter(req.params.id, 'id');
    return { ...m, modeLabel: MODE_TEXT[m.mode], version: desk.guide?.version ?? null };
  });

  app.post<ById>('/api/guide/:id/print', async (req) => {
    await desk.printGuide(req.params.id);
    return { printed: true };
  });

  app.get<ById>('/api/guide/:id/slots', async (req) => ({
    days: await desk.appointments.options(req.params.id),
  }));

  app.post('/api/appointments', async (req, reply) => {
    const { actor } = authOf(req, ctx.sessions);
    const who =
      actor.channel === 'operator'
        ? { channel: 'operator' as const, code: actor.code }
        : { channel: 'self' as const };
    const { appointment, repeated } = await desk.appointments.book(req.body, who, headerKey(req));
    reply.status(repeated ? 200 : 201);
    return AppointmentBook.masked(appointment);
  });

  app.get('/api/appointments', { config: { unmasked: true } }, async (req) => {
    requireOperator(req, ctx.sessions);
    const date = optDate(queryOf(req)) ?? toLocal(ctx.now()).date;
    return { date, items: await desk.appointmentsOn(date) };
  });

  // The operator closes a citizen's booking: cancelled (the slot is free again) or served.
  for (const [action, to] of APPOINTMENT_CLOSES) {
    app.post<ById>(`/api/appointments/:id/${action}`, async (req) => {
      const s = requireOperator(req, ctx.sessions);
      const { appointment, changed } = await desk.appointments.close(req.params.id, to, s.code);
      return { ...AppointmentBook.masked(appointment), unchanged: !changed };
    });
  }

  app.post('/api/assist/requests', async (req, reply) => {
    const { actor } = authOf(req, ctx.sessions);
    const who =
      actor.channel === 'operator'
        ? { channel: 'operator' as const, code: actor.code }
        : { channel: 'self' as const };
    const { request, repeated } = await desk.register(req.body, who, headerKey(req));
    reply.status(repeated ? 200 : 201).header('location', `/api/assist/requests/${request.id}`);
    return requestView(maskRequest(request));
  });

  app.get('/api/assist/requests', async (req) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const items = await desk.list({ open: q.open === '1' || q.open === 'true' });
    return { items: items.map((r) => requestView(maskRequest(r))) };
  });

  // The operator's own view: the full phone and ID number, to call the citizen back and check them.
  app.get<ById>('/api/assist/requests/:id', { config: { unmasked: true } }, async (req) => {
    requireOperator(req, ctx.sessions);
    return requestView(await desk.get(req.params.id));
  });

  app.post<ById>('/api/assist/requests/:id/update', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    const { request, unchanged } = await desk.update(
      { ...objectBody(req.body), id: req.params.id },
      { channel: 'operator', code: s.code },
    );
    return { ...requestView(maskRequest(request)), unchanged };
  });

  app.post<ById>('/api/assist/requests/:id/reprint', async (req) => {
    requireOperator(req, ctx.sessions);
    await desk.reprint(req.params.id);
    return { printed: true };
  });

  const monthOf = (m: string | undefined): string => m ?? toLocal(ctx.now()).date.slice(0, 6);

  app.get('/api/assist/stats', async (req) => {
    requireOperator(req, ctx.sessions);
    const q = queryOf(req);
    const { month } = desk.statsRequest(q.month ? { month: q.month } : {}, statsMonthSchema);
    return desk.stats(monthOf(month));
  });

  app.post('/api/assist/stats/send', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    const { month, print } = desk.statsRequest(objectBody(req.body));
    return desk.sendStats(monthOf(month), s.code, print === true);
  });

  app.post('/api/assist/stats/print', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    const { month } = desk.statsRequest(objectBody(req.body), statsMonthSchema);
    await desk.printStats(monthOf(month), s.code);
    return { printed: true };
  });
}
