import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import { projectPath } from '../platform/project-root.ts';
import { mergeLayers } from './merge.ts';
import type { KioskConfig } from './schema.ts';
import { validateConfig } from './validate.ts';

export const DEFAULT_CONFIG_PATH = projectPath('config', 'default.json');

export interface LoadConfigOptions {
  /** Local file (JSON) layered over the defaults; `KIOSK_CONFIG` when not given. */
  file?: string | undefined;
  /** HQ-pushed overrides, already verified, from the database. */
  hqOverrides?: unknown;
  /** Extra overrides from the command line or a test; highest layer. */
  overrides?: unknown;
  cwd?: string;
}

export interface LoadedConfig {
  config: KioskConfig;
  /** The merged object before validation, for diffing and HQ reporting. */
  raw: unknown;
  sources: string[];
}

export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new KioskError('KIOSK_E_CONFIG', {
      field: path,
      zh: '无法读取配置文件',
      en: `cannot read config file (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new KioskError('KIOSK_E_CONFIG', {
      field: path,
      zh: '配置文件不是合法的 JSON',
      en: `not valid JSON: ${(e as Error).message}`,
    });
  }
}

/** defaults → local file → HQ overrides → explicit overrides, validated once, all errors listed. */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const sources = [DEFAULT_CONFIG_PATH];
  const defaults = await readJsonFile(DEFAULT_CONFIG_PATH);
  const file = opts.file ?? process.env.KIOSK_CONFIG;
  let local: unknown;
  if (file) {
    const path = isAbsolute(file) ? file : resolve(cwd, file);
    local = await readJsonFile(path);
    sources.push(path);
  }
  if (file) refuseHqOnlyKeys(local, sources[sources.length - 1] ?? file);
  if (opts.hqOverrides !== undefined) sources.push('hq');
  const raw = mergeLayers(defaults, local, opts.hqOverrides, opts.overrides);
  const config = validateConfig(raw);
  return { config: { ...config, dataDir: resolve(cwd, config.dataDir) }, raw, sources };
}

/**
 * Keys only HQ sets: the services a station may sell (enabled after its operator is trained), their
 * fees (customers pay no more than HQ published) and the cities whose mobile numbers it may top up
 * (opened by HQ per province). A local file that sets them is refused.
 */
export const HQ_ONLY_KEYS = ['services.enabled', 'services.fees', 'services.mobileRegions'] as const;

function refuseHqOnlyKeys(local: unknown, path: string): void {
  const services = (local as { services?: unknown } | null)?.services;
  if (services === undefined) return;
  const set =
    typeof services === 'object' && services !== null
      ? Object.keys(services)
      : HQ_ONLY_KEYS.map((k) => k.split('.')[1] ?? '');
  const problems = HQ_ONLY_KEYS.filter((k) => set.includes(k.split('.')[1] ?? '')).map(
    (field) =>
      new KioskError('KIOSK_E_CONFIG', {
        field,
        zh: `${field} 只能由总部下发，本地配置文件（${path}）不能设置`,
        en: `${field} comes from HQ only; the local file ${path} cannot set it`,
      }),
  );
  if (problems.length > 0) throw new KioskValidationError('KIOSK_E_CONFIG', problems);
}
