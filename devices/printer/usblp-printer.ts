import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { type Logger, silentLogger } from '../../src/platform/logger.ts';
import type { DeviceErrorCode, DeviceHealth } from '../device.ts';
import { DeviceNode, ioFailure, openFailure, sleep } from './device-node.ts';
import {
  healthFromStatus,
  type PaperWidth,
  PrintError,
  type Printer,
  type PrinterEvents,
  type PrinterStatus,
  type PrintResult,
  reason,
  sameHealth,
  sameStatus,
} from './printer.ts';
import { endsWithStatusRequest, StatusLink } from './status-link.ts';

/**
 * Receipt printer on a device node of the kernel usblp driver (`/dev/usb/lp0`, or a udev symlink
 * such as `/dev/receipt-printer`). No libusb: the node is opened non-blocking and written in
 * chunks; EAGAIN (printer buffer full) is retried until the stall timeout.
 *
 * With `realtimeStatus`, the node is opened read-write and the printer is asked for its state with
 * DLE EOT 2 (cover, stopped by paper end) and DLE EOT 4 (paper roll sensor) before every job and on
 * every poll. After a job the driver waits for the answer to the job's final GS r 1, which the
 * printer sends only when it has processed the whole job; if it does not come within the stall
 * timeout, real-time status tells whether the paper ran out or the cover opened mid-receipt.
 *
 * Hot-plug: every `statusPollMs` the node is checked; when it disappears (unplugged) or is replaced
 * (a new inode after replug) the old handle is closed and the node reopened when it is back.
 * On the Pi the node belongs to group `lp`: the kiosk user must be in that group.
 */
export interface UsblpPrinterOptions {
  device: string;
  paperWidth: PaperWidth;
  realtimeStatus: boolean;
  statusPollMs: number;
  statusTimeoutMs: number;
  stallTimeoutMs: number;
  /** Bytes per write() call. */
  chunkSize?: number;
  /** Pause between retries after EAGAIN or an empty read, in ms. */
  retryMs?: number;
}

export interface UsblpPrinterDeps {
  clock?: Clock;
  logger?: Logger;
}

const DRIVER = 'usblp';

export class UsblpPrinter extends EventEmitter<PrinterEvents> implements Printer {
  readonly kind = 'printer' as const;
  readonly paperWidth: PaperWidth;
  private readonly opts: Required<UsblpPrinterOptions>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private dev: DeviceNode | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pollWaiting = false;
  /** Write-only mode: the last job stalled; only a write that gets through proves it printing again. */
  private writeStalled = false;
  private lock: Promise<unknown> = Promise.resolve();
  private current: DeviceHealth;
  private lastStatus: PrinterStatus = { online: false, paper: 'unknown', cover: 'unknown', at: 0 };
  private readonly link: StatusLink;

  constructor(opts: UsblpPrinterOptions, deps: UsblpPrinterDeps = {}) {
    super();
    this.paperWidth = opts.paperWidth;
    this.opts = { chunkSize: 1024, retryMs: 10, ...opts };
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger();
    this.link = new StatusLink({ clock: this.clock, retryMs: this.opts.retryMs, alive: () => this.running });
    this.current = {
      state: 'offline',
      reason: reason('DEVICE_E_ABSENT'),
      since: this.clock.now(),
      driver: DRIVER,
    };
  }

  /** Opens the node if it is there; never throws for missing hardware (health says why). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.exclusive(() => this.poll());
    this.timer = setInterval(() => {
      // One poll waiting behind a long job is enough.
      if (this.pollWaiting) return;
      this.pollWaiting = true;
      void this.exclusive(async () => {
        this.pollWaiting = false;
        await this.poll();
      }).catch((e: unknown) => this.log.error({ err: e }, 'printer poll failed'));
    }, this.opts.statusPollMs);
    this.timer.unref();
  }

  /** Stops polling, lets a running job end (it fails fast once stopped) and closes the node. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.exclusive(async () => {
      await this.close();
      this.setHealth({
        state: 'offline',
        reason: reason('DEVICE_E_ABSENT'),
        since: this.clock.now(),
        driver: DRIVER,
      });
    });
  }

  /** Closes the node and opens it again now (a job in progress ends first). */
  async reconnect(): Promise<void> {
    await this.stop();
    await this.start();
  }

  health(): DeviceHealth {
    return { ...this.current };
  }

