import type { KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../platform/logger.ts';
import {
  adminRequestSchema,
  commandResultSchema,
  faultControlSchema,
  type HqRequestMessage,
  journalBatchSchema,
  presenceSchema,
  reportSchema,
  requestSchema,
  telemetrySchema,
} from '../protocol/schemas/index.ts';
import { signPayload } from '../protocol/signed.ts';
import { ackTopic, HQ_TOPICS, hqFilter, parseTopic, responseTopic } from '../protocol/topics.ts';
import { Accounts } from './accounts.ts';
import { handleAdmin } from './admin.ts';
import { BillerHub } from './biller-hub.ts';
import { type BillerEnv, type MobileRegions, stationMobileRegions } from './billers/biller.ts';
import { billerCatalogue, MOBILE_REGIONS } from './billers/catalogue.ts';
import { COMMAND_ACK_OVERDUE_MS, CommandSender } from './commands.ts';
import { FaultController } from './faults.ts';
import { JournalArchive, toRanges } from './journals.ts';
import { HqRequests } from './requests.ts';
import { SettlementChecks } from './settlement-checks.ts';
import { Stations } from './stations.ts';
import type { HqStore } from './store.ts';

export interface HqServerOptions {
  url: string;
  protocolVersion: 4 | 5;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** User name and password, on a broker that asks for them (the embedded one). */
  login?: { username: string; password: string };
  clientId: string;
  topicPrefix: string;
  /** Shared-subscription group (`$share/<group>/…`); null on brokers without shared subscriptions. */
  shareGroup: string | null;
  signingKey: KeyObject;
  store: HqStore;
  clock: Clock;
  /** Day cut (日切, HH:MM) for business dates: the same rule as the stations'. Default 21:00. */
  dayCut?: string;
  logger: Logger;
  faults?: FaultController;
  billerLatencyMs: number;
  /** Asynchronous billers settle after this long, ms. */
  settleMs: number;
  /** Manual reversal processing period, minutes. */
  reversalIntervalMin: number;
  openingBalanceFen: number;
  /**
   * Services enabled at a station HQ has never seen, sent before its opening balance. Empty: a
   * new station sells nothing until an administrator enables services (`kiosk-hq services`).
   */
  trainedServices?: readonly string[];
  /**
   * The cities whose mobile numbers mobile top-up accepts, per province; sent to a new station
   * with its trained services and checked on every mobile request. Default: the platform's list.
   */
  mobileRegions?: MobileRegions;
  /** Ask a kiosk to resend when a gap in its journal lasts this long, ms. */
  gapResendAfterMs?: number;
  /** Re-send a signed command whose result has not come back after this long, ms. */
  commandAckOverdueMs?: number;
}

const RESPONSE_TTL_MS = 120_000;
const ACK_TTL_MS = 600_000;

/**
 * One reference HQ instance. Several instances share the work through shared subscriptions and
 * one store; presence and the control topic are plain subscriptions, so every instance sees them.
 */
export class HqServer {
  readonly faults: FaultController;
  readonly accounts: Accounts;
  readonly stations: Stations;
  readonly archive: JournalArchive;
  readonly settlements: SettlementChecks;
  readonly hub: BillerHub;
  /** The stations' assisted requests and monthly statistics, from their relayed journals. */
  readonly requests: HqRequests;
  commands!: CommandSender;
  private client: MqttClient | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly gapAsked = new Map<string, number>();
  /** Requests answered by this instance (for tests and `kiosks`). */
  readonly counters = { requests: 0, answers: 0, replays: 0, journalEvents: 0, commands: 0 };

  constructor(readonly opts: HqServerOptions) {
    const now = () => opts.clock.now();
    this.faults = opts.faults ?? new FaultController();
    this.accounts = new Accounts(opts.store, now, opts.openingBalanceFen);
    this.stations = new Stations(opts.store, now);
    this.archive = new JournalArchive(opts.store, now);
    this.settlements = new SettlementChecks(opts.store, this.archive, () => this.commands, opts.logger, now);
    this.requests = new HqRequests(opts.store, opts.logger);
    this.hub = new BillerHub(
      billerCatalogue({ settleMs: opts.settleMs }),
      opts.store,
      this.faults,
      () => opts.billerLatencyMs,
      (ms) => sleep(ms),
    );
  }

  get prefix(): string {
    return this.opts.topicPrefix;
  }

  async start(): Promise<void> {
    const o = this.opts;
    const options: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: o.protocolVersion,
      clean: true,
      reconnectPeriod: 1000,
      resubscribe: true,
      ...(o.tls ?? {}),
      ...(o.login ?? {}),
    };
    this.commands = new CommandSender(
      o.store,
      o.signingKey,
      o.topicPrefix,
      (t, p) => this.raw(t, p),
      () => o.clock.now(),
    );
    const client = await mqtt.connectAsync(o.url, options);
    this.client = client;
    client.on('message', (topic, payload) => {
      this.onMessage(topic, payload).catch((e: unknown) =>
        o.logger.warn({ err: e, topic }, 'HQ: message failed'),
      );
    });
    const share = o.shareGroup;
    await client.subscribeAsync({
      [hqFilter(o.topicPrefix, 'request', share)]: { qos: 1 },
      [hqFilter(o.topicPrefix, 'journal', share)]: { qos: 1 },
      [hqFilter(o.topicPrefix, 'telemetry', share)]: { qos: 1 },
      [hqFilter(o.topicPrefix, 'commandResult', share)]: { qos: 1 },
      [hqFilter(o.topicPrefix, 'report', share)]: { qos: 1 },
      [hqFilter(o.topicPrefix, 'presence', null)]: { qos: 1 },
      [HQ_TOPICS.control]: { qos: 1 },
      [share ? `$share/${share}/${HQ_TOPICS.adminRequest}` : HQ_TOPICS.adminRequest]: { qos: 1 },
    });
    const env = () => this.env();
    this.timers.push(
      setInterval(
        () => void this.hub.tick(env(), 'settle').catch(() => undefined),
        Math.max(500, o.settleMs / 2),
      ),
      setInterval(() => void this.processReversals().catch(() => undefined), o.reversalIntervalMin * 60_000),
      setInterval(() => void this.resendOverdue().catch(() => undefined), this.ackOverdueMs),
    );
    for (const t of this.timers) t.unref();
    o.logger.info({ url: o.url, clientId: o.clientId, share }, 'reference HQ online');
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const c = this.client;
    this.client = null;
    await c?.endAsync().catch(() => undefined);
  }

  /** Upstream manual reversal processing run (every `reversalIntervalMin`). */
  async processReversals(): Promise<void> {
    await this.hub.tick(this.env(), 'reversals');
  }

  env(station: BillerEnv['station'] = {}): BillerEnv {
    return {
      store: this.opts.store,
      clock: this.opts.clock,
      dayCut: this.opts.dayCut ?? '21:00',
      accounts: this.accounts,
      station,
      mobileRegions: this.opts.mobileRegions ?? MOBILE_REGIONS,
      pushBalance: async (s, ev) => {
        await this.commands.send(s, 'balance', ev);
      },
    };
  }

  /** Publishes raw text (QoS 1). */
  async raw(topic: string, payload: string): Promise<void> {
    if (!this.client) throw new Error('HQ not connected');
    await this.client.publishAsync(topic, payload, { qos: 1 });
  }

  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    if (topic === HQ_TOPICS.control) {
      const c = faultControlSchema.safeParse(parseJson(payload));
      if (c.success) this.faults.apply(c.data);
      return;
    }
    if (topic === HQ_TOPICS.adminRequest) {
      const r = adminRequestSchema.safeParse(parseJson(payload));
      if (r.success) await this.raw(r.data.replyTo, JSON.stringify(await handleAdmin(this, r.data)));
      return;
    }
    const t = parseTopic(this.prefix, topic);
    if (t?.direction !== 'up' || t.rest.length !== 1) return;
    const body = parseJson(payload);
    const log = this.opts.logger;
    switch (t.rest[0]) {
      case 'req': {
        const r = requestSchema.safeParse(body);
        if (r.success && r.data.station === t.station) await this.onRequest(r.data);
        else log.warn({ topic }, 'HQ: bad request dropped');
        return;
      }
      case 'journal': {
        const r = journalBatchSchema.safeParse(body);
        // Refused whole, nothing stored or acknowledged: the log names where (never the values).
        if (!r.success)
          return void log.warn({ topic, problems: problemPaths(r.error) }, 'HQ: bad journal batch');
        if (r.data.station !== t.station)
          return void log.warn({ topic, problems: ['station'] }, 'HQ: bad journal batch');
        const { acked, meta } = await this.archive.storeBatch(t.station, r.data.events);
        await this.requests.absorb(t.station, r.data.events);
        this.counters.journalEvents += r.data.events.length;
        await this.sign(ackTopic(this.prefix, t.station), {
          kind: 'ack',
          station: t.station,
          iat: this.opts.clock.now(),
          exp: this.opts.clock.now() + ACK_TTL_MS,
          ranges: toRanges(acked),
        });
        await this.checkGap(t.station, meta.contiguous, meta.gapSince);
        await this.settlements
          .afterBatch(t.station, r.data.events, meta.contiguous)
          .catch((e: unknown) => log.error({ err: e, station: t.station }, 'HQ: settlement check failed'));
        return;
      }
      case 'presence': {
        const r = presenceSchema.safeParse(body);
        if (!r.success || r.data.station !== t.station) return;
        const { cameOnline } = await this.stations.presence(r.data);
        if (r.data.online && cameOnline) await this.welcome(t.station);
        return;
      }
      case 'telemetry': {
        const r = telemetrySchema.safeParse(body);
        if (r.success && r.data.station === t.station) await this.stations.telemetry(r.data);
        return;
      }
      case 'cmd-result': {
        const r = commandResultSchema.safeParse(body);
        if (!r.success || r.data.station !== t.station) return;
        await this.commands.result(r.data);
        if (r.data.status !== 'applied') log.warn({ result: r.data }, 'HQ: kiosk did not apply a command');
        return;
      }
      case 'report': {
        const r = reportSchema.safeParse(body);
        if (r.success && r.data.station === t.station)
          await this.opts.store.put(`rp:${t.station}:${String(r.data.seq).padStart(16, '0')}`, r.data);
        return;
      }
    }
  }

  private async onRequest(msg: HqRequestMessage): Promise<void> {
    this.counters.requests++;
    const expected = responseTopic(this.prefix, msg.station);
    if (msg.replyTo !== expected) {
      this.opts.logger.warn(
        { station: msg.station, replyTo: msg.replyTo },
        'HQ: reply topic outside the station',
      );
      return;
    }
    const info = await this.stations.info(msg.station);
    const answer = await this.hub.handle(msg, this.env(info));
    if (answer.replay) this.counters.replays++;
    if (!answer.result) return;
    const now = this.opts.clock.now();
    for (let i = 0; i < answer.copies; i++) {
      this.counters.answers++;
      await this.sign(msg.replyTo, {
        kind: 'res',
        station: msg.station,
        iat: now,
        exp: now + RESPONSE_TTL_MS,
        id: msg.id,
        result: answer.result,
      });
    }
  }

  private get ackOverdueMs(): number {
    return this.opts.commandAckOverdueMs ?? COMMAND_ACK_OVERDUE_MS;
  }

  /** Re-sends the overdue commands of every station that is online. */
  private async resendOverdue(): Promise<void> {
    for (const s of await this.stations.list()) {
      if (s.online) await this.commands.resendPending(s.station, this.ackOverdueMs);
    }
  }

  /**
   * A station came online: tell it the highest journal event HQ holds for it (an acknowledgement of
   * that event; a kiosk whose journal ends below it has lost committed events and stops selling),
   * open its account if new, re-send its overdue commands.
   */
  private async welcome(station: string): Promise<void> {
    const { highest } = await this.archive.meta(station);
    if (highest > 0) {
      const now = this.opts.clock.now();
      await this.sign(ackTopic(this.prefix, station), {
        kind: 'ack',
        station,
        iat: now,
        exp: now + ACK_TTL_MS,
        ranges: [[highest, highest]],
      });
    }
    const isNew = !(await this.accounts.exists(station));
    const trained = this.opts.trainedServices ?? [];
    // The services this station's operator is trained on, before the money that lets it sell.
    // With them, the cities HQ opened for mobile top-up in the station's province.
    if (isNew && trained.length > 0) {
      const regions = stationMobileRegions(this.env().mobileRegions, await this.stations.info(station));
      await this.commands.send(station, 'services', { enabled: [...trained], mobileRegions: [...regions] });
    }
    const fen = this.accounts.openingCredit;
    if (fen > 0 && isNew) {
      await this.commands.send(
        station,
        'balance',
        { kind: 'topup', fen, ref: `opening-${station}`, note: '开户预存款' },
        undefined,
        (ops) => this.accounts.openIfNew(station, ops),
      );
    } else {
      await this.accounts.openIfNew(station);
    }
    await this.commands.resendPending(station, this.ackOverdueMs);
  }

  private async checkGap(station: string, contiguous: number, gapSince: number | null): Promise<void> {
    const after = this.opts.gapResendAfterMs ?? 60_000;
    const now = this.opts.clock.now();
    if (gapSince === null || now - gapSince < after) return;
    if (now - (this.gapAsked.get(station) ?? 0) < after) return;
    this.gapAsked.set(station, now);
    this.opts.logger.warn({ station, from: contiguous + 1 }, 'HQ: journal gap; asking for a resend');
    await this.commands.send(station, 'journal-resend', { fromSeq: contiguous + 1, toSeq: null }, after * 10);
  }

  private async sign(topic: string, payload: Parameters<typeof signPayload>[1]): Promise<void> {
    await this.raw(topic, JSON.stringify(signPayload(this.opts.signingKey, payload)));
  }
}

function parseJson(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Where a message is malformed, at most five paths (`events.0.txn.amountFen`); never the values. */
function problemPaths(e: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }> }): string[] {
  return e.issues.slice(0, 5).map((i) => i.path.map(String).join('.') || '(message)');
}
