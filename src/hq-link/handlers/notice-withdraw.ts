import { noticeWithdrawCommandSchema } from '../../protocol/schemas/index.ts';
import { HQ_KEYS } from '../kiosk-state.ts';
import { defineHandler } from './handler.ts';

/** Withdraws a notice (and its follow-ups) at once. Withdrawing an unknown id changes nothing. */
export const noticeWithdrawHandler = defineHandler({
  name: 'notice-withdraw',
  schema: noticeWithdrawCommandSchema,
  async apply(data, ctx) {
    const board = ctx.notices;
    const before = board.all();
    if (!board.withdraw(data.id)) return { id: data.id, withdrawn: false };
    try {
      await ctx.journal.commit((b) => {
        b.put(HQ_KEYS.notices, board.all());
        b.event({ type: 'system', info: { source: 'hq', command: 'notice-withdraw', id: data.id } });
      });
    } catch (e) {
      for (const n of before) board.put(n);
      throw e;
    }
    ctx.logger.info({ id: data.id }, 'HQ notice withdrawn');
    ctx.noticesChanged();
    return { id: data.id, withdrawn: true };
  },
});
