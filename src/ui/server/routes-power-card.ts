import type { FastifyInstance } from 'fastify';
import { ElectricityCardApp } from '../../../devices/card-reader/electricity-card.ts';
import { DeviceError } from '../../../devices/device.ts';
import { cardView } from '../../app/card-effects.ts';
import { KioskError } from '../../core/errors.ts';
import type { ServerContext } from './context.ts';

/**
 * The electricity card in the reader, for the purchase screen ("insert your card") and
 * `kiosk card read`: `present: false` while the reader is empty; otherwise the card's serial and
 * customer number (the fields of a `power-card` purchase), purchase counter and units (centi-kWh).
 * A card that is not an electricity card answers `present: true, card: null` with the reason.
 */
export function registerPowerCardRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/card', async () => {
    const reader = ctx.kiosk.devices?.cardReader;
    if (!reader) throw new KioskError('KIOSK_E_NOT_FOUND', { zh: '未启用设备', en: 'devices not started' });
    if (!reader.cardPresent()) return { present: false, card: null, health: reader.health() };
    try {
      const c = cardView(await new ElectricityCardApp(reader).read());
      return { present: true, card: c, health: reader.health() };
    } catch (e) {
      if (!(e instanceof DeviceError)) throw e;
      return {
        present: e.code !== 'DEVICE_E_NO_CARD',
        card: null,
        reason: { code: e.code, zh: e.zh, en: e.en },
      };
    }
  });
}
