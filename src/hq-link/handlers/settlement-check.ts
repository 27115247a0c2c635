import { settlementCheckCommandSchema } from '../../protocol/schemas/index.ts';
import { recordHqVerdict } from '../../settlement/settlement-book.ts';
import { CommandRefused, defineHandler } from './handler.ts';

/**
 * HQ's digest of a settlement, recorded beside the kiosk's own; the settlement list then shows
 * whether they agree, and a mismatch is an error event on the kiosk as well.
 */
export const settlementCheckHandler = defineHandler({
  name: 'settlement-check',
  schema: settlementCheckCommandSchema,
  async apply(data, ctx) {
    const rec = await recordHqVerdict(ctx.journal, ctx.logger, data.businessDate, data.id, data.digest);
    if (!rec)
      throw new CommandRefused(
        'HQ_E_NOT_FOUND',
        `没有账务日期 ${data.businessDate} 的第 ${data.id} 号扎账`,
        `no settlement ${data.id} of business date ${data.businessDate}`,
      );
    return {
      businessDate: data.businessDate,
      id: data.id,
      match: rec.hq?.match ?? false,
      digest: rec.digest,
    };
  },
});