  status(): Promise<PrinterStatus> {
    return this.exclusive(async () => {
      await this.poll();
      return { ...this.lastStatus };
    });
  }

  print(bytes: Uint8Array, jobId: string): Promise<PrintResult> {
    return this.exclusive(async () => {
      try {
        const n = await this.runJob(bytes, jobId);
        this.emit('job', { jobId, outcome: 'printed', bytesWritten: n });
        return { jobId, bytes: n };
      } catch (e) {
        const err = e instanceof PrintError ? e : new PrintError('DEVICE_E_IO', jobId, 0, { cause: e });
        this.emit('job', { jobId, outcome: 'failed', bytesWritten: err.bytesWritten, error: err });
        throw err;
      }
    });
  }

  // ---- jobs ----------------------------------------------------------------------------------

  private async runJob(bytes: Uint8Array, jobId: string): Promise<number> {
    if (!this.running)
      throw new PrintError('DEVICE_E_ABSENT', jobId, 0, {
        zh: '打印驱动未启动',
        en: 'printer driver not started',
      });
    if (!this.dev) await this.reopen();
    const dev = this.dev;
    if (!dev) throw new PrintError(this.current.reason?.code ?? 'DEVICE_E_ABSENT', jobId, 0);
    if (this.opts.realtimeStatus) {
      const s = await this.realtime(dev, jobId, 0);
      if (s.cover === 'open') throw new PrintError('DEVICE_E_COVER_OPEN', jobId, 0);
      if (s.paper === 'out') throw new PrintError('DEVICE_E_PAPER_OUT', jobId, 0);
    }
    const written = await this.writeAll(dev, bytes, jobId);
    if (this.opts.realtimeStatus) {
      await this.awaitCompletion(dev, bytes, jobId);
    } else {
      this.writeStalled = false;
      this.applyStatus({ online: true, paper: 'unknown', cover: 'unknown', at: this.clock.now() });
    }
    return written;
  }

  /** Writes every byte; EAGAIN is retried until nothing moved for stallTimeoutMs. */
  private async writeAll(dev: DeviceNode, bytes: Uint8Array, jobId: string): Promise<number> {
    let off = 0;
    let lastProgress = this.clock.now();
    while (off < bytes.length) {
      if (!this.running)
        throw new PrintError('DEVICE_E_IO', jobId, off, {
          zh: '打印驱动已停止',
          en: 'printer driver stopped',
        });
      const len = Math.min(this.opts.chunkSize, bytes.length - off);
      const n = await dev.writeSome(bytes, off, len).catch((e: unknown) => this.ioFailure(e, jobId, off));
      if (n > 0) {
        off += n;
        lastProgress = this.clock.now();
        continue;
      }
      if (this.clock.now() - lastProgress >= this.opts.stallTimeoutMs)
        throw await this.stalled(dev, jobId, off);
      await sleep(this.opts.retryMs);
    }
    return off;
  }

  /**
   * Waits for the answer to the job's closing GS r 1 (the job printed). Without it, real-time
   * status decides: paper out or cover open means the receipt stopped part-way; a printer that
   * reports itself fine simply does not answer GS r, and the job counts as printed.
   */
  private async awaitCompletion(dev: DeviceNode, bytes: Uint8Array, jobId: string): Promise<void> {
    const n = bytes.length;
    if (endsWithStatusRequest(bytes)) {
      const paper = await this.link
        .transmitStatus(dev, this.opts.stallTimeoutMs)
        .catch((e: unknown) => this.ioFailure(e, jobId, n));
      if (paper !== undefined) {
        this.applyStatus({ ...this.lastStatus, online: true, paper, at: this.clock.now() });
        return;
      }
    }
    const s = await this.realtime(dev, jobId, n);
    if (s.paper === 'out') throw new PrintError('DEVICE_E_PAPER_OUT', jobId, n);
    if (s.cover === 'open') throw new PrintError('DEVICE_E_COVER_OPEN', jobId, n);
  }

  /** A write that made no progress for stallTimeoutMs: find out why. */
  private async stalled(dev: DeviceNode, jobId: string, off: number): Promise<PrintError> {
    if (this.opts.realtimeStatus) {
      try {
        const s = await this.realtime(dev, jobId, off);
        if (s.paper === 'out') return new PrintError('DEVICE_E_PAPER_OUT', jobId, off);
        if (s.cover === 'open') return new PrintError('DEVICE_E_COVER_OPEN', jobId, off);
      } catch (e) {
        if (e instanceof PrintError && e.code !== 'DEVICE_E_TIMEOUT') return e;
      }
    } else {
      this.writeStalled = true;
    }
    this.setOffline('DEVICE_E_TIMEOUT');
    return new PrintError('DEVICE_E_TIMEOUT', jobId, off);
  }

