import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import { DeviceError, type DeviceHealth } from '../device.ts';
import { busyReader, type CardReader, type CardReaderEvents, type CardSession } from './card-reader.ts';
import type { CardReaderConfig } from './card-reader-config.ts';
import { HealthTracker } from './health-tracker.ts';
import { isCancelled, isServiceLost, mapPcscError } from './pcsc-errors.ts';
import { probePcscd } from './pcsc-probe.ts';
import { PcscSession } from './pcsc-session.ts';
import {
  importPcsclite,
  type PcscContext,
  type PcscFactory,
  type PcscReaderHandle,
  type PcscStatus,
} from './pcsc-types.ts';

export interface PcscCardReaderDeps {
  clock: Clock;
  logger: Logger;
  /** Loads the PC/SC binding; the real `@pokusew/pcsclite` by default. */
  loadPcsc?: () => Promise<PcscFactory>;
  /** Tells whether pcscd is reachable; a unix-socket connect by default. */
  probe?: (socketPath: string) => Promise<boolean>;
}

type Config = Omit<CardReaderConfig, 'driver'>;

const noReader = () => new DeviceError('DEVICE_E_ABSENT', '未找到读卡器', 'no matching card reader attached');

/**
 * Card reader on PC/SC through `@pokusew/pcsclite`. Survives the reader being unplugged and
 * plugged back, and pcscd being restarted: in both cases it reports `offline`, rebuilds what is
 * needed in the background every `retryIntervalMs`, and reports `ok` again.
 */
export class PcscCardReader extends EventEmitter<CardReaderEvents> implements CardReader {
  readonly kind = 'card-reader' as const;
  private readonly healthState: HealthTracker;
  private readonly pattern: RegExp;
  private factory: PcscFactory | null = null;
  private running = false;
  private ctx: PcscContext | null = null;
  /** Bumped on every context teardown; events from older contexts are ignored. */
  private generation = 0;
  private readonly handles = new Set<PcscReaderHandle>();
  private active: PcscReaderHandle | null = null;
  private atr: Uint8Array | null = null;
  private session: PcscSession | null = null;
  /**
   * True from a connect's start until its session exists or it failed. A second SCardConnect on the
   * same reader object would overwrite (zero, when refused) the binding's one card handle: the first
   * session's commands would then fail with "Invalid handle" while pcscd keeps its exclusive hold.
   */
  private connecting = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly lastStatus = new WeakMap<PcscReaderHandle, PcscStatus>();

  constructor(
    private readonly config: Config,
    private readonly deps: PcscCardReaderDeps,
  ) {
    super();
    this.pattern = new RegExp(config.readerNamePattern);
    this.healthState = new HealthTracker('pcsc', deps.clock, (h) => this.emit('health', h));
  }

  health(): DeviceHealth {
    return this.healthState.get();
  }

  readerName(): string | null {
    return this.active?.name ?? null;
  }

  cardPresent(): boolean {
    return this.atr !== null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const session = this.session;
    if (session) await session.close();
    await this.teardown(false);
    this.healthState.fail(
      'offline',
      new DeviceError('DEVICE_E_ABSENT', '读卡器已停止', 'card reader stopped'),
    );
  }

  /** Rebuilds the PC/SC context and reader now; refused while a card session is open. */
  async reconnect(): Promise<void> {
    if (this.session) throw busyReader();
    await this.stop();
    await this.start();
  }

  async connect(): Promise<CardSession> {
    const r = this.active;
    if (!r) throw noReader();
    if (!this.atr) throw new DeviceError('DEVICE_E_NO_CARD', '请插入电卡', 'no card in the reader');
    if (this.session || this.connecting) throw busyReader();
    this.connecting = true;
    try {
      return await this.openSession(r, this.atr);
    } finally {
      this.connecting = false;
    }
  }

  private async openSession(r: PcscReaderHandle, atr: Uint8Array): Promise<CardSession> {
    if (r.connected) await disconnect(r);
    const protocol = await new Promise<number>((resolve, reject) => {
      r.connect({ share_mode: r.SCARD_SHARE_EXCLUSIVE }, (err, p) => {
        if (err) reject(mapPcscError(err));
        // The earlier connection could not be closed: the binding kept it and connected nothing.
        else if (p === undefined)
          reject(new DeviceError('DEVICE_E_BUSY', '读卡器正忙', 'previous card connection still open'));
        else resolve(p);
      });
    });
    if (this.active !== r || this.atr !== atr) {
      await disconnect(r);
      throw new DeviceError('DEVICE_E_CARD_REMOVED', '卡片已拔出', 'card removed while connecting');
    }
    this.session = new PcscSession(r, protocol, atr, {
      timeoutMs: this.config.transmitTimeoutMs,
      settleMs: this.config.removalSettleMs,
      cardGone: () => this.atr !== atr || this.active !== r,
      onClose: (s) => {
        if (this.session === s) this.session = null;
      },
    });
    return this.session;
  }

