import { terminalCommandSchema } from '../../protocol/schemas/index.ts';
import { HQ_KEYS, type TerminalBinding } from '../kiosk-state.ts';
import { CommandRefused, defineHandler } from './handler.ts';

/** Binds the credit-card repayment terminal number (8 digits) to the station and sets its status. */
export const terminalHandler = defineHandler({
  name: 'terminal',
  schema: terminalCommandSchema,
  async apply(data, ctx) {
    if (data.terminalNo === null && data.status === 'enabled')
      throw new CommandRefused(
        'HQ_E_NO_TERMINAL',
        '未绑定终端号不能启用',
        'cannot enable without a terminal number',
      );
    const binding: TerminalBinding = {
      terminalNo: data.terminalNo,
      status: data.status,
      ...(data.reason ? { reason: data.reason } : {}),
      at: ctx.clock.now(),
    };
    await ctx.journal.commit((b) => {
      b.put(HQ_KEYS.terminal, binding);
      b.event({
        type: 'config',
        info: {
          source: 'hq',
          command: 'terminal',
          terminalNo: data.terminalNo,
          status: data.status,
          ...(data.reason ? { reason: data.reason } : {}),
        },
      });
    });
    ctx.layers.terminal = binding;
    ctx.terminalChanged();
    ctx.logger.info({ terminalNo: data.terminalNo, status: data.status }, 'card terminal binding changed');
    return { terminalNo: data.terminalNo, status: data.status };
  },
});
