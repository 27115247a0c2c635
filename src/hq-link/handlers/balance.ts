import { KioskError } from '../../core/errors.ts';
import { balanceCommandSchema } from '../../protocol/schemas/index.ts';
import { CommandRefused, defineHandler } from './handler.ts';

/** Counter top-up, same-day top-up reversal, adjustment or refund notice; applied once per ref. */
export const balanceHandler = defineHandler({
  name: 'balance',
  schema: balanceCommandSchema,
  async apply(data, ctx) {
    try {
      const { entry, duplicate } = await ctx.balance.applyHqEvent({
        kind: data.kind,
        fen: data.fen,
        ref: data.ref,
        ...(data.serial ? { serial: data.serial } : {}),
        ...(data.note ? { note: data.note } : {}),
        ...(data.original ? { original: data.original } : {}),
      });
      return { ref: data.ref, duplicate, ledgerSeq: entry.seq, balanceAfterFen: entry.balanceAfterFen };
    } catch (e) {
      if (e instanceof KioskError && e.code !== 'KIOSK_E_JOURNAL_WRITE')
        throw new CommandRefused(e.code, e.zh, e.en, e.details);
      throw e;
    }
  },
});
