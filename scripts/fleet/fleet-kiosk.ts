import { join } from 'node:path';
import { BalanceService } from '../../src/balance/balance-service.ts';
import { type LoadConfigOptions, loadConfig } from '../../src/config/load.ts';
import { mergeLayers } from '../../src/config/merge.ts';
import type { KioskConfig } from '../../src/config/schema.ts';
import type { Clock } from '../../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import { Engine } from '../../src/engine/engine.ts';
import { ServiceRegistry } from '../../src/engine/service-registry.ts';
import type { ConfigControl } from '../../src/hq-link/config-control.ts';
import { HqLink } from '../../src/hq-link/link.ts';
import { Journal } from '../../src/journal/journal.ts';
import { silentLogger } from '../../src/platform/logger.ts';

export interface FleetKioskOptions {
  station: string;
  dir: string;
  brokerUrl: string;
  tls: { ca: string; cert: string; key: string };
  hqPublicKey: string;
  clock: Clock;
}

/**
 * One simulated kiosk of the fleet: the kiosk's own journal (LevelDB), balance, transaction engine
 * with the shipped service catalogue and HQ link over the broker (mutual TLS, its own certificate),
 * with HQ's configuration pushes applied as in the kiosk. No devices, no local server: the load
 * drives the engine directly, as the operator's API would.
 */
export class FleetKiosk {
  journal!: Journal;
  engine!: Engine;
  balance!: BalanceService;
  link!: HqLink;
  private config!: KioskConfig;

  constructor(readonly opts: FleetKioskOptions) {}

  async start(): Promise<void> {
    const o = this.opts;
    // The shipped timings (config/default.json) for requests, status queries, telemetry and
    // reconnects: a fleet that polls faster than a real kiosk measures its own polling, and under
    // load short request timeouts turn into retries that add to the load they time out on.
    const base: LoadConfigOptions = {
      overrides: {
        stationId: o.station,
        dataDir: o.dir,
        hq: {
          mode: 'broker',
          brokerUrl: o.brokerUrl,
          protocolVersion: 5,
          tls: o.tls,
          publicKey: o.hqPublicKey,
        },
      },
    };
    this.config = (await loadConfig(base)).config;
    const logger = silentLogger();
    this.journal = new Journal({ path: join(o.dir, 'journal'), stationId: o.station, clock: o.clock });
    await this.journal.open();
    this.balance = new BalanceService(this.journal, () => this.config, logger, o.clock);
    const control: ConfigControl = {
      validate: async (hq) => (await loadConfig({ overrides: mergeLayers(hq, base.overrides) })).config,
      apply: (c) => {
        this.config = c;
      },
    };
    this.link = new HqLink({
      config: () => this.config,
      journal: this.journal,
      balance: this.balance,
      clock: o.clock,
      logger,
      configControl: control,
      engine: () => this.engine,
      software: { name: 'newsstand-kiosk', version: 'fleet' },
    });
    this.engine = new Engine({
      journal: this.journal,
      clock: o.clock,
      config: () => this.config,
      logger,
      services: new ServiceRegistry(SERVICE_CATALOGUE),
      runners: { hq: this.link.port },
    });
    await this.engine.start();
    await this.link.start();
  }

  /** Services HQ enabled here (pushed when HQ first saw the station). */
  enabled(service: string): boolean {
    return this.config.services.enabled.includes(service);
  }

  async stop(): Promise<void> {
    await this.engine.stop(2000).catch(() => undefined);
    await this.link.stop().catch(() => undefined);
    await this.journal.close().catch(() => undefined);
  }
}
