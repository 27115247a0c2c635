import { isKioskError, KioskValidationError } from '../../core/errors.ts';
import { commandDataSchemas } from '../../protocol/schemas/index.ts';
import { type CommandContext, CommandRefused, defineHandler } from './handler.ts';

function port(ctx: CommandContext) {
  if (!ctx.assist)
    throw new CommandRefused(
      'HQ_E_NO_ASSIST',
      '本亭未启用便民代办服务',
      'this kiosk runs no assisted services',
    );
  return ctx.assist;
}

/** A refusal of the desk (bad version, a skipped state) as the command's rejection, every problem listed. */
function refused(e: unknown): never {
  if (isKioskError(e) && e.code !== 'KIOSK_E_JOURNAL_WRITE') {
    const problems =
      e instanceof KioskValidationError
        ? e.issues.map((i) => ({ field: i.field ?? '', zh: i.zh, en: i.en }))
        : [{ field: e.field ?? '', zh: e.zh, en: e.en }];
    throw new CommandRefused(
      e.code === 'KIOSK_E_NOT_FOUND' ? 'HQ_E_NOT_FOUND' : 'HQ_E_REFUSED',
      problems.map((p) => `${p.field} ${p.zh}`).join('；'),
      problems.map((p) => `${p.field}: ${p.en}`).join('; '),
      { problems },
    );
  }
  throw e;
}

/** The published service guide: applied only if newer and valid in every part. */
export const guideHandler = defineHandler({
  name: 'guide',
  schema: commandDataSchemas.guide,
  async apply(data, ctx) {
    const r = await port(ctx).applyGuide(data).catch(refused);
    return { ...r };
  },
});

/** Moves an assisted request to its next state (or refuses it) on behalf of the service centre. */
export const requestHandler = defineHandler({
  name: 'request',
  schema: commandDataSchemas.request,
  async apply(data, ctx) {
    const r = await port(ctx).update(data, { channel: 'hq' }).catch(refused);
    return { id: r.request.id, state: r.request.state, unchanged: r.unchanged };
  },
});
