import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { DeviceError, type DeviceHealth, type DeviceState } from '../device.ts';
import type { Display, DisplayEvents } from './display.ts';
import { displayError, fromNodeError, reasonOf } from './display-errors.ts';
import { createFrame, type Frame } from './frame.ts';
import {
  brightnessSequence,
  frameSequence,
  initSequence,
  type MatrixGeometry,
  Reg,
  writeAll,
} from './max7219-codec.ts';
import type { SpiBus } from './spi-bus.ts';

export interface Max7219DisplayOptions {
  /** The name health reports (`max7219` for direct SPI, `max7219-firmata` through a Firmata board). */
  driver?: string;
  width: number;
  height: number;
  geometry: MatrixGeometry;
  openBus: () => Promise<SpiBus>;
  reconnect: { initialDelayMs: number; maxDelayMs: number };
  clock: Clock;
  logger: Logger;
}

/**
 * A MAX7219 module chain, driven directly over SPI or through any other SpiBus (a Firmata board).
 * SPI has no acknowledgement, so a command counts as shown once its bytes were transferred. A missing `spi-device` module makes the sign offline
 * with DEVICE_E_UNSUPPORTED (no retry); a missing or failing SPI device is retried with backoff,
 * and the power-on sequence, brightness and last frame are sent again when it comes back.
 */
export class Max7219Display extends EventEmitter<DisplayEvents> implements Display {
  readonly kind = 'display' as const;
  private bus: SpiBus | undefined;
  private running = false;
  private queue: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private brightness = 100;
  private last: Frame | undefined;
  private state: DeviceHealth;

  constructor(private readonly opts: Max7219DisplayOptions) {
    super();
    this.backoffMs = opts.reconnect.initialDelayMs;
    this.state = {
      state: 'offline',
      since: opts.clock.now(),
      driver: opts.driver ?? 'max7219',
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

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.backoffMs = this.opts.reconnect.initialDelayMs;
    await this.serial(() => this.open());
  }

  /** Closes the SPI bus and opens it again now, without waiting for the backoff. */
  async reconnect(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    await this.serial(async () => {
      const bus = this.bus;
      this.bus = undefined;
      if (bus) {
        await bus.transfer(writeAll(this.opts.geometry, Reg.SHUTDOWN, 0)).catch(() => undefined);
        await bus.close().catch(() => undefined);
      }
      this.setHealth('offline', displayError('stopped'));
    });
  }

  async showFrame(frame: Frame): Promise<void> {
    if (frame.width !== this.width || frame.height !== this.height) {
      throw displayError('wrongFrame', `${frame.width}×${frame.height} on ${this.width}×${this.height}`);
    }
    await this.send(frameSequence(this.opts.geometry, frame));
    this.last = frame;
    this.emit('frame', frame);
  }

  async setBrightness(percent: number): Promise<void> {
    const p = Math.round(Math.min(100, Math.max(0, percent)));
    this.brightness = p;
    await this.send(brightnessSequence(this.opts.geometry, p));
    this.emit('brightness', p);
  }

  async clear(): Promise<void> {
    await this.showFrame(createFrame(this.width, this.height));
  }

  private send(transactions: Uint8Array[]): Promise<void> {
    return this.serial(async () => {
      const bus = this.bus;
      if (!bus) throw displayError(this.running ? 'disconnected' : 'stopped');
      try {
        for (const t of transactions) await bus.transfer(t);
      } catch (e) {
        const err = fromNodeError(e);
        this.lose(bus, err);
        throw err;
      }
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async open(): Promise<void> {
    if (!this.running || this.bus) return;
    let bus: SpiBus;
    try {
      bus = await this.opts.openBus();
      for (const t of initSequence(this.opts.geometry, this.brightness)) await bus.transfer(t);
      if (this.last) for (const t of frameSequence(this.opts.geometry, this.last)) await bus.transfer(t);
    } catch (e) {
      const err = e instanceof DeviceError ? e : fromNodeError(e);
      this.setHealth('offline', err);
      if (err.code === 'DEVICE_E_UNSUPPORTED') {
        this.opts.logger.error({ err: err.message }, 'MAX7219 sign cannot be driven');
      } else {
        this.retry();
      }
      return;
    }
    this.bus = bus;
    bus.onLost?.((e) => void this.serial(async () => this.lose(bus, fromNodeError(e))));
    this.backoffMs = this.opts.reconnect.initialDelayMs;
    this.setHealth('ok');
  }

  private lose(bus: SpiBus, err: DeviceError): void {
    if (this.bus !== bus) return;
    this.bus = undefined;
    void bus.close().catch(() => undefined);
    this.opts.logger.warn({ err: err.message }, 'MAX7219 link lost; re-opening');
    this.setHealth('offline', err);
    this.retry();
  }

  private retry(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.reconnect.maxDelayMs);
    this.retryTimer = setTimeout(() => void this.serial(() => this.open()), delay);
  }

  private setHealth(state: DeviceState, err?: DeviceError): void {
    const reason = state === 'ok' || !err ? undefined : reasonOf(err);
    if (this.state.state === state && this.state.reason?.code === reason?.code) return;
    this.state = {
      state,
      since: this.opts.clock.now(),
      driver: this.opts.driver ?? 'max7219',
      ...(reason ? { reason } : {}),
    };
    this.emit('health', this.state);
  }
}
