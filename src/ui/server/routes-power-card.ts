import type { FastifyInstance } from 'fastify';
import { DeviceError } from '../../../devices/device.ts';
import { KioskError } from '../../core/errors.ts';
import { maskValue } from '../../core/mask.ts';
import { POWER_CARD_OPS } from '../../core/services/power-card.ts';
import { cardFollowUps } from '../../reports/card-follow-ups.ts';
import { authOf, requireOperator } from './auth.ts';
import { cardHolderOf, fillFromCard } from './card-fields.ts';
import type { ServerContext } from './context.ts';
import { noteSecrets } from './masking.ts';
import { optDate, queryOf } from './query-params.ts';

/**
 * The electricity card in the reader, for the purchase screen ("insert your card") and
 * `kiosk card read`: `present: false` while the reader is empty; otherwise the card's serial and
 * customer number, masked (they never leave the kiosk in full), its purchase counter and units
 * (centi-kWh), and `cardToken`: the purchase names the card by it, and the kiosk fills the fields
 * from the card in the reader (src/ui/server/card-fields.ts). A card that is not an electricity
 * card answers `present: true, card: null` with the reason.
 */
export function registerPowerCardRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/card', async (req) => {
    const reader = ctx.kiosk.devices?.cardReader;
    if (!reader) throw new KioskError('KIOSK_E_NOT_FOUND', { zh: '未启用设备', en: 'devices not started' });
    if (!reader.cardPresent()) return { present: false, card: null, health: reader.health() };
    try {
      const { card, token } = await ctx.cardReads.read(cardHolderOf(req, ctx));
      return {
        present: true,
        card: {
          ...card,
          cardSerial: maskValue('card', card.cardSerial),
          customerNo: maskValue('account', card.customerNo),
        },
        cardToken: token,
        health: reader.health(),
      };
    } catch (e) {
      if (!(e instanceof DeviceError)) throw e;
      return {
        present: e.code !== 'DEVICE_E_NO_CARD',
        card: null,
        reason: { code: e.code, zh: e.zh, en: e.en },
      };
    }
  });

  /**
   * 未确认交易查询: the kiosk's open card purchases and reversals (what each waits for, which
   * action applies), of one customer (`customerNo`, or `cardToken` of a read) and/or one business
   * date; and HQ's own list of purchases and reversals it holds unconfirmed (`hq`, null with
   * `hqError` when HQ did not answer).
   */
  app.get('/api/card/unconfirmed', async (req) => {
    requireOperator(req, ctx.sessions);
    const def = ctx.kiosk.services.get('power-card');
    const q = queryOf(req);
    const date = optDate(q);
    const asked = await fillFromCard(
      ctx,
      req,
      def,
      {
        ...(q.customerNo ? { customerNo: q.customerNo } : {}),
        ...(q.cardToken ? { cardToken: q.cardToken } : {}),
      },
      ['customerNo'],
    );
    const customerNo = asked.customerNo?.trim() || undefined;
    if (customerNo !== undefined && !/^\d{6,20}$/.test(customerNo))
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'customerNo',
        zh: '用户号为6至20位数字',
        en: 'customer number must be 6 to 20 digits',
      });
    noteSecrets(req, def, { customerNo });
    const open = [];
    for (const serial of await ctx.kiosk.records.openSerials()) open.push(await ctx.kiosk.engine.get(serial));
    const items = cardFollowUps(open, { customerNo, date }).map(({ txn, followUp }) => ({
      ...followUp,
      transaction: ctx.view(txn),
    }));
    let hq: unknown = null;
    let hqError: unknown = null;
    try {
      hq = await ctx.kiosk.engine.askHq(
        def.id,
        POWER_CARD_OPS.unconfirmed,
        customerNo ? { customerNo } : {},
        date ? { day: date } : {},
        authOf(req, ctx.sessions).actor,
      );
    } catch (e) {
      hqError = e instanceof KioskError ? { code: e.code, zh: e.zh, en: e.en } : { code: 'KIOSK_E_INTERNAL' };
    }
    return { items, hq, hqError };
  });
}
