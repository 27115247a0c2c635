import { servicesCommandSchema } from '../schemas/index.ts';
import { validateAndApply } from './config-apply.ts';
import { defineHandler } from './handler.ts';

/** Sets the services enabled at this station (on top of the HQ config layer). */
export const servicesHandler = defineHandler({
  name: 'services',
  schema: servicesCommandSchema,
  async apply(data, ctx) {
    const enabled = [...new Set(data.enabled)].sort();
    await validateAndApply(
      ctx,
      { config: ctx.layers.config, services: { enabled, at: ctx.clock.now() } },
      { command: 'services', enabled },
    );
    ctx.logger.info({ enabled }, 'HQ service enablement applied');
    return { enabled };
  },
});
