import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { DeviceError, type DeviceHealth, type DeviceState } from '../device.ts';
import type { ByteLink, LinkOpener } from './byte-link.ts';
import type { Display, DisplayEvents } from './display.ts';
import { displayError, fromNodeError, reasonOf } from './display-errors.ts';
import type { Frame } from './frame.ts';
import { LedProtocolClient } from './led-client.ts';
import { Cmd, decodeHelloInfo, encodeFramePayload } from './led-protocol.ts';

export interface LinkDisplayOptions {
  /** Name reported in health, e.g. `serial` or `sim`. */
  driver: string;
  width: number;
  height: number;
  ackTimeoutMs: number;
  retries: number;
  keepAliveMs: number;
  reconnect: { initialDelayMs: number; maxDelayMs: number };
  open: LinkOpener;
  clock: Clock;
  logger: Logger;
}

/**
 * A sign controller speaking docs/led-serial-protocol.md over a ByteLink. `start()` opens the link
 * and says HELLO; when the link cannot be opened or goes away it reports `offline` and re-opens with
 * doubling backoff until it succeeds (hot-plug). A controller that stops acknowledging makes the
 * sign `degraded`; the next acknowledged command makes it `ok` again.
 */
export class LinkDisplay extends EventEmitter<DisplayEvents> implements Display {
  readonly kind = 'display' as const;
  private running = false;
  private link: ByteLink | undefined;
  private client: LedProtocolClient | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private lastTraffic = 0;
  private sizeProblem: DeviceError | undefined;
  private brightness: number | undefined;
  private last: Frame | undefined;
  private state: DeviceHealth;

  constructor(protected readonly opts: LinkDisplayOptions) {
    super();
    this.backoffMs = opts.reconnect.initialDelayMs;
    this.state = {
      state: 'offline',
      since: opts.clock.now(),
      driver: opts.driver,
      reason: reasonOf(displayError('stopped')),
    };
  }

  get width(): number {
    return this.opts.width;
  }

  get height(): number {
    return this.opts.height;
  }

  health(): DeviceHealth {
    return this.state;
  }

  lastFrame(): Frame | undefined {
    return this.last;
  }

  /** Resolves after the first connection attempt, whatever its outcome. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.backoffMs = this.opts.reconnect.initialDelayMs;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.keepAliveTimer);
    await this.connecting;
    await this.dropLink(displayError('stopped'));
  }

  /** Drops the link and connects again now, without waiting for the backoff. */
  async reconnect(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async showFrame(frame: Frame): Promise<void> {
    if (frame.width !== this.width || frame.height !== this.height) {
      throw displayError('wrongFrame', `${frame.width}×${frame.height} on ${this.width}×${this.height}`);
    }
    await this.command(Cmd.FRAME, encodeFramePayload(frame));
    this.last = frame;
    this.emit('frame', frame);
  }

  async setBrightness(percent: number): Promise<void> {
    const p = Math.round(Math.min(100, Math.max(0, percent)));
    this.brightness = p;
    await this.command(Cmd.BRIGHTNESS, Uint8Array.of(p));
    this.emit('brightness', p);
  }

  async clear(): Promise<void> {
    await this.command(Cmd.CLEAR);
  }

  private async command(cmd: number, payload?: Uint8Array): Promise<Uint8Array> {
    const client = this.client;
    if (!client) throw displayError(this.running ? 'disconnected' : 'stopped');
    try {
      const reply = await client.request(cmd, payload);
      this.lastTraffic = this.opts.clock.now();
      if (this.client === client) this.setHealth(this.sizeProblem ? 'degraded' : 'ok', this.sizeProblem);
      return reply;
    } catch (e) {
      const err = e instanceof DeviceError ? e : fromNodeError(e);
      if (
        this.client === client &&
        err.code !== 'DEVICE_E_DISCONNECTED' &&
        err.code !== 'DEVICE_E_UNSUPPORTED'
      ) {
        this.setHealth('degraded', err);
      }
      throw err;
    }
  }

  private connect(): Promise<void> {
    this.connecting ??= this.tryConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async tryConnect(): Promise<void> {
    let link: ByteLink;
    try {
      link = await this.opts.open();
    } catch (e) {
      this.setHealth('offline', fromNodeError(e));
      this.scheduleReconnect();
      return;
    }
    if (!this.running) {
      await link.close();
      return;
    }
    const client = new LedProtocolClient(link, {
      ackTimeoutMs: this.opts.ackTimeoutMs,
      retries: this.opts.retries,
    });
    client.attach();
    link.on('close', (err) => this.onLinkClosed(link, err));
    this.link = link;
    this.client = client;
    try {
      const info = decodeHelloInfo(await client.request(Cmd.HELLO));
      if (!info) throw displayError('badReply', 'HELLO');
      this.sizeProblem =
        info.width === this.width && info.height === this.height
          ? undefined
          : displayError(
              'sizeMismatch',
              `controller ${info.width}×${info.height}, config ${this.width}×${this.height}`,
            );
      if (this.brightness !== undefined) await client.request(Cmd.BRIGHTNESS, Uint8Array.of(this.brightness));
    } catch (e) {
      if (this.link !== link) return;
      this.opts.logger.warn({ err: (e as Error).message }, 'LED sign does not answer HELLO; re-opening');
      await this.dropLink(e instanceof DeviceError ? e : fromNodeError(e));
      this.scheduleReconnect();
      return;
    }
    this.lastTraffic = this.opts.clock.now();
    this.backoffMs = this.opts.reconnect.initialDelayMs;
    this.setHealth(this.sizeProblem ? 'degraded' : 'ok', this.sizeProblem);
    this.scheduleKeepAlive();
  }

  private onLinkClosed(link: ByteLink, err: Error | undefined): void {
    if (this.link !== link) return;
    this.link = undefined;
    this.client?.dispose(err ?? new Error('closed'));
    this.client = undefined;
    clearTimeout(this.keepAliveTimer);
    if (!this.running) return;
    this.opts.logger.warn({ err: err?.message }, 'LED sign link lost; reconnecting');
    this.setHealth('offline', displayError('disconnected', err?.message));
    this.scheduleReconnect();
  }

  private async dropLink(reason: DeviceError): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.client?.dispose(reason);
    this.client = undefined;
    clearTimeout(this.keepAliveTimer);
    this.setHealth('offline', reason);
    await link?.close().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    clearTimeout(this.reconnectTimer);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.reconnect.maxDelayMs);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private scheduleKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    if (!this.running || !this.client) return;
    const due = this.lastTraffic + this.opts.keepAliveMs - this.opts.clock.now();
    this.keepAliveTimer = setTimeout(() => void this.keepAlive(), Math.max(0, due));
  }

  private async keepAlive(): Promise<void> {
    if (this.opts.clock.now() - this.lastTraffic >= this.opts.keepAliveMs) {
      await this.command(Cmd.PING).catch((e: Error) =>
        this.opts.logger.warn({ err: e.message }, 'LED sign PING failed'),
      );
    }
    this.scheduleKeepAlive();
  }

  protected setHealth(state: DeviceState, err?: DeviceError): void {
    const reason = state === 'ok' || !err ? undefined : reasonOf(err);
    if (this.state.state === state && this.state.reason?.code === reason?.code) return;
    this.state = {
      state,
      since: this.opts.clock.now(),
      driver: this.opts.driver,
      ...(reason ? { reason } : {}),
    };
    this.emit('health', this.state);
  }
}
