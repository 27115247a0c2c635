import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BalanceService } from '../../src/balance/balance-service.ts';
import { type LoadConfigOptions, loadConfig } from '../../src/config/load.ts';
import { mergeLayers } from '../../src/config/merge.ts';
import type { KioskConfig } from '../../src/config/schema.ts';
import type { Clock } from '../../src/core/clock.ts';
import { systemClock } from '../../src/core/clock.ts';
import type { ConfigControl } from '../../src/hq-link/config-control.ts';
import { HqLink, type HqLinkDeps } from '../../src/hq-link/link.ts';
import { Journal } from '../../src/journal/journal.ts';
import { silentLogger } from '../../src/platform/logger.ts';

/** A kiosk with a real LevelDB journal and the HQ link, for tests. */
export interface TestKiosk {
  dir: string;
  config: () => KioskConfig;
  journal: Journal;
  balance: BalanceService;
  link: HqLink;
  applied: KioskConfig[];
  stop(): Promise<void>;
}

export async function makeTestKiosk(opts: {
  station: string;
  hq: Record<string, unknown>;
  connection?: HqLinkDeps['connection'];
  clock?: Clock;
  dir?: string;
  configControl?: boolean;
}): Promise<TestKiosk> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'kiosk-hq-')));
  const base: LoadConfigOptions = { overrides: { stationId: opts.station, dataDir: dir, hq: opts.hq } };
  let config = (await loadConfig(base)).config;
  const clock = opts.clock ?? systemClock;
  const journal = new Journal({ path: join(dir, 'journal'), stationId: opts.station, clock });
  await journal.open();
  const logger = silentLogger();
  const balance = new BalanceService(journal, () => config, logger);
  const applied: KioskConfig[] = [];
  const control: ConfigControl = {
    validate: async (hqOverrides) =>
      (await loadConfig({ overrides: mergeLayers(hqOverrides, base.overrides) })).config,
    apply: (c) => {
      config = c;
      applied.push(c);
    },
  };
  const link = new HqLink({
    config: () => config,
    journal,
    balance,
    clock,
    logger,
    ...(opts.configControl === false ? {} : { configControl: control }),
    ...(opts.connection ? { connection: opts.connection } : {}),
    software: { name: 'newsstand-kiosk', version: 'test' },
  });
  return {
    dir,
    config: () => config,
    journal,
    balance,
    link,
    applied,
    async stop() {
      await link.stop();
      await journal.close();
      if (!opts.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
