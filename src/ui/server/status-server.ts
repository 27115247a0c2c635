import Fastify, { type FastifyInstance } from 'fastify';
import type { KioskApp } from '../../app/kiosk-app.ts';
import { isKioskError } from '../../core/errors.ts';
import { maskDeep } from '../../core/mask.ts';
import type { Logger } from '../../platform/logger.ts';

/**
 * The kiosk's local HTTP server, bound to 127.0.0.1 by default: health, balance and transaction
 * look-ups as JSON for the UI and support tools, and a plain status page. Every answer is masked.
 */
export class StatusServer {
  private app: FastifyInstance | undefined;
  url: string | undefined;

  constructor(
    private readonly kiosk: KioskApp,
    private readonly logger: Logger,
  ) {}

  health(): Record<string, unknown> {
    const k = this.kiosk;
    return {
      stationId: k.config.stationId,
      stationName: k.config.stationName,
      safeMode: k.engine.safeMode,
      problems: k.problems.slice(0, 20),
      balance: k.balance.summary(),
      openTransactions: k.engine.busy,
      uptimeMs: k.clock.now() - k.startedAt,
    };
  }

  async start(): Promise<void> {
    const app = Fastify({ logger: false });
    app.setErrorHandler((err, _req, reply) => {
      if (isKioskError(err))
        return reply.status(err.code === 'KIOSK_E_NOT_FOUND' ? 404 : 400).send(err.toJSON());
      this.logger.error({ err }, 'http error');
      return reply.status(500).send({ code: 'KIOSK_E_INTERNAL' });
    });
    app.get('/api/health', async () => this.health());
    app.get('/api/balance', async () => this.kiosk.balance.summary());
    app.get<{ Params: { serial: string } }>('/api/transactions/:serial', async (req) =>
      maskDeep(await this.kiosk.engine.get(req.params.serial)),
    );
    app.get('/', async (_req, reply) => {
      const h = this.health();
      const b = this.kiosk.balance.summary();
      const safe = this.kiosk.engine.safeMode;
      reply.type('text/html; charset=utf-8');
      return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>便民服务亭 ${h.stationId}</title>
<body style="font-family:sans-serif;margin:2em"><h1>${escapeHtml(String(h.stationName))} · ${h.stationId}</h1>
${safe ? `<p style="color:#b00;font-weight:bold">安全模式 / Safe mode: ${escapeHtml(safe.zh)} — ${escapeHtml(safe.en)}</p>` : '<p>运行正常 / Running</p>'}
<p>信誉度余额 Balance: ￥${b.balance} · 冻结 Held: ￥${b.held} · 可用 Available: ￥${b.available}${b.low ? ' · <b>余额不足，请及时续费 / low balance</b>' : ''}</p>
</body></html>`;
    });
    const { host, port } = this.kiosk.config.http;
    await app.listen({ host, port });
    const addr = app.server.address();
    const actualPort = typeof addr === 'object' && addr ? addr.port : port;
    this.url = `http://${host}:${actualPort}/`;
    this.app = app;
  }

  async stop(): Promise<void> {
    await this.app?.close();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
