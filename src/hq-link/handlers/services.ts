import { servicesCommandSchema } from '../../protocol/schemas/index.ts';
import { validateAndApply } from './config-apply.ts';
import { defineHandler } from './handler.ts';

/** Sets the services enabled at this station (on top of the HQ config layer). */
export const servicesHandler = defineHandler({
  name: 'services',
  schema: servicesCommandSchema,
  async apply(data, ctx) {
    const enabled = [...new Set(data.enabled)].sort();
    // Regions left out keep what HQ sent before.
    const mobileRegions = data.mobileRegions
      ? [...new Set(data.mobileRegions)]
      : ctx.layers.services?.mobileRegions;
    const layer = { enabled, ...(mobileRegions ? { mobileRegions } : {}), at: ctx.clock.now() };
    await validateAndApply(
      ctx,
      { config: ctx.layers.config, services: layer },
      { command: 'services', enabled, ...(mobileRegions ? { mobileRegions } : {}) },
    );
    ctx.logger.info({ enabled, mobileRegions }, 'HQ service enablement applied');
    return { enabled, ...(mobileRegions ? { mobileRegions } : {}) };
  },
});
