import type { FastifyInstance } from 'fastify';
import { frameToPng } from '../../../devices/display/frame-render.ts';
import { SimDisplay } from '../../../devices/display/sim-display.ts';
import { KioskError } from '../../core/errors.ts';
import { maskDeep } from '../../core/mask.ts';
import type { ServerContext } from './context.ts';

/**
 * The roof sign as the UI sees it: what it shows now and what is queued (text already masked by
 * the sign), and, with the simulated sign, a live PNG of the panel for the development preview.
 */
export function registerDisplayRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/display', async () => {
    const devices = ctx.kiosk.devices;
    if (!devices) throw new KioskError('KIOSK_E_NOT_FOUND', { zh: '未启用设备', en: 'devices not started' });
    const snap = devices.sign.snapshot();
    return maskDeep({
      showing: snap.showing
        ? {
            id: snap.showing.id,
            kind: snap.showing.kind,
            text: snap.showing.text,
            priority: snap.showing.priority,
          }
        : null,
      brightness: snap.brightness ?? null,
      notices: snap.notices.map((n) => ({ id: n.id, text: n.text, priority: n.priority })),
      health: snap.health,
      preview: devices.display instanceof SimDisplay ? '/api/display/preview.png' : null,
    });
  });

  app.get('/api/display/preview.png', async (_req, reply) => {
    const display = ctx.kiosk.devices?.display;
    if (!(display instanceof SimDisplay)) {
      throw new KioskError('KIOSK_E_NOT_FOUND', {
        zh: '仅模拟屏提供预览',
        en: 'only the simulated sign has a preview',
      });
    }
    const { frame, brightness } = display.latestPreview();
    reply.header('cache-control', 'no-store').type('image/png');
    return reply.send(frameToPng(frame, 4, brightness));
  });
}
