import Fastify, { type FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { authOf } from './auth.ts';
import { ServerContext } from './context.ts';
import type { EventHub } from './event-hub.ts';
import { checkHost } from './host-check.ts';
import { installErrorHandlers } from './http-errors.ts';
import { installMasking } from './masking.ts';
import { buildOpenApi } from './openapi.ts';
import { queryOf } from './query-params.ts';
import { registerAssistRoutes } from './routes-assist.ts';
import { registerCardTerminalRoutes } from './routes-card-terminal.ts';
import { registerDeviceRoutes } from './routes-devices.ts';
import { registerDisplayRoutes } from './routes-display.ts';
import { registerOperatorRoutes } from './routes-operators.ts';
import { registerOrderRoutes } from './routes-orders.ts';
import { registerPowerCardRoutes } from './routes-power-card.ts';
import { registerReconcileRoutes } from './routes-reconcile.ts';
import { registerReportRoutes } from './routes-reports.ts';
import { registerServiceRoutes } from './routes-services.ts';
import { registerSessionRoutes } from './routes-session.ts';
import { registerSettlementRoutes } from './routes-settlement.ts';
import { registerTransactionRoutes } from './routes-transactions.ts';
import { registerUiRoutes } from './routes-ui.ts';
import type { ServerKiosk } from './server-kiosk.ts';
import { SessionStore } from './sessions.ts';
import { statusPage } from './status-page.ts';

/** Largest request body, bytes: service inputs are a few short fields. */
const BODY_LIMIT = 64 * 1024;

/**
 * The kiosk's local HTTP API (fastify), bound to `config.http` (127.0.0.1 by default) and used by
 * the touchscreen UI and the `kiosk` CLI: routes generated from the service definitions, operator
 * sessions, journal reports, server-sent events and the OpenAPI document. Every answer is masked.
 * See docs/http-api.md.
 */
export class LocalServer {
  private app: FastifyInstance | undefined;
  private hub: EventHub | undefined;
  url: string | undefined;
  /** The port the server listens on (the configured one, or the one the system chose for 0). */
  private port = 0;
  /** Every route served, as `METHOD /path/:param` (HEAD twins left out): what OpenAPI must publish. */
  readonly routes: string[] = [];

  constructor(
    private readonly kiosk: ServerKiosk,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const kiosk = this.kiosk;
    const sessions = new SessionStore(kiosk.clock, () => kiosk.config.business.dayCut);
    const ctx = new ServerContext(kiosk, sessions);
    const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, return503OnClosing: true });
    app.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD') this.routes.push(`${m} ${r.url}`);
    });
    installErrorHandlers(app, this.logger);
    installMasking(app);
    app.addHook('onRequest', async (req) => {
      checkHost(req.headers.host, kiosk.config.http.host, this.port);
      // A token that is sent must be valid on every route, even one open to self-service.
      authOf(req, sessions, req.url.startsWith('/api/events'));
    });
    registerSessionRoutes(app, ctx);
    registerServiceRoutes(app, ctx);
    registerTransactionRoutes(app, ctx);
    registerOrderRoutes(app, ctx);
    registerOperatorRoutes(app, ctx);
    registerReportRoutes(app, ctx);
    registerSettlementRoutes(app, ctx);
    registerReconcileRoutes(app, ctx);
    registerDisplayRoutes(app, ctx);
    registerDeviceRoutes(app, ctx);
    registerCardTerminalRoutes(app, ctx);
    registerPowerCardRoutes(app, ctx);
    registerAssistRoutes(app, ctx);
    registerUiRoutes(app);

    // The station's balance is for operators only; a customer's screen never gets it.
    app.get('/api/health', async (req) => ({
      stationId: kiosk.config.stationId,
      stationName: kiosk.config.stationName,
      businessDate: ctx.today(),
      safeMode: kiosk.engine.safeMode,
      problems: kiosk.problems.slice(0, 20),
      ...(authOf(req, sessions).session
        ? { balance: kiosk.balance.summary(), lowBalance: kiosk.lowBalance?.current ?? null }
        : {}),
      openTransactions: kiosk.engine.busy,
      services: { enabled: kiosk.config.services.enabled.length, known: kiosk.services.list().length },
      uptimeMs: kiosk.clock.now() - kiosk.startedAt,
      eventStreams: ctx.hub.size,
    }));

    let openapi: Record<string, unknown> | undefined;
    app.get('/api/openapi.json', { config: { unmasked: true } }, async () => {
      openapi ??= buildOpenApi(kiosk.services.list(), this.url ?? '/');
      return openapi;
    });

    app.get('/api/events', async (req, reply) => {
      const { session } = authOf(req, sessions, true);
      const q = queryOf(req);
      const last = req.headers['last-event-id'] ?? q.since;
      if (last !== undefined && !/^\d{1,16}$/.test(String(last))) {
        throw new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'since',
          zh: '事件序号应为非负整数',
          en: 'the event id must be a non-negative integer',
        });
      }
      // Fail closed: without an operator session the stream carries one transaction or one order,
      // and only with the token its creation answered; an unfiltered stream is never anonymous.
      if (!session) {
        const what = q.serial
          ? { kind: 'txn' as const, id: q.serial }
          : q.order
            ? { kind: 'order' as const, id: q.order }
            : null;
        // A token ends with what it names (final for a while, or unknown to this kiosk).
        if (!what || !q.follow || !ctx.follow.opens(q.follow, what) || !(await ctx.stillFollowed(what)))
          throw new KioskError('KIOSK_E_AUTH_FAILED', {
            field: 'follow',
            zh: '需要操作员登录，或本笔交易的跟踪凭据',
            en: 'an operator token, or the follow token of this one transaction or order, is required',
          });
      }
      await ctx.hub.attach(reply, {
        serial: q.serial || null,
        order: q.order || null,
        operator: session !== null,
        teller: session?.role === 'teller' ? session.code : null,
        since: last === undefined ? null : Number(last),
      });
    });

    app.get('/', async (_req, reply) => {
      reply.type('text/html; charset=utf-8');
      return statusPage({
        stationId: kiosk.config.stationId,
        stationName: kiosk.config.stationName,
        safeMode: kiosk.engine.safeMode,
        openTransactions: kiosk.engine.busy,
      });
    });

    ctx.hub.start();
    this.hub = ctx.hub;
    const { host, port } = kiosk.config.http;
    await app.listen({ host, port });
    const addr = app.server.address();
    const actualPort = typeof addr === 'object' && addr ? addr.port : port;
    this.port = actualPort;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/`;
    this.app = app;
  }

  /**
   * Stops serving: new requests get 503 at once, requests in flight have `graceMs` to finish
   * (the engine already refuses anything new), then every connection left is cut so that a
   * keep-alive or stalled client cannot hold the shutdown.
   */
  async stop(graceMs = 2000): Promise<void> {
    this.hub?.stop();
    const app = this.app;
    if (!app) return;
    const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
    try {
      await app.close();
    } finally {
      clearTimeout(cut);
    }
  }
}
