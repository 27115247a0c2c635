import { BalanceService } from '../../src/balance/balance-service.ts';
import { systemClock } from '../../src/core/clock.ts';
import type { ServiceDefinition } from '../../src/core/transaction/types.ts';
import { Engine } from '../../src/engine/engine.ts';
import { ServiceRegistry } from '../../src/engine/service-registry.ts';
import { Journal } from '../../src/journal/journal.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FakeHq } from './fake-hq.ts';
import { tempDir, testConfig } from './kiosk-harness.ts';

export type DeviceHealth = { state: 'ok' | 'degraded' | 'offline'; reason?: { zh: string; en: string } };

export interface EngineRig {
  journal: Journal;
  engine: Engine;
  hq: FakeHq;
  /** Device health the engine reads at every use; set a device's entry to change it. */
  health: Record<string, DeviceHealth>;
  stop(): Promise<void>;
}

/**
 * A started engine on a real journal in a temp dir, an HQ double, the given services and config
 * overrides, and a prepaid balance of `balanceFen` topped up by HQ.
 */
export async function startEngineRig(opts: {
  services: readonly ServiceDefinition[];
  config: Record<string, unknown>;
  balanceFen: number;
}): Promise<EngineRig> {
  const dir = await tempDir();
  const config = await testConfig(opts.config);
  const journal = new Journal({ path: dir.path, stationId: config.stationId, clock: systemClock });
  await journal.open();
  const hq = new FakeHq();
  const health: Record<string, DeviceHealth> = {};
  const engine = new Engine({
    journal,
    clock: systemClock,
    config: () => config,
    logger: silentLogger(),
    services: new ServiceRegistry(opts.services),
    runners: { hq },
    devices: () => health,
  });
  await new BalanceService(journal, () => config, silentLogger()).applyHqEvent({
    kind: 'topup',
    fen: opts.balanceFen,
    ref: 's',
  });
  await engine.start();
  return {
    journal,
    engine,
    hq,
    health,
    async stop() {
      await engine.stop();
      await journal.close();
      await dir.cleanup();
    },
  };
}