  /** Real-time status, applied to health; no answer → offline, DEVICE_E_TIMEOUT. */
  private async realtime(dev: DeviceNode, jobId: string, off: number): Promise<PrinterStatus> {
    const s = await this.link
      .realtime(dev, this.opts.statusTimeoutMs)
      .catch((e: unknown) => this.ioFailure(e, jobId, off));
    if (!s) {
      this.setOffline('DEVICE_E_TIMEOUT');
      throw new PrintError('DEVICE_E_TIMEOUT', jobId, off);
    }
    this.applyStatus(s);
    return s;
  }

  // ---- device node, hot-plug -----------------------------------------------------------------

  /** One poll: follow the node (gone, replaced, back) and refresh status. Runs under the lock. */
  private async poll(): Promise<void> {
    if (!this.running) return;
    if (this.dev) {
      const node = await stat(this.opts.device).catch(() => undefined);
      if (!node) {
        this.log.warn({ device: this.opts.device }, 'printer device node disappeared');
        await this.close();
        this.setOffline('DEVICE_E_DISCONNECTED');
        return;
      }
      if (!this.dev.isSameNode(node)) {
        this.log.info({ device: this.opts.device }, 'printer device node replaced; reopening');
        await this.close();
      }
    }
    if (!this.dev) await this.reopen();
    const dev = this.dev;
    if (!dev) return;
    if (!this.opts.realtimeStatus) {
      // Nothing to ask a write-only printer: it stays as the last job left it.
      if (!this.writeStalled)
        this.applyStatus({ online: true, paper: 'unknown', cover: 'unknown', at: this.clock.now() });
      return;
    }
    try {
      await this.realtime(dev, 'status', 0);
    } catch (e) {
      if (!(e instanceof PrintError)) throw e;
    }
  }

  private async reopen(): Promise<void> {
    try {
      this.dev = await DeviceNode.open(this.opts.device, this.opts.realtimeStatus);
    } catch (e) {
      const why = openFailure(e, this.opts.device);
      this.setOffline(why.code, why.zh && why.en ? { zh: why.zh, en: why.en } : undefined);
      return;
    }
    this.writeStalled = false;
    this.log.info({ device: this.opts.device }, 'printer device opened');
    if (!this.opts.realtimeStatus)
      this.applyStatus({ online: true, paper: 'unknown', cover: 'unknown', at: this.clock.now() });
  }

  private async close(): Promise<void> {
    const dev = this.dev;
    this.dev = undefined;
    await dev?.close();
  }

  /** An I/O error other than "would block": the device went away (or broke). Closes the node. */
  private async ioFailure(e: unknown, jobId: string, off: number): Promise<never> {
    const code = ioFailure(e);
    this.log.warn({ device: this.opts.device, err: e, jobId, bytesWritten: off }, 'printer I/O error');
    await this.close();
    this.setOffline(code);
    throw new PrintError(code, jobId, off, { cause: e });
  }

  // ---- health --------------------------------------------------------------------------------

  private applyStatus(s: PrinterStatus): void {
    if (!sameStatus(s, this.lastStatus)) {
      this.lastStatus = s;
      this.emit('status', { ...s });
    } else {
      this.lastStatus = s;
    }
    const h = healthFromStatus(s, DRIVER, this.clock.now());
    this.setHealth(h);
  }

  private setOffline(code: DeviceErrorCode, text?: { zh: string; en: string }): void {
    const s: PrinterStatus = { online: false, paper: 'unknown', cover: 'unknown', at: this.clock.now() };
    if (!sameStatus(s, this.lastStatus)) this.emit('status', { ...s });
    this.lastStatus = s;
    this.setHealth({
      state: 'offline',
      reason: text ? { code, ...text } : reason(code),
      since: this.clock.now(),
      driver: DRIVER,
    });
  }

  private setHealth(h: DeviceHealth): void {
    if (sameHealth(h, this.current)) return;
    this.current = h;
    this.emit('health', { ...h });
  }

  /** Runs `fn` after everything queued before it: one job or status exchange at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}
