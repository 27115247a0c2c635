import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { AssistDesk } from '../assist/assist-desk.ts';
import { AssistWatch } from '../assist/assist-watch.ts';
import { BalanceService } from '../balance/balance-service.ts';
import { LowBalanceWatch } from '../balance/low-balance-watch.ts';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import type { KioskConfig } from '../config/schema.ts';
import { type Availability, availabilityOf, type Bilingual } from '../core/availability.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { isKioskError } from '../core/errors.ts';
import { availableFen } from '../core/ledger.ts';
import { SERVICE_CATALOGUE } from '../core/services/catalogue.ts';
import type { ServiceDefinition } from '../core/transaction/types.ts';
import { DeviceEffects } from '../engine/device-effects.ts';
import { Engine } from '../engine/engine.ts';
import type { HqPort } from '../engine/ports.ts';
import { ServiceRegistry } from '../engine/service-registry.ts';
import { UnavailableHqPort } from '../engine/unavailable-hq.ts';
import type { ConfigControl } from '../hq-link/config-control.ts';
import type { ConnectionSettings } from '../hq-link/mqtt-options.ts';
import { Journal, type JournalProblem } from '../journal/journal.ts';
import { JournalReader } from '../journal/journal-reader.ts';
import { configKey } from '../journal/keys.ts';
import { verifyJournal } from '../journal/verify.ts';
import { Operators } from '../operators/operators.ts';
import { ClientKeys } from '../orders/client-keys.ts';
import { OrderBook } from '../orders/order-book.ts';
import { OrderDesk } from '../orders/order-desk.ts';
import { OrderRunner } from '../orders/order-runner.ts';
import { QrAcquirer } from '../orders/qr-acquirer.ts';
import { ensureWritableDir } from '../platform/data-dir.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import { projectPath } from '../platform/project-root.ts';
import { orderSlip, refundSlip } from '../reports/order-slip.ts';
import { MonthlyPush } from '../settlement/monthly-push.ts';
import { SettlementBook } from '../settlement/settlement-book.ts';
import { LocalServer } from '../ui/server/local-server.ts';
import { CardEffects } from './card-effects.ts';
import { CardTerminal } from './card-terminal.ts';
import { DeviceDesk } from './device-desk.ts';
import { type KioskDevices, startDevices } from './device-wiring.ts';
import { loadFollowKey } from './follow-key.ts';
import { GpioBridge } from './gpio-bridge.ts';
import { type HqParts, SwitchableHqPort, startHq, stopHq } from './hq-wiring.ts';
import { JournalRecovery } from './journal-recovery.ts';
import { NoticeBridge } from './notice-bridge.ts';
import { ReceiptBridge } from './receipt-bridge.ts';

export interface KioskAppOptions {
  configFile?: string | undefined;
  overrides?: unknown;
  clock?: Clock;
  logger?: Logger;
  /** Replaces the HQ link chosen from config (tests with an HQ double). */
  hqPort?: HqPort;
  /** Skip the local HTTP server (CLI commands that only need the journal). */
  http?: boolean;
  /** Replaces the built-in service catalogue (tests). */
  services?: readonly ServiceDefinition[];
  /** Connection settings over the configured ones in `broker` mode (a test broker's login). */
  hqConnection?: Partial<ConnectionSettings>;
}

/** Stored HQ configuration layer: the version applied and the one before it (for rollback). */
export interface StoredHqConfig {
  version: number;
  overrides: unknown;
  previous?: { version: number; overrides: unknown };
}

export interface AppEvents {
  'safe-mode': [{ zh: string; en: string; problems: JournalProblem[] }];
  /** Something asks the process to stop cleanly (power failure); `kiosk start` does it. */
  'shutdown-requested': [string];
}

/** Safe-mode reason while the start-up check runs. */
const CHECKING = { zh: '正在检查流水库，请稍候', en: 'checking the journal; please wait' };

const PACKAGE = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/**
 * The composition root: the only place that picks implementations and wires them. `open()` builds
 * the parts around the journal (enough for CLI commands); `start()` also starts the devices, the HQ
 * link (and the embedded HQ), resumes open transactions and starts the local server. A journal
 * that fails its checks puts the kiosk in safe mode instead of stopping it.
 */
