import { DeviceError } from '../device.ts';
import type { ByteLink } from './byte-link.ts';
import { displayError } from './display-errors.ts';
import {
  Cmd,
  type DecodeEvent,
  encodePacket,
  NakReason,
  PacketDecoder,
  PERMANENT_NAKS,
} from './led-protocol.ts';

export interface LedClientOptions {
  ackTimeoutMs: number;
  /** Re-sends after a timeout or transient NAK before the request fails. */
  retries: number;
}

interface Pending {
  seq: number;
  settle: (
    reply: { ack: true; payload: Uint8Array } | { ack: false; reason: number } | { timeout: true },
  ) => void;
}

/**
 * Host side of docs/led-serial-protocol.md over one open link: one request in flight at a time,
 * each waiting `ackTimeoutMs` for its ACK/NAK, re-sent with the same SEQ up to `retries` times.
 * After the link closes every request fails with DEVICE_E_DISCONNECTED.
 */
export class LedProtocolClient {
  private readonly decoder = new PacketDecoder();
  private seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private pending: Pending | undefined;
  private closed: Error | undefined;
  private readonly onData = (chunk: Buffer) => this.handle(this.decoder.push(chunk));
  private readonly onClose = (err: Error | undefined) => this.dispose(err ?? new Error('link closed'));

  constructor(
    private readonly link: ByteLink,
    private readonly opts: LedClientOptions,
  ) {}

  attach(): void {
    this.link.on('data', this.onData);
    this.link.on('close', this.onClose);
  }

  /** Fails the request in flight and every later one; detaches from the link. */
  dispose(reason: Error): void {
    if (this.closed) return;
    this.closed = reason;
    this.link.off('data', this.onData);
    this.link.off('close', this.onClose);
    this.pending?.settle({ timeout: true });
  }

  /** Sends one command; resolves with the ACK payload. Requests are queued in call order. */
  request(cmd: number, payload: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
    const run = this.tail.then(() => this.exchange(cmd, payload));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async exchange(cmd: number, payload: Uint8Array): Promise<Uint8Array> {
    this.seq = (this.seq + 1) & 0xff;
    const seq = this.seq;
    const bytes = encodePacket({ seq, cmd, payload });
    let lastNak: number | undefined;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      this.throwIfClosed();
      const reply = this.awaitReply(seq);
      try {
        await this.link.write(bytes);
      } catch (e) {
        this.pending?.settle({ timeout: true });
        this.throwIfClosed();
        throw e instanceof DeviceError ? e : displayError('io', (e as Error).message, e);
      }
      const r = await reply;
      this.throwIfClosed();
      if ('ack' in r && r.ack) return r.payload;
      if ('reason' in r) {
        lastNak = r.reason;
        if (PERMANENT_NAKS.has(r.reason)) break;
      } else {
        lastNak = undefined;
        this.decoder.reset();
      }
    }
    if (lastNak !== undefined)
      throw displayError('nak', `command 0x${cmd.toString(16)} NAK ${nakName(lastNak)}`);
    throw displayError('timeout', `command 0x${cmd.toString(16)}, ${this.opts.retries + 1} attempts`);
  }

  private throwIfClosed(): void {
    if (this.closed) throw displayError('disconnected', this.closed.message, this.closed);
  }

  private awaitReply(seq: number): Promise<Parameters<Pending['settle']>[0]> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done({ timeout: true }), this.opts.ackTimeoutMs);
      const done: Pending['settle'] = (reply) => {
        clearTimeout(timer);
        if (this.pending?.seq === seq) this.pending = undefined;
        resolve(reply);
      };
      this.pending = { seq, settle: done };
    });
  }

  private handle(events: DecodeEvent[]): void {
    for (const ev of events) {
      if (ev.type !== 'packet' || !this.pending || ev.packet.seq !== this.pending.seq) continue;
      if (ev.packet.cmd === Cmd.ACK) this.pending.settle({ ack: true, payload: ev.packet.payload });
      else if (ev.packet.cmd === Cmd.NAK)
        this.pending.settle({ ack: false, reason: ev.packet.payload[0] ?? 0 });
    }
  }
}

export function nakName(reason: number): string {
  const entry = Object.entries(NakReason).find(([, v]) => v === reason);
  return entry ? entry[0] : `0x${reason.toString(16)}`;
}
