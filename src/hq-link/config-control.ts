import type { KioskConfig } from '../config/schema.ts';

/**
 * How the HQ link changes the running configuration. The composition root implements it with
 * `loadConfig({ file, hqOverrides })`, so an HQ layer is validated together with the defaults and
 * the local file, every problem listed.
 */
export interface ConfigControl {
  /** The full configuration that `hqOverrides` would give; throws KioskValidationError if invalid. */
  validate(hqOverrides: unknown): Promise<KioskConfig>;
  /** Makes `config` the running configuration (the engine reads it at every use). */
  apply(config: KioskConfig): void;
}

/** Keys HQ may not set: they would cut the kiosk off from HQ, move its data or name local folders. */
export const PROTECTED_PATHS = [
  'stationId',
  'dataDir',
  'reports.statements',
  'timezone',
  'http',
  'hq.mode',
  'hq.brokerUrl',
  'hq.tls',
  'hq.clientId',
  'hq.topicPrefix',
  'hq.embedded',
] as const;

/** The protected paths an override object touches. Pure. */
export function protectedPathsIn(overrides: Record<string, unknown>): string[] {
  const hits: string[] = [];
  for (const path of PROTECTED_PATHS) {
    const parts = path.split('.');
    let node: unknown = overrides;
    let found = true;
    for (const p of parts) {
      if (typeof node !== 'object' || node === null || !(p in node)) {
        found = false;
        break;
      }
      node = (node as Record<string, unknown>)[p];
    }
    if (found) hits.push(path);
  }
  return hits;
}

/**
 * Settings read once when the kiosk starts (device drivers and their settings, the log level): an
 * HQ layer that sets them is stored and validated at once but takes effect at the next start.
 */
export const AT_NEXT_START = ['devices', 'log'] as const;

/** The top-level keys of an HQ layer that take effect only at the next start. Pure. */
export function nextStartPathsIn(overrides: Record<string, unknown>): string[] {
  return AT_NEXT_START.filter((k) => k in overrides);
}
