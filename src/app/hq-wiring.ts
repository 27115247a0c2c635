import { resolve } from 'node:path';
import type { BalanceService } from '../balance/balance-service.ts';
import type { KioskConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import type { HqPort } from '../engine/ports.ts';
import type { ConfigControl } from '../hq-link/config-control.ts';
import type { AssistPort } from '../hq-link/handlers/handler.ts';
import { HqLink } from '../hq-link/link.ts';
import type { ConnectionSettings } from '../hq-link/mqtt-options.ts';
import type { DeviceHealthLike } from '../hq-link/telemetry.ts';
import type { Journal } from '../journal/journal.ts';
import type { Logger } from '../platform/logger.ts';
import type { EmbeddedHq } from '../reference-hq/embedded.ts';
import type { ServiceLookup } from '../reports/mask-txn.ts';

export interface HqParts {
  link: HqLink | undefined;
  embedded: EmbeddedHq | undefined;
}

export interface HqWiringDeps {
  config: () => KioskConfig;
  journal: Journal;
  balance: BalanceService;
  clock: Clock;
  logger: Logger;
  safeMode: () => unknown;
  configControl: ConfigControl;
  devices: () => Record<string, DeviceHealthLike>;
  software: { name: string; version: string };
  /** Working folder that relative HQ paths resolve against. */
  cwd: string;
  /** Connection settings over the configured ones in `broker` mode. */
  connection?: Partial<ConnectionSettings>;
  /** The kiosk's service definitions: what the journal relay masks. */
  services?: ServiceLookup;
  assist?: AssistPort;
}

/**
 * Starts what `hq.mode` asks for: nothing (`off`), the link to a real broker (`broker`), or an
 * in-process broker with the reference HQ and the link to it (`embedded`, the default of
 * `npm start`). The link starts connecting in the background; requests wait for it.
 */
export async function startHq(deps: HqWiringDeps): Promise<HqParts> {
  const hq = deps.config().hq;
  if (hq.mode === 'off') return { link: undefined, embedded: undefined };
  let embedded: EmbeddedHq | undefined;
  if (hq.mode === 'embedded') {
    const e = hq.embedded;
    // Loaded only here: the in-process broker and reference HQ are no part of a kiosk whose HQ
    // runs elsewhere (broker mode), which would otherwise carry their code all day.
    const { startEmbeddedHq } = await import('../reference-hq/embedded.ts');
    embedded = await startEmbeddedHq({
      dataDir: resolve(deps.cwd, e.dataDir),
      port: e.port,
      topicPrefix: hq.topicPrefix,
      logger: deps.logger.child({ name: 'hq' }),
      clock: deps.clock,
      billerLatencyMs: e.billerLatencyMs,
      reversalIntervalMin: e.reversalIntervalMin,
      openingBalance: e.openingBalance,
      dayCut: deps.config().business.dayCut,
      trainedServices: e.trainedServices,
    });
  }
  const link = new HqLink({
    config: deps.config,
    journal: deps.journal,
    balance: deps.balance,
    clock: deps.clock,
    logger: deps.logger.child({ name: 'hq-link' }),
    engine: () => ({ safeMode: deps.safeMode() }),
    configControl: deps.configControl,
    devices: deps.devices,
    software: deps.software,
    ...(deps.services ? { services: deps.services } : {}),
    ...(deps.assist ? { assist: deps.assist } : {}),
    ...(embedded
      ? {
          connection: {
            url: embedded.url,
            protocolVersion: 4 as const,
            publicKeys: [embedded.publicKey],
            // The embedded broker binds a kiosk's login to its station id as client id.
            clientId: deps.config().stationId,
            login: await embedded.kioskLogin(deps.config().stationId),
          },
        }
      : deps.connection
        ? { connection: deps.connection }
        : {}),
  });
  await link.start();
  return { link, embedded };
}

export async function stopHq(parts: HqParts): Promise<void> {
  await parts.link?.stop();
  await parts.embedded?.stop();
}

/**
 * The engine's HQ port, bound late: the engine exists before the link is started (and CLI commands
 * never start one), so requests go to whatever port is current, the unavailable one by default.
 */
export class SwitchableHqPort implements HqPort {
  constructor(private current: HqPort) {}
  use(port: HqPort): void {
    this.current = port;
  }
  request(...args: Parameters<HqPort['request']>): ReturnType<HqPort['request']> {
    return this.current.request(...args);
  }
}
