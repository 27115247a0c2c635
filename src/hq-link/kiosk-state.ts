import { mergeLayers } from '../config/merge.ts';
import type { Journal } from '../journal/journal.ts';
import { configKey } from '../journal/keys.ts';
import type { CommandResult, NoticeCommand } from '../protocol/schemas/index.ts';
import type { ReplayState } from './replay-guard.ts';

/**
 * What the HQ link keeps in the kiosk's journal database, under `c:hq:*` (each a checksummed
 * record written through `journal.commit`, so it is durable and atomic with its journal event).
 */
export const HQ_KEYS = {
  /** `{ version, overrides, previous? }`: the effective HQ layer (config + service enablement). */
  effective: configKey('hq'),
  replay: configKey('hq:replay'),
  config: configKey('hq:config'),
  services: configKey('hq:services'),
  terminal: configKey('hq:terminal'),
  notices: configKey('hq:notices'),
  results: configKey('hq:results'),
} as const;

export interface ConfigLayer {
  version: number;
  overrides: Record<string, unknown>;
  appliedAt: number;
}

export interface StoredConfig {
  current: ConfigLayer | null;
  /** The layer before `current`, kept for rollback. */
  previous: ConfigLayer | null;
}

export interface ServicesLayer {
  enabled: string[];
  /** The cities whose mobile numbers HQ opened for this station's province, when HQ sent them. */
  mobileRegions?: string[];
  at: number;
}

export interface TerminalBinding {
  terminalNo: string | null;
  status: 'enabled' | 'disabled';
  /** HQ's reason for a disabled terminal. */
  reason?: string | undefined;
  at: number;
}

export interface StoredNotice extends NoticeCommand {
  receivedAt: number;
  seq: number;
}

/** Results of the last commands by sequence number, to answer replays with the first result. */
export type StoredResults = Record<string, { status: CommandResult['status']; at: number }>;

export const EMPTY_CONFIG: StoredConfig = { current: null, previous: null };

export async function readHqState(journal: Journal): Promise<{
  replay: ReplayState | undefined;
  config: StoredConfig;
  services: ServicesLayer | undefined;
  terminal: TerminalBinding | undefined;
  notices: StoredNotice[];
  results: StoredResults;
}> {
  return {
    replay: await journal.getJson<ReplayState>(HQ_KEYS.replay),
    config: (await journal.getJson<StoredConfig>(HQ_KEYS.config)) ?? EMPTY_CONFIG,
    services: await journal.getJson<ServicesLayer>(HQ_KEYS.services),
    terminal: await journal.getJson<TerminalBinding>(HQ_KEYS.terminal),
    notices: (await journal.getJson<StoredNotice[]>(HQ_KEYS.notices)) ?? [],
    results: (await journal.getJson<StoredResults>(HQ_KEYS.results)) ?? {},
  };
}

/** The HQ configuration layer as stored: the pushed config with the service enablement on top. */
export function composeHqOverrides(config: StoredConfig, services: ServicesLayer | undefined): unknown {
  const base = config.current?.overrides;
  const svc = services
    ? {
        services: {
          enabled: services.enabled,
          ...(services.mobileRegions ? { mobileRegions: services.mobileRegions } : {}),
        },
      }
    : undefined;
  if (base === undefined && svc === undefined) return undefined;
  return mergeLayers(base ?? {}, svc);
}
