import { noticeCommandSchema } from '../../protocol/schemas/index.ts';
import { HQ_KEYS, type StoredNotice } from '../kiosk-state.ts';
import { CommandRefused, defineHandler } from './handler.ts';

/** Publishes an LED / screen notice (first report or follow-up); stored so it survives restarts. */
export const noticeHandler = defineHandler({
  name: 'notice',
  schema: noticeCommandSchema,
  async apply(data, ctx, meta) {
    const now = ctx.clock.now();
    if (data.endAt !== null && data.endAt <= now)
      throw new CommandRefused('HQ_E_NOTICE_ENDED', '公告已过结束时间', 'notice end time has passed');
    const notice: StoredNotice = { ...data, receivedAt: now, seq: meta.seq };
    const board = ctx.notices;
    const before = board.all();
    board.put(notice);
    board.prune(now);
    try {
      await ctx.journal.commit((b) => {
        b.put(HQ_KEYS.notices, board.all());
        b.event({
          type: 'system',
          info: { source: 'hq', command: 'notice', id: data.id, priority: data.priority, kind: data.kind },
        });
      });
    } catch (e) {
      for (const n of board.all()) board.withdraw(n.id);
      for (const n of before) board.put(n);
      throw e;
    }
    ctx.logger.info(
      { id: data.id, priority: data.priority, kind: data.kind, text: data.text },
      'HQ notice received',
    );
    ctx.noticesChanged();
    return { id: data.id, notices: board.current(now).map((n) => n.id) };
  },
});