export class KioskApp extends EventEmitter<AppEvents> {
  readonly clock: Clock;
  logger: Logger;
  journal!: Journal;
  /** The journal's read-only queries, for the local API and the CLI. */
  records!: JournalReader;
  engine!: Engine;
  balance!: BalanceService;
  operators!: Operators;
  settlements!: SettlementBook;
  lowBalance: LowBalanceWatch | undefined;
  monthly: MonthlyPush | undefined;
  cardTerminal!: CardTerminal;
  readonly services: ServiceRegistry;
  devices: KioskDevices | undefined;
  /** The operator's device actions (state, test page, reconnect); set once the devices start. */
  deviceDesk: DeviceDesk | undefined;
  hq: HqParts = { link: undefined, embedded: undefined };
  receipts: ReceiptBridge | undefined;
  orders!: OrderDesk;
  /** Assisted services (代办/帮办): the service guide, requests, appointments. */
  assist!: AssistDesk;
  private assistWatch: AssistWatch | undefined;
  orderBook!: OrderBook;
  clientKeys!: ClientKeys;
  private orderRunner: OrderRunner | undefined;
  private notices: NoticeBridge | undefined;
  private gpioBridge: GpioBridge | undefined;
  private loaded!: LoadedConfig;
  private readonly hqPort = new SwitchableHqPort(new UnavailableHqPort());
  private server: LocalServer | undefined;
  /** This kiosk's secret for customers' follow tokens, read from the journal before the server starts. */
  followKey: Buffer = Buffer.alloc(0);
  private recovery: JournalRecovery | undefined;
  problems: JournalProblem[] = [];
  startedAt = 0;

