import type { KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import type { Notice } from '../../devices/display/notice.ts';
import type { BalanceService } from '../balance/balance-service.ts';
import type { KioskConfig } from '../config/schema.ts';
import { Backoff } from '../core/backoff.ts';
import type { Clock } from '../core/clock.ts';
import { SERVICE_CATALOGUE } from '../core/services/catalogue.ts';
import type { HqPort } from '../engine/ports.ts';
import type { Journal } from '../journal/journal.ts';
import type { Logger } from '../platform/logger.ts';
import type { HqRequestMessage } from '../protocol/schemas/index.ts';
import { loadPublicKey, type RejectCode } from '../protocol/signed.ts';
import {
  DOWN,
  kioskSubscription,
  parseTopic,
  responseTopic,
  type UpKind,
  upTopic,
} from '../protocol/topics.ts';
import type { ServiceLookup } from '../reports/mask-txn.ts';
import { certStatus, readCertExpiry } from './cert.ts';
import { CommandRouter } from './command-router.ts';
import type { ConfigControl } from './config-control.ts';
import type { AssistPort, CommandContext } from './handlers/handler.ts';
import { journalPayload } from './journal-for-hq.ts';
import { readHqState, type TerminalBinding } from './kiosk-state.ts';
import { type ConnectionSettings, mqttOptions, resolveConnection } from './mqtt-options.ts';
import { NoticeBoard } from './notice-board.ts';
import { type OutboxBatch, OutboxRelay } from './relay.ts';
import { ReplayGuard } from './replay-guard.ts';
import { MqttHqPort, RpcClient } from './rpc.ts';
import { buildBirth, buildOffline, buildTelemetry, type DeviceHealthLike } from './telemetry.ts';

export interface HqLinkDeps {
  /** Read at every use; HQ config changes arrive through `configControl`. */
  config: () => KioskConfig;
  journal: Journal;
  balance: BalanceService;
  clock: Clock;
  logger: Logger;
  /** Late-bound (the engine is built with this link's `port`); used for the safe-mode flag. */
  engine?: () => { readonly safeMode: unknown } | undefined;
  configControl?: ConfigControl;
  devices?: () => Record<string, DeviceHealthLike>;
  software?: { name: string; version: string };
  /** Connection overrides; embedded mode passes the in-process broker's url and HQ's key. */
  connection?: Partial<ConnectionSettings>;
  /** The kiosk's service definitions (declared field sensitivity); the shipped catalogue by default. */
  services?: ServiceLookup;
  /** The assisted services HQ's `guide` and `request` commands act on. */
  assist?: AssistPort;
}

const catalogueLookup: ServiceLookup = (id) => SERVICE_CATALOGUE.find((d) => d.id === id);

export interface HqLinkEvents {
  online: [];
  offline: [string];
  /** Notices to show, in display order (emergency first). */
  /** HQ's notices not over yet, whenever they change; the sign schedules them. */
  notices: [Notice[]];
  terminal: [TerminalBinding | undefined];
  rejected: [{ code: RejectCode; detail: string; topic: string }];
}

/**
 * The kiosk's side of the HQ protocol (docs/protocol.md): connection with birth and Last Will,
 * journal relay, request/response for the engine (`port`), signed commands, telemetry.
 * The constructor only stores collaborators; `start()` connects (and keeps reconnecting).
 */
export class HqLink extends EventEmitter<HqLinkEvents> {
  /** The engine's view of HQ. Usable before `start()`: requests wait for the connection. */
  readonly port: HqPort;
  private client: MqttClient | null = null;
  private rpc: RpcClient | null = null;
  private relay: OutboxRelay | null = null;
  private router: CommandRouter | null = null;
  private ctx: CommandContext | null = null;
  private conn!: ConnectionSettings;
  private keys: KeyObject[] = [];
  private certNotAfter: number | null = null;
  private telemetryTimer: NodeJS.Timeout | undefined;
  private waiters = new Set<() => void>();
  private isOnline = false;
  /** Waits between reconnect attempts (jittered exponential, from `hq.reconnect`). */
  private backoff: Backoff | null = null;
  private startedAt = 0;

  constructor(private readonly deps: HqLinkDeps) {
    super();
    this.port = new MqttHqPort(() => this.rpc);
  }

  get online(): boolean {
    return this.isOnline;
  }

  get station(): string {
    return this.deps.journal.stationId;
  }

  /** HQ's notices not over yet (live or scheduled), in the sign's notice model, as HQ sent them. */
  notices(): Notice[] {
    return this.ctx?.notices.current(this.deps.clock.now()) ?? [];
  }

  terminal(): TerminalBinding | undefined {
    return this.ctx?.layers.terminal;
  }

  get relayStats(): OutboxRelay['stats'] | undefined {
    return this.relay?.stats;
  }

  async start(): Promise<void> {
    const { deps } = this;
    const cfg = deps.config();
    this.startedAt = deps.clock.now();
    this.conn = resolveConnection(cfg, this.station, deps.connection);
    this.keys = this.conn.publicKeys.map(loadPublicKey);
    this.certNotAfter = await readCertExpiry(this.conn.tls.cert);
    const stored = await readHqState(deps.journal);
    const link = this;
    const services = deps.services ?? catalogueLookup;
    this.relay = new OutboxRelay(
      deps.journal,
      {
        get connected() {
          return link.isOnline;
        },
        publishJournal: (b: OutboxBatch) => link.publish('journal', journalPayload(b, services)),
      },
      () => deps.config().hq.relay,
      deps.logger,
      () => deps.clock.now(),
    );
    this.rpc = new RpcClient(this.rpcTransport(), () => deps.config().hq.requestTimeoutMs);
    this.ctx = {
      station: this.station,
      journal: deps.journal,
      balance: deps.balance,
      clock: deps.clock,
      logger: deps.logger,
      config: deps.config,
      configControl: deps.configControl,
      notices: new NoticeBoard(stored.notices),
      relay: this.relay,
      layers: { config: stored.config, services: stored.services, terminal: stored.terminal },
      noticesChanged: () => this.noticesChanged(),
      terminalChanged: () => this.emit('terminal', this.ctx?.layers.terminal),
      configChanged: () => {
        const client = this.client;
        if (client && this.isOnline)
          this.publishBirth(client).catch((e: unknown) =>
            this.deps.logger.warn({ err: e }, 'HQ presence not renewed after a config change'),
          );
      },
      publishReport: (seq, report, data) =>
        this.publish('report', { v: 1, station: this.station, at: deps.clock.now(), seq, report, data }),
      assist: deps.assist,
    };
    this.router = new CommandRouter({
      ctx: this.ctx,
      keys: () => this.keys,
      replay: new ReplayGuard(stored.replay),
      results: stored.results,
      report: (r) => this.publish('commandResult', r),
      onReject: (r) => this.emit('rejected', r),
    });
    this.relay.start();
    this.noticesChanged();
    this.connect();
  }

  async stop(): Promise<void> {
    clearInterval(this.telemetryTimer);
    this.relay?.stop();
    this.rpc?.failAll('HQ link stopped');
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (this.isOnline) {
      const off = buildOffline(this.station, this.deps.clock.now(), 'shutdown');
      await client
        .publishAsync(upTopic(this.conn.topicPrefix, this.station, 'presence'), JSON.stringify(off), {
          qos: 1,
          retain: true,
        })
        .catch(() => undefined);
    }
    const force = !this.isOnline;
    this.isOnline = false;
    // Offline, nothing is waiting for a PUBACK worth keeping: the outbox re-sends on the next start.
    await client.endAsync(force).catch(() => undefined);
  }

  /** Resolves when connected (and subscribed); rejects when `signal` aborts. */
  whenOnline(signal?: AbortSignal): Promise<void> {
    if (this.isOnline) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.waiters.delete(done);
        reject(signal?.reason ?? new Error('aborted'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(done);
    });
  }

  /** Publishes telemetry now (also runs on the configured interval). */
  async sendTelemetry(): Promise<void> {
    const { deps } = this;
    const now = deps.clock.now();
    const t = await buildTelemetry({
      station: this.station,
      journal: deps.journal,
      balance: deps.balance,
      config: deps.config(),
      devices: deps.devices?.() ?? {},
      safeMode: Boolean(deps.engine?.()?.safeMode),
      cert: this.cert(now),
      now,
      uptimeSec: Math.round((now - this.startedAt) / 1000),
    });
    await this.publish('telemetry', t);
  }

  private cert(now: number) {
    return certStatus(this.certNotAfter, now, this.deps.config().hq.certExpiryWarnDays);
  }

  private connect(): void {
    const { deps } = this;
    const cfg = deps.config().hq;
    this.backoff = new Backoff(cfg.reconnect.minDelayMs, cfg.reconnect.maxDelayMs);
    const will = buildOffline(this.station, deps.clock.now(), 'lwt');
    const client = mqtt.connect(this.conn.url, {
      ...mqttOptions(this.conn, cfg, will),
      reconnectPeriod: this.backoff.next(),
    });
    this.client = client;
    client.on('connect', () => {
      this.onConnect(client).catch((e: unknown) => deps.logger.warn({ err: e }, 'HQ link: set-up failed'));
    });
    client.on('close', () => this.onClose(client));
    client.on('error', (e) => deps.logger.warn({ err: e.message }, 'HQ link error'));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  /** The retained birth message: what HQ knows of this station (config version, services, region). */
  private async publishBirth(client: MqttClient): Promise<void> {
    const { deps } = this;
    const cfg = deps.config();
    const now = deps.clock.now();
    const birth = buildBirth({
      station: this.station,
      config: cfg,
      configVersion: this.ctx?.layers.config.current?.version ?? null,
      devices: deps.devices?.() ?? {},
      cert: this.cert(now),
      software: deps.software ?? { name: 'newsstand-kiosk', version: '0.0.0' },
      now,
    });
    await client.publishAsync(
      upTopic(this.conn.topicPrefix, this.station, 'presence'),
      JSON.stringify(birth),
      {
        qos: 1,
        retain: true,
      },
    );
  }

  private async onConnect(client: MqttClient): Promise<void> {
    const { deps } = this;
    const cfg = deps.config();
    this.backoff?.reset();
    // The wait after a drop is drawn now: mqtt.js reads it when the connection closes.
    if (this.backoff) client.options.reconnectPeriod = this.backoff.next();
    await client.subscribeAsync(kioskSubscription(this.conn.topicPrefix, this.station), { qos: 1 });
    const now = deps.clock.now();
    const cert = this.cert(now);
    if (cert.warn) deps.logger.warn({ daysLeft: cert.daysLeft }, 'HQ client certificate expires soon');
    await this.publishBirth(client);
    this.isOnline = true;
    deps.logger.info({ url: this.conn.url }, 'HQ link online');
    for (const w of this.waiters) w();
    this.waiters.clear();
    this.emit('online');
    this.relay?.restart();
    clearInterval(this.telemetryTimer);
    this.telemetryTimer = setInterval(() => {
      this.sendTelemetry().catch((e: unknown) => deps.logger.warn({ err: e }, 'telemetry failed'));
    }, cfg.hq.telemetryIntervalMs);
    this.telemetryTimer.unref();
    await this.sendTelemetry();
  }

  private onClose(client: MqttClient): void {
    clearInterval(this.telemetryTimer);
    if (this.isOnline) {
      this.isOnline = false;
      this.deps.logger.warn('HQ link offline');
      this.emit('offline', 'connection closed');
    }
    if (this.backoff) client.options.reconnectPeriod = this.backoff.next();
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(this.conn.topicPrefix, topic);
    const router = this.router;
    if (!parsed || !router || parsed.station !== this.station || parsed.direction !== 'down') return;
    const [kind, name] = parsed.rest;
    try {
      if (kind === DOWN.command && name && parsed.rest.length === 2) {
        void router.handle(name, payload);
      } else if (kind === DOWN.response && parsed.rest.length === 1) {
        const msg = router.open(payload, topic, 'res');
        if (msg?.kind === 'res' && !this.rpc?.deliver(msg))
          router.reject('HQ_E_REPLAYED', `answer ${msg.id} not awaited`, topic, null, null);
      } else if (kind === DOWN.ack && parsed.rest.length === 1) {
        const msg = router.open(payload, topic, 'ack');
        if (msg?.kind === 'ack')
          this.relay
            ?.acknowledge(msg.ranges)
            .catch((e: unknown) => this.deps.logger.warn({ err: e }, 'ack failed'));
      } else {
        router.reject('HQ_E_MALFORMED', 'unknown topic', topic, null, null);
      }
    } catch (e) {
      this.deps.logger.error({ err: e, topic }, 'HQ message handling error');
    }
  }

  private noticesChanged(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const now = this.deps.clock.now();
    ctx.notices.prune(now);
    this.emit('notices', ctx.notices.current(now));
  }

  private rpcTransport() {
    const link = this;
    return {
      get connected() {
        return link.isOnline;
      },
      whenConnected: (s: AbortSignal) => link.whenOnline(s),
      publishRequest: (m: HqRequestMessage) => link.publishRequest(m),
      replyTo: responseTopic(link.conn.topicPrefix, link.station),
      now: () => link.deps.clock.now(),
    };
  }

  private async publishRequest(msg: HqRequestMessage): Promise<void> {
    const client = this.client;
    if (!client || !this.isOnline) throw new Error('HQ link offline');
    const v5 = this.conn.protocolVersion === 5;
    await client.publishAsync(upTopic(this.conn.topicPrefix, this.station, 'request'), JSON.stringify(msg), {
      qos: 1,
      ...(v5 ? { properties: { responseTopic: msg.replyTo, correlationData: Buffer.from(msg.id) } } : {}),
    });
  }

  /** QoS 1 publish of `body` (serialised here, or already the message text). */
  private async publish(kind: UpKind, body: object | string): Promise<void> {
    const client = this.client;
    if (!client || !this.isOnline) throw new Error('HQ link offline');
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    await client.publishAsync(upTopic(this.conn.topicPrefix, this.station, kind), text, {
      qos: 1,
    });
  }
}
