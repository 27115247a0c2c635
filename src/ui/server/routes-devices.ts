import type { FastifyInstance } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { requireOperator } from './auth.ts';
import type { ServerContext } from './context.ts';

type ByName = { Params: { name: string } };

/**
 * The devices as an operator sees them, and what an operator may do about them: a printer test
 * page and reconnecting the printer, the card reader or the LED sign. Any operator (teller or
 * supervisor): the devices belong to the station, not to a teller's transactions.
 */
export function registerDeviceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const desk = () => {
    const d = ctx.kiosk.deviceDesk;
    if (!d)
      throw new KioskError('KIOSK_E_SERVICE_UNAVAILABLE', {
        field: 'device',
        zh: '设备未启动',
        en: 'the devices are not running',
      });
    return d;
  };

  app.get('/api/devices', async (req) => {
    requireOperator(req, ctx.sessions);
    return { items: await desk().list() };
  });

  app.post('/api/devices/printer/test-page', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    return desk().testPage(s.code);
  });

  app.post<ByName>('/api/devices/:name/reconnect', async (req) => {
    const s = requireOperator(req, ctx.sessions);
    return { device: await desk().reconnect(req.params.name, s.code) };
  });
}