  constructor(private readonly opts: KioskAppOptions = {}) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? createLogger();
    this.services = new ServiceRegistry(opts.services ?? SERVICE_CATALOGUE);
  }

  get config(): KioskConfig {
    return this.loaded.config;
  }

  /** Opens the journal and builds the parts without starting transactions, devices or servers. */
  async open(): Promise<void> {
    const base = await loadConfig({ file: this.opts.configFile, overrides: this.opts.overrides });
    this.loaded = base;
    if (!this.opts.logger)
      this.logger = createLogger({ level: base.config.log.level, format: base.config.log.format });
    this.journal = new Journal({
      path: base.config.dataDir,
      stationId: base.config.stationId,
      clock: this.clock,
      dayCut: () => this.loaded.config.business.dayCut,
    });
    await ensureWritableDir(base.config.dataDir, 'dataDir');
    await this.journal.open();
    this.records = new JournalReader(this.journal);
    const stored = await this.journal.getJson<StoredHqConfig>(configKey('hq')).catch(() => undefined);
    if (stored) {
      try {
        this.loaded = await this.loadWith(stored.overrides);
      } catch (e) {
        this.logger.error(
          { err: isKioskError(e) ? e.toJSON() : e, version: stored.version },
          'stored HQ configuration is invalid; running on the local configuration',
        );
      }
    }
    if (
      this.journal.startupProblems.length === 0 &&
      this.loaded.config.business.dayCut !== base.config.business.dayCut
    )
      await this.journal.checkDayTotals();
    if (this.journal.dayTotalsRebuilt)
      this.logger.warn(
        { why: this.journal.dayTotalsRebuilt },
        'per-date report totals counted again from the journal',
      );
    const config = (): KioskConfig => this.loaded.config;
    const hqPort = this.opts.hqPort ?? this.hqPort;
    this.cardTerminal = new CardTerminal(this.journal, hqPort, this.clock, config, this.logger);
    await this.cardTerminal.load();
    this.engine = new Engine({
      journal: this.journal,
      clock: this.clock,
      config,
      logger: this.logger,
      services: this.services,
      runners: {
        hq: hqPort,
        device: new DeviceEffects({ cardReader: new CardEffects(() => this.devices?.cardReader) }),
      },
      devices: () => this.devices?.health() ?? {},
      facts: () => this.cardTerminal.facts(),
    });
    this.balance = new BalanceService(this.journal, config, this.logger, this.clock);
    this.orderBook = new OrderBook(this.journal);
    this.clientKeys = new ClientKeys(this.journal);
    this.operators = new Operators(this.journal, this.clock, config);
    this.settlements = new SettlementBook(
      this.journal,
      this.clock,
      config,
      (id) => (this.services.has(id) ? this.services.get(id) : undefined),
      this.logger,
    );
    this.assist = new AssistDesk({
      journal: this.journal,
      clock: this.clock,
      logger: this.logger,
      station: () => ({ stationId: this.config.stationId, stationName: this.config.stationName }),
      print: async (r) => {
        if (!this.devices) throw new Error('no printer while the kiosk is not started');
        return this.devices.printQueue.print(r);
      },
    });
    await this.assist.load();
    if (this.journal.startupProblems.length > 0) this.toSafeMode(this.journal.startupProblems);
    this.journal.on('integrity', (p) => this.toSafeMode([...this.problems, p]));
  }

  private loadWith(hqOverrides: unknown): Promise<LoadedConfig> {
    return loadConfig({ file: this.opts.configFile, overrides: this.opts.overrides, hqOverrides });
  }

  /** How HQ-pushed configuration is checked and applied (the engine reads config at every use). */
  private configControl(): ConfigControl {
    return {
      validate: async (hqOverrides) => (await this.loadWith(hqOverrides)).config,
      apply: (config) => {
        this.loaded = { ...this.loaded, config };
        this.logger.info('configuration from HQ applied');
      },
    };
  }

  async start(): Promise<void> {
    this.startedAt = this.clock.now();
    await this.open();
    // The full check decides safe mode before anything can be sold: the engine refuses every sale
    // until it has passed, and nothing below (HQ link, devices, local server) starts before it.
    if (!this.engine.safeMode) this.engine.enterSafeMode(CHECKING, { routine: true });
    await this.checkJournal();
    await this.engine.exitSafeMode(CHECKING);
    const log = this.logger;
    this.lowBalance = new LowBalanceWatch(this.journal, this.balance, log);
    await this.lowBalance.start();
    this.monthly = new MonthlyPush(this.journal, this.clock, () => this.loaded.config.business.dayCut, log);
    await this.monthly.start();
    this.devices = await startDevices(() => this.loaded.config, { clock: this.clock, logger: log });
    this.deviceDesk = new DeviceDesk({
      devices: () => this.devices,
      journal: this.journal,
      clock: this.clock,
      config: () => this.loaded.config,
      logger: log,
    });
    // A card coming back wakes the transactions waiting for one (write, read-back) at once.
    this.devices.cardReader.on('card-inserted', () =>
      this.engine.hurry((t) => this.services.get(t.service).requires?.includes('cardReader') ?? false),
    );
    if (!this.opts.hqPort) {
      this.hq = await startHq({
        config: () => this.loaded.config,
        journal: this.journal,
        balance: this.balance,
        clock: this.clock,
        logger: log,
        safeMode: () => this.engine.safeMode,
        configControl: this.configControl(),
        devices: () => this.devices?.health() ?? {},
        software: { name: PACKAGE.name, version: PACKAGE.version },
        cwd: process.cwd(),
        services: (id) => (this.services.has(id) ? this.services.get(id) : undefined),
        assist: this.assist,
        ...(this.opts.hqConnection ? { connection: this.opts.hqConnection } : {}),
      });
      if (this.hq.link) this.hqPort.use(this.hq.link.port);
      this.hq.link?.on('terminal', (binding) => this.cardTerminal.bindingChanged(binding));
    }
    this.notices = new NoticeBridge(this.devices.sign, this.journal, log);
    this.notices.start();
    this.hq.link?.on('notices', (list) => this.notices?.update(list));
    this.receipts = new ReceiptBridge(
      this.engine,
      this.journal,
      this.services,
      this.devices.printQueue,
      () => ({ stationId: this.config.stationId, stationName: this.config.stationName }),
      log,
      this.clock,
    );
    await this.receipts.start();
    this.gpioBridge = new GpioBridge(this.devices.gpio, this.engine, this.journal, log, () =>
      this.emit('shutdown-requested', 'power-fail'),
    );
    this.gpioBridge.start();
    this.assistWatch = new AssistWatch(this.assist, this.devices.sign, this.clock, log);
    this.assistWatch.start();
    await this.engine.start();
    await this.startOrders();
    this.recovery = new JournalRecovery({
      journal: this.journal,
      engine: this.engine,
      logger: log,
      report: (p) => {
        this.problems = [...this.problems.filter((x) => x.key !== '(write)'), ...(p ? [p] : [])];
      },
      corrupt: (problems) => this.toSafeMode(problems),
    });
    this.recovery.start();
    if (this.opts.http !== false) {
      this.followKey = await loadFollowKey(this.journal, log);
      this.server = new LocalServer(this, log);
      await this.server.start();
    }
    log.info(
      {
        stationId: this.config.stationId,
        dataDir: this.config.dataDir,
        sources: this.loaded.sources,
        hq: this.config.hq.mode,
        broker: this.hq.embedded?.url,
        safeMode: this.engine.safeMode !== null,
      },
      'kiosk started',
    );
  }

  /** Full scan of the store (measured by `npm run bench`); any problem puts the kiosk in safe mode. */
  private async checkJournal(): Promise<void> {
    const found = await verifyJournal(this.journal).then(
      (r) => r.problems,
      (e: unknown): JournalProblem[] => [{ key: '(scan)', kind: 'io', message: (e as Error).message }],
    );
    const seen = new Set(this.problems.map((p) => `${p.key} ${p.message}`));
    const fresh = found.filter((p) => !seen.has(`${p.key} ${p.message}`));
    if (fresh.length > 0) this.toSafeMode([...this.problems, ...fresh]);
  }

  /** Self-service orders: tender before any payment, followed and resumed by the runner. */
  private async startOrders(): Promise<void> {
    const station = () => ({ stationId: this.config.stationId, stationName: this.config.stationName });
    const print = (build: () => Parameters<NonNullable<KioskDevices['printQueue']>['print']>[0]) => {
      try {
        void this.devices?.printQueue
          .print(build())
          .catch((e: unknown) => this.logger.error({ err: e }, 'slip not printed'));
      } catch (e) {
        this.logger.error({ err: e }, 'slip not built');
      }
    };
    this.orderRunner = new OrderRunner({
      book: this.orderBook,
      engine: this.engine,
      acquirer: new QrAcquirer(
        this.opts.hqPort ?? this.hqPort,
        this.config.stationId,
        () => this.config.engine.requestTimeoutMs,
      ),
      clock: this.clock,
      config: () => this.loaded.config,
      logger: this.logger,
      refunded: (o) => print(() => refundSlip(o, this.services.get(o.service), station())),
    });
    this.orders = new OrderDesk({
      book: this.orderBook,
      runner: this.orderRunner,
      engine: this.engine,
      services: this.services,
      keys: this.clientKeys,
      clock: this.clock,
      config: () => this.loaded.config,
      logger: this.logger,
      availability: (def, self) => this.availability(def, self),
      printSlip: (o) => print(() => orderSlip(o, this.services.get(o.service), station())),
    });
    if (!this.engine.safeMode) await this.orderRunner.start();
  }

  /**
   * Whether a service can be used now and why not, in a customer's words: safe mode, enablement,
   * self-service, business hours (self-service), the HQ link, its devices, and the station's
   * balance (never shown, only called a suspension).
   */
  availability(def: ServiceDefinition, self: boolean): Availability {
    const link = this.hq.link;
    return availabilityOf(def, {
      config: this.config,
      now: this.clock.now(),
      safeMode: this.engine.safeMode,
      hqOnline: this.opts.hqPort ? true : this.config.hq.mode !== 'off' && (link?.online ?? false),
      device: this.engine.unavailable(def),
      availableFen: availableFen(this.journal.balance),
      self,
      notReady: this.notReady(def),
    });
  }

  /** The service's own refusal from HQ's facts, in the operator's and the customer's words. */
  private notReady(def: ServiceDefinition): { operator: Bilingual; customer: Bilingual } | null {
    const facts = this.cardTerminal?.facts();
    const err =
      def.ready && facts ? def.ready(facts, { clock: this.clock, config: this.config, facts }) : null;
    if (!err) return null;
    const c = (err.details as { customer?: Bilingual } | undefined)?.customer;
    return {
      operator: { zh: err.zh, en: err.en },
      customer: c ?? {
        zh: `${def.title.zh}暂停办理，请到柜台咨询`,
        en: `${def.title.en} is unavailable now; please ask at the counter`,
      },
    };
  }

  /** True while the journal is faulted and trying to take writes again (the process is fine). */
  get journalRecovering(): boolean {
    return this.recovery?.recovering ?? false;
  }

  get url(): string | undefined {
    return this.server?.url;
  }

  /** The local API's routes (`METHOD /path/:param`); none while it does not run. */
  get httpRoutes(): readonly string[] {
    return this.server?.routes ?? [];
  }

  private toSafeMode(problems: JournalProblem[]): void {
    this.problems = problems;
    const reason = {
      zh: `流水库检查发现 ${problems.length} 处问题，暂停交易，请联系总部`,
      en: `journal check found ${problems.length} problem(s); transactions stopped, contact HQ`,
    };
    for (const p of problems.slice(0, 50))
      this.logger.error({ key: p.key, kind: p.kind, problem: p.message }, 'journal problem');
    this.engine.enterSafeMode(reason);
    this.emit('safe-mode', { ...reason, problems });
  }

  /** Stops in reverse order; open transactions are left in the journal and resume at next start. */
  async stop(deadlineMs = 10_000): Promise<void> {
    const step = (name: string): void => this.logger.debug({ step: name }, 'stopping');
    // First refuse anything new (the local server waits for requests in flight as it closes).
    this.engine?.beginShutdown();
    step('server');
    await this.server?.stop();
    this.lowBalance?.stop();
    this.monthly?.stop();
    this.recovery?.stop();
    this.receipts?.stop();
    this.orderRunner?.stop();
    this.notices?.stop();
    this.gpioBridge?.stop();
    this.assistWatch?.stop();
    step('engine');
    await this.engine?.stop(deadlineMs);
    step('hq');
    await stopHq(this.hq);
    step('devices');
    await this.devices?.stop();
    step('journal');
    await this.journal?.close();
    this.logger.info('kiosk stopped');
  }
}