  private async open(): Promise<void> {
    if (!this.running || this.ctx) return;
    try {
      this.factory ??= await (this.deps.loadPcsc ?? importPcsclite)();
    } catch (e) {
      const err = new DeviceError('DEVICE_E_UNSUPPORTED', '读卡组件未安装', 'PC/SC binding not available', {
        cause: e,
      });
      this.deps.logger.error({ err: e }, 'card reader: cannot load @pokusew/pcsclite');
      this.healthState.fail('offline', err);
      return;
    }
    const up = await (this.deps.probe ?? probePcscd)(this.config.pcscdSocket);
    if (!this.running) return;
    if (!up) {
      this.healthState.fail(
        'offline',
        new DeviceError('DEVICE_E_ABSENT', '读卡服务未运行', 'pcscd is not running'),
      );
      this.scheduleRetry();
      return;
    }
    const gen = ++this.generation;
    let ctx: PcscContext;
    try {
      ctx = this.factory();
    } catch (e) {
      this.healthState.fail('offline', mapPcscError(e));
      this.scheduleRetry();
      return;
    }
    this.ctx = ctx;
    ctx.on('error', (e: Error) => this.onContextError(gen, e));
    ctx.on('reader', (r: PcscReaderHandle) => this.onReader(gen, r));
    this.healthState.fail('offline', noReader());
  }

  private scheduleRetry(): void {
    if (!this.running || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.open();
    }, this.config.retryIntervalMs);
  }

  private onContextError(gen: number, e: Error): void {
    if (gen !== this.generation) return;
    if (isCancelled(e) && !this.running) return;
    const err = mapPcscError(e);
    this.deps.logger.warn({ code: err.code, detail: err.en }, 'card reader: PC/SC context failed, reopening');
    // After any error pcsclite's watcher thread has stopped: the context is dead either way.
    void this.teardown(true);
    this.healthState.fail('offline', isServiceLost(e) ? err : mapPcscError(e));
    this.scheduleRetry();
  }

  private onReader(gen: number, r: PcscReaderHandle): void {
    if (gen !== this.generation) {
      r.close();
      return;
    }
    this.handles.add(r);
    r.on('error', (e: Error) => {
      if (gen === this.generation && !isCancelled(e)) {
        this.deps.logger.warn(
          { reader: r.name, detail: mapPcscError(e).en },
          'card reader: reader watcher error',
        );
      }
    });
    r.on('end', () => this.onReaderEnd(gen, r));
    // Every reader's status is kept, so a reader that takes over later starts from its real state.
    r.on('status', (st: PcscStatus) => {
      this.lastStatus.set(r, st);
      if (r === this.active) this.onStatus(r, st);
    });
    if (!this.active && this.pattern.test(r.name)) this.attach(r);
  }

  private attach(r: PcscReaderHandle): void {
    this.active = r;
    this.emit('reader-attached', { reader: r.name });
    this.healthState.ok();
    const st = this.lastStatus.get(r);
    if (st) this.onStatus(r, st);
  }

  private onStatus(r: PcscReaderHandle, st: PcscStatus): void {
    if (r !== this.active) return;
    const present = (st.state & r.SCARD_STATE_PRESENT) !== 0;
    // A different ATR without an empty state in between: the card was swapped between two polls.
    if (present && this.atr && st.atr && !Buffer.from(st.atr).equals(Buffer.from(this.atr))) this.cardGone(r);
    if (present && !this.atr) {
      this.atr = Uint8Array.from(st.atr ?? []);
      this.emit('card-inserted', { reader: r.name, atr: this.atr });
    } else if (!present && this.atr) {
      this.cardGone(r);
    }
  }

  private cardGone(r: PcscReaderHandle): void {
    this.atr = null;
    this.session?.invalidate('removed');
    if (r.connected) void disconnect(r);
    this.emit('card-removed', { reader: r.name });
  }

  private onReaderEnd(gen: number, r: PcscReaderHandle): void {
    // 'end' is emitted while the binding holds the reader's lock: close it on a later tick.
    setImmediate(() => r.close());
    if (gen !== this.generation) return;
    this.handles.delete(r);
    if (r !== this.active) return;
    this.detachActive(r);
    this.healthState.fail(
      'offline',
      new DeviceError('DEVICE_E_DISCONNECTED', '读卡器已拔出', 'card reader unplugged'),
    );
    const next = [...this.handles].find((h) => this.pattern.test(h.name));
    if (next) this.attach(next);
  }

  private detachActive(r: PcscReaderHandle): void {
    if (this.atr) this.cardGone(r);
    this.session?.invalidate('disconnected');
    this.active = null;
    this.emit('reader-detached', { reader: r.name });
  }

  /** Closes every reader, then the context (pcsclite keeps the process alive otherwise). */
  private teardown(emitEvents: boolean): Promise<void> {
    this.generation++;
    const active = this.active;
    if (active) {
      if (emitEvents) this.detachActive(active);
      else this.session?.invalidate('disconnected');
    }
    this.active = null;
    this.atr = null;
    const handles = [...this.handles];
    this.handles.clear();
    const ctx = this.ctx;
    this.ctx = null;
    return new Promise((resolve) =>
      setImmediate(() => {
        for (const h of handles) h.close();
        ctx?.close();
        resolve();
      }),
    );
  }
}

function disconnect(r: PcscReaderHandle): Promise<void> {
  return new Promise((resolve) => r.disconnect(r.SCARD_LEAVE_CARD, () => resolve()));
}
