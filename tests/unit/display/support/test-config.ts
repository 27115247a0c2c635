import { readFileSync } from 'node:fs';
import { type DisplayConfig, displayConfigSchema } from '../../../../devices/display/display-config.ts';

/** devices.display from config/default.json, validated, with test overrides (shallow per section). */
export function displayTestConfig(
  over: Partial<{ [K in keyof DisplayConfig]: Partial<DisplayConfig[K]> | DisplayConfig[K] }> = {},
): DisplayConfig {
  const defaults = JSON.parse(
    readFileSync(new URL('../../../../config/default.json', import.meta.url), 'utf8'),
  ).devices.display;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(over)) {
    const base = defaults[k];
    merged[k] =
      base &&
      typeof base === 'object' &&
      !Array.isArray(base) &&
      v &&
      typeof v === 'object' &&
      !Array.isArray(v)
        ? { ...base, ...v }
        : v;
  }
  return displayConfigSchema.parse(merged);
}
