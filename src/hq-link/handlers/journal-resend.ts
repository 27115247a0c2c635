import { journalResendCommandSchema } from '../../protocol/schemas/index.ts';
import { defineHandler } from './handler.ts';

/** Sends journal events again from a sequence number (HQ found a gap or lost data). */
export const journalResendHandler = defineHandler({
  name: 'journal-resend',
  schema: journalResendCommandSchema,
  async apply(data, ctx) {
    const sent = await ctx.relay.resend(data.fromSeq, data.toSeq, ctx.station);
    ctx.logger.info({ fromSeq: data.fromSeq, toSeq: data.toSeq, sent }, 'journal resent on HQ request');
    return { fromSeq: data.fromSeq, sent };
  },
});
