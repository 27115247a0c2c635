import { DeviceError } from '../device.ts';
import { type CommandApdu, encodeCommand, parseResponse, type ResponseApdu } from './apdu.ts';
import type { CardSession, TransmitOptions } from './card-reader.ts';
import { mapPcscError } from './pcsc-errors.ts';
import type { PcscReaderHandle } from './pcsc-types.ts';

export interface PcscSessionOptions {
  timeoutMs: number;
  /** How long to wait for a removal report after an exchange failed without a status word. */
  settleMs: number;
  /** True once the reader has reported the card (or the reader) gone. */
  cardGone: () => boolean;
  onClose: (s: PcscSession) => void;
}

/** Largest short R-APDU: 256 data bytes + SW1 SW2. */
const MAX_RESPONSE = 258;

export const cardRemovedError = (cause?: unknown) =>
  new DeviceError(
    'DEVICE_E_CARD_REMOVED',
    '卡片在操作中被拔出，结果未知',
    'card removed during the exchange; outcome unknown',
    {
      cause,
    },
  );

/** One exclusive PC/SC connection to a card (see CardSession for the contract). */
export class PcscSession implements CardSession {
  private state: 'open' | 'removed' | 'disconnected' | 'closed' = 'open';
  private inFlight = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly reader: PcscReaderHandle,
    private readonly protocol: number,
    readonly atr: Uint8Array,
    private readonly opts: PcscSessionOptions,
  ) {}

  /** Called by the driver when the card or the reader goes away. */
  invalidate(reason: 'removed' | 'disconnected'): void {
    if (this.state === 'open') this.state = reason;
    for (const w of this.waiters.splice(0)) w();
  }

  async transmit(command: CommandApdu, opts: TransmitOptions = {}): Promise<ResponseApdu> {
    this.assertUsable();
    if (this.inFlight) {
      throw new DeviceError(
        'DEVICE_E_BUSY',
        '上一条卡片指令尚未完成',
        'previous card command has not finished',
      );
    }
    const bytes = Buffer.from(encodeCommand(command));
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    this.inFlight = true;
    let raw: Buffer;
    try {
      raw = await new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new DeviceError(
              'DEVICE_E_TIMEOUT',
              '卡片响应超时，结果未知',
              `no answer from the card within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        this.reader.transmit(bytes, MAX_RESPONSE, this.protocol, (err, data) => {
          clearTimeout(timer);
          this.inFlight = false;
          if (err) reject(err);
          else resolve(data);
        });
      });
    } catch (e) {
      if (e instanceof DeviceError && e.code === 'DEVICE_E_TIMEOUT') throw e;
      throw await this.classify(mapPcscError(e));
    }
    if (raw.length < 2) {
      throw await this.classify(
        new DeviceError('DEVICE_E_IO', '卡片未应答，结果未知', 'the card returned no status word'),
      );
    }
    return parseResponse(Uint8Array.from(raw));
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.opts.onClose(this);
    if (wasOpen && this.reader.connected) {
      await new Promise<void>((resolve) =>
        this.reader.disconnect(this.reader.SCARD_LEAVE_CARD, () => resolve()),
      );
    }
  }

  private assertUsable(): void {
    if (this.state === 'removed') throw cardRemovedError();
    if (this.state === 'disconnected') {
      throw new DeviceError('DEVICE_E_DISCONNECTED', '读卡器已断开', 'card reader went away');
    }
    if (this.state === 'closed')
      throw new DeviceError('DEVICE_E_DISCONNECTED', '卡片连接已关闭', 'card session closed');
  }

  /**
   * A failed exchange is a removal when the reader reports the card gone within the settle time.
   * Either way the command may have run on the card: the caller treats a write as outcome-unknown.
   */
  private async classify(err: DeviceError): Promise<DeviceError> {
    if (err.code === 'DEVICE_E_CARD_REMOVED' || err.code === 'DEVICE_E_DISCONNECTED') {
      if (err.code === 'DEVICE_E_CARD_REMOVED' && this.state === 'open') this.state = 'removed';
      return err;
    }
    const gone = () => this.state === 'removed' || this.opts.cardGone();
    if (!gone() && this.opts.settleMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.opts.settleMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
    if (this.state === 'disconnected') {
      return new DeviceError(
        'DEVICE_E_DISCONNECTED',
        '读卡器已断开，结果未知',
        'card reader went away; outcome unknown',
        {
          cause: err,
        },
      );
    }
    return gone() ? cardRemovedError(err) : err;
  }
}
