import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BalanceService } from '../../src/balance/balance-service.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { KioskConfig } from '../../src/config/schema.ts';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import type { ServiceDefinition, StationFacts } from '../../src/core/transaction/types.ts';
import { Engine, type EngineDeps } from '../../src/engine/engine.ts';
import type { HqPort } from '../../src/engine/ports.ts';
import { ServiceRegistry } from '../../src/engine/service-registry.ts';
import { Journal } from '../../src/journal/journal.ts';
import { type Logger, silentLogger } from '../../src/platform/logger.ts';
import { testBillService } from './test-service.ts';

export async function tempDir(
  prefix = 'kiosk-test-',
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** The embedded defaults with the test service enabled, plus overrides. */
export async function testConfig(overrides: Record<string, unknown> = {}): Promise<KioskConfig> {
  const { config } = await loadConfig({
    file: undefined,
    overrides: mergeDeep(
      {
        services: { enabled: ['test-bill'], fees: { 'test-bill': '1.00' } },
        selfService: { services: ['test-bill'], maxAmount: '200.00' },
        // The quick first status queries are off (as slow as the interval) unless a test asks.
        engine: {
          requestTimeoutMs: 1000,
          maxAttempts: 3,
          retryBaseDelayMs: 100,
          retryMaxDelayMs: 1000,
          firstStatusQueryMs: 30_000,
        },
      },
      overrides,
    ),
  });
  return config;
}

export function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] =
      av && typeof av === 'object' && !Array.isArray(av) && v && typeof v === 'object' && !Array.isArray(v)
        ? mergeDeep(av as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export interface Harness {
  journal: Journal;
  engine: Engine;
  balance: BalanceService;
  config: KioskConfig;
  close: () => Promise<void>;
}

/** A journal on disk under `dir` with an engine running the test service against `hq`. */
export async function openKiosk(
  dir: string,
  hq: HqPort,
  opts: {
    clock?: Clock;
    config?: KioskConfig;
    start?: boolean;
    services?: readonly ServiceDefinition[];
    facts?: () => StationFacts;
    /** Where the engine logs; nowhere by default. */
    logger?: Logger;
    /** Device health the engine reads (a service needing an absent device is unavailable). */
    devices?: EngineDeps['devices'];
  } = {},
): Promise<Harness> {
  const config = opts.config ?? (await testConfig());
  const clock = opts.clock ?? systemClock;
  const journal = new Journal({ path: dir, stationId: config.stationId, clock });
  await journal.open();
  const logger = opts.logger ?? silentLogger();
  const engine = new Engine({
    journal,
    clock,
    config: () => config,
    logger,
    services: new ServiceRegistry(opts.services ?? [testBillService]),
    runners: { hq },
    ...(opts.facts ? { facts: opts.facts } : {}),
    ...(opts.devices ? { devices: opts.devices } : {}),
  });
  const balance = new BalanceService(journal, () => config, logger);
  if (opts.start !== false) await engine.start();
  return {
    journal,
    engine,
    balance,
    config,
    close: async () => {
      await engine.stop(1000);
      await journal.close();
    },
  };
}
