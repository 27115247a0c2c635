import { EventEmitter } from 'node:events';
import type { Clock } from '../../src/core/clock.ts';
import { DeviceError, type DeviceHealth } from '../device.ts';
import { type CommandApdu, encodeCommand, parseResponse, type ResponseApdu } from './apdu.ts';
import {
  busyReader,
  type CardReader,
  type CardReaderEvents,
  type CardSession,
  type TransmitOptions,
} from './card-reader.ts';
import { HealthTracker } from './health-tracker.ts';
import { cardRemovedError } from './pcsc-session.ts';
import type { VirtualCard } from './virtual-electricity-card.ts';

export interface SimCardReaderOptions {
  transmitTimeoutMs: number;
  readerName?: string;
  /** Whether the simulated reader is plugged in when started (default true). */
  attached?: boolean;
}

/**
 * Simulated card reader. The card behind it is a virtual card state machine (the same one the vpcd
 * card runs in tests), so failures come from the card logic: a wrong card answers SELECT with 6A82,
 * a torn write really did or did not commit, a slow card really misses the timeout.
 *
 * Test controls: attachReader/detachReader (hot-plug), insertCard/removeCard, and the fault
 * switches of the card object itself (failNextWrites, tearNextWrite, slowMs).
 */
export class SimCardReader extends EventEmitter<CardReaderEvents> implements CardReader {
  readonly kind = 'card-reader' as const;
  private readonly healthState: HealthTracker;
  private readonly name: string;
  private running = false;
  private attached: boolean;
  private card: VirtualCard | null = null;
  private session: SimSession | null = null;

  constructor(
    private readonly opts: SimCardReaderOptions,
    deps: { clock: Clock },
  ) {
    super();
    this.name = opts.readerName ?? 'Kiosk Simulated PCD 00 00';
    this.attached = opts.attached ?? true;
    this.healthState = new HealthTracker('sim', deps.clock, (h) => this.emit('health', h));
  }

  health(): DeviceHealth {
    return this.healthState.get();
  }
  readerName(): string | null {
    return this.running && this.attached ? this.name : null;
  }
  cardPresent(): boolean {
    return this.readerName() !== null && this.card !== null;
  }
  /** The card currently in the slot (test inspection). */
  insertedCard(): VirtualCard | null {
    return this.card;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.attached) this.announceReader();
    else this.healthState.fail('offline', absent());
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.session?.invalidate('disconnected');
    this.running = false;
    this.healthState.fail(
      'offline',
      new DeviceError('DEVICE_E_ABSENT', '读卡器已停止', 'card reader stopped'),
    );
  }

  /** As the real driver: refused while a card session is open, else the reader is announced again. */
  async reconnect(): Promise<void> {
    if (this.session) throw busyReader();
    await this.stop();
    await this.start();
  }

  attachReader(): void {
    if (this.attached) return;
    this.attached = true;
    if (this.running) this.announceReader();
  }

  detachReader(): void {
    if (!this.attached) return;
    if (this.running && this.card) this.emit('card-removed', { reader: this.name });
    this.session?.invalidate('disconnected');
    this.attached = false;
    if (!this.running) return;
    this.emit('reader-detached', { reader: this.name });
    this.healthState.fail(
      'offline',
      new DeviceError('DEVICE_E_DISCONNECTED', '读卡器已拔出', 'card reader unplugged'),
    );
  }

  insertCard(card: VirtualCard): void {
    if (this.card) throw new Error('a card is already inserted');
    this.card = card;
    card.powerOn();
    if (this.readerName()) this.emit('card-inserted', { reader: this.name, atr: card.atr });
  }

  removeCard(): void {
    const card = this.card;
    if (!card) return;
    card.powerOff();
    this.card = null;
    this.session?.invalidate('removed');
    if (this.readerName()) this.emit('card-removed', { reader: this.name });
  }

  async connect(): Promise<CardSession> {
    if (!this.readerName()) throw absent();
    const card = this.card;
    if (!card) throw new DeviceError('DEVICE_E_NO_CARD', '请插入电卡', 'no card in the reader');
    if (this.session) throw busyReader();
    card.reset();
    const s = new SimSession(card, this.opts.transmitTimeoutMs, () => this.removeCard());
    s.onClose = () => {
      if (this.session === s) this.session = null;
    };
    this.session = s;
    return s;
  }

  private announceReader(): void {
    this.emit('reader-attached', { reader: this.name });
    this.healthState.ok();
    if (this.card) this.emit('card-inserted', { reader: this.name, atr: this.card.atr });
  }
}

const absent = () => new DeviceError('DEVICE_E_ABSENT', '未找到读卡器', 'no card reader attached');

class SimSession implements CardSession {
  readonly atr: Uint8Array;
  onClose: () => void = () => {};
  private state: 'open' | 'removed' | 'disconnected' | 'closed' = 'open';
  private inFlight = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly card: VirtualCard,
    private readonly timeoutMs: number,
    private readonly pullCard: () => void,
  ) {
    this.atr = card.atr;
  }

  invalidate(reason: 'removed' | 'disconnected'): void {
    if (this.state === 'open') this.state = reason;
    this.wake?.();
  }

  async transmit(command: CommandApdu, opts: TransmitOptions = {}): Promise<ResponseApdu> {
    if (this.state === 'removed') throw cardRemovedError();
    if (this.state !== 'open')
      throw new DeviceError('DEVICE_E_DISCONNECTED', '卡片连接已断开', `card session ${this.state}`);
    if (this.inFlight)
      throw new DeviceError(
        'DEVICE_E_BUSY',
        '上一条卡片指令尚未完成',
        'previous card command has not finished',
      );
    const reply = this.card.process(encodeCommand(command));
    if (reply.kind === 'torn') {
      this.pullCard();
      throw cardRemovedError();
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    if (reply.delayMs > 0) {
      this.inFlight = true;
      const arrived = await new Promise<boolean>((resolve) => {
        const finish = (ok: boolean) => {
          clearTimeout(timer);
          clearTimeout(answer);
          resolve(ok);
        };
        const timer = setTimeout(() => finish(false), timeoutMs);
        const answer = setTimeout(() => finish(true), reply.delayMs);
        this.wake = () => finish(false);
      });
      this.wake = null;
      if (!arrived) {
        // A late answer still occupies the card until it is delivered.
        setTimeout(() => (this.inFlight = false), Math.max(0, reply.delayMs - timeoutMs));
        const state = this.state as SimSession['state'];
        if (state === 'removed') throw cardRemovedError();
        if (state !== 'open')
          throw new DeviceError('DEVICE_E_DISCONNECTED', '读卡器已断开', 'card reader went away');
        throw new DeviceError(
          'DEVICE_E_TIMEOUT',
          '卡片响应超时，结果未知',
          `no answer from the card within ${timeoutMs} ms`,
        );
      }
      this.inFlight = false;
    }
    return parseResponse(reply.rapdu);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.onClose();
  }
}
