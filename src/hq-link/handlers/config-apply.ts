import type { KioskConfig } from '../../config/schema.ts';
import { KioskValidationError } from '../../core/errors.ts';
import { composeHqOverrides, HQ_KEYS, type ServicesLayer, type StoredConfig } from '../kiosk-state.ts';
import { type CommandContext, CommandRefused } from './handler.ts';

/**
 * Validates the HQ layers `next` would give and, only if valid, stores them and applies the result.
 * A refusal lists every problem and changes nothing.
 */
export async function validateAndApply(
  ctx: CommandContext,
  next: { config: StoredConfig; services: ServicesLayer | undefined },
  event: Record<string, unknown>,
): Promise<KioskConfig> {
  const control = ctx.configControl;
  if (!control)
    throw new CommandRefused(
      'HQ_E_NO_CONFIG_CONTROL',
      '本亭不接受远程配置',
      'this kiosk takes no remote configuration',
    );
  let config: KioskConfig;
  try {
    config = await control.validate(composeHqOverrides(next.config, next.services) ?? {});
  } catch (e) {
    if (e instanceof KioskValidationError) {
      const problems = e.issues.map((i) => ({ field: i.field ?? '', zh: i.zh, en: i.en }));
      throw new CommandRefused(
        'HQ_E_CONFIG_INVALID',
        `配置无效：${problems.map((p) => `${p.field} ${p.zh}`).join('；')}`,
        `invalid configuration: ${problems.map((p) => `${p.field}: ${p.en}`).join('; ')}`,
        { problems },
      );
    }
    throw e;
  }
  const composed = composeHqOverrides(next.config, next.services);
  await ctx.journal.commit((b) => {
    b.put(HQ_KEYS.config, next.config);
    // The composition root reads the effective HQ layer from here at start-up.
    b.put(HQ_KEYS.effective, {
      version: next.config.current?.version ?? 0,
      overrides: composed ?? {},
      ...(next.config.previous ? { previous: next.config.previous } : {}),
    });
    if (next.services) b.put(HQ_KEYS.services, next.services);
    b.event({ type: 'config', info: { source: 'hq', ...event } });
  });
  ctx.layers.config = next.config;
  ctx.layers.services = next.services;
  control.apply(config);
  ctx.configChanged();
  return config;
}
