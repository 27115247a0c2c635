import { configCommandSchema } from '../../protocol/schemas/index.ts';
import { nextStartPathsIn, protectedPathsIn } from '../config-control.ts';
import { validateAndApply } from './config-apply.ts';
import { CommandRefused, defineHandler } from './handler.ts';

/**
 * A new HQ configuration layer. It must be newer than the applied one, may not touch the keys that
 * keep the kiosk connected, and must validate with the defaults and the local file; the layer it
 * replaces is kept for rollback.
 */
export const configHandler = defineHandler({
  name: 'config',
  schema: configCommandSchema,
  async apply(data, ctx) {
    const stored = ctx.layers.config;
    const current = stored.current;
    if (current && data.version === current.version) return { version: data.version, unchanged: true };
    if (current && data.version < current.version)
      throw new CommandRefused(
        'HQ_E_CONFIG_STALE',
        `配置版本 ${data.version} 低于当前版本 ${current.version}`,
        `config version ${data.version} is older than the applied ${current.version}`,
      );
    const blocked = protectedPathsIn(data.overrides);
    if (blocked.length > 0)
      throw new CommandRefused(
        'HQ_E_CONFIG_PROTECTED',
        `总部不能修改：${blocked.join('、')}`,
        `HQ may not change: ${blocked.join(', ')}`,
        { problems: blocked.map((field) => ({ field, zh: '不可远程修改', en: 'protected' })) },
      );
    const next = {
      current: { version: data.version, overrides: data.overrides, appliedAt: ctx.clock.now() },
      previous: current,
    };
    await validateAndApply(
      ctx,
      { config: next, services: ctx.layers.services },
      { command: 'config', version: data.version, previous: current?.version ?? null },
    );
    ctx.logger.info({ version: data.version, previous: current?.version ?? null }, 'HQ config applied');
    const later = nextStartPathsIn(data.overrides);
    return {
      version: data.version,
      previous: current?.version ?? null,
      // Applied now except these, which the kiosk reads at start-up: the answer says so.
      ...(later.length > 0
        ? {
            appliesAtNextStart: later,
            note: {
              zh: `${later.join('、')} 已保存，下次启动时生效`,
              en: `${later.join(', ')} stored; takes effect at the next start`,
            },
          }
        : {}),
    };
  },
});
