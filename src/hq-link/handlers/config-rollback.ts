import { configRollbackCommandSchema } from '../../protocol/schemas/index.ts';
import { validateAndApply } from './config-apply.ts';
import { CommandRefused, defineHandler } from './handler.ts';

/** Returns to the layer before `fromVersion`, which must be the applied one. */
export const configRollbackHandler = defineHandler({
  name: 'config-rollback',
  schema: configRollbackCommandSchema,
  async apply(data, ctx) {
    const { current, previous } = ctx.layers.config;
    if (!current || current.version !== data.fromVersion)
      throw new CommandRefused(
        'HQ_E_CONFIG_VERSION',
        `当前配置版本不是 ${data.fromVersion}`,
        `applied config version is ${current?.version ?? 'none'}, not ${data.fromVersion}`,
      );
    const next = { current: previous, previous: null };
    await validateAndApply(
      ctx,
      { config: next, services: ctx.layers.services },
      { command: 'config-rollback', from: current.version, to: previous?.version ?? null },
    );
    ctx.logger.warn({ from: current.version, to: previous?.version ?? null }, 'HQ config rolled back');
    return { from: current.version, to: previous?.version ?? null };
  },
});
