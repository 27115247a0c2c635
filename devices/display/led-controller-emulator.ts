import { EventEmitter } from 'node:events';
import { createFrame, type Frame } from './frame.ts';
import {
  Cmd,
  decodeFramePayload,
  encodeHelloInfo,
  encodePacket,
  NakReason,
  type Packet,
  PacketDecoder,
  PROTOCOL_VERSION,
} from './led-protocol.ts';

export interface EmulatorEvents {
  /** Bytes the controller sends back to the host. */
  reply: [Buffer];
  /** The panel content changed (FRAME or CLEAR applied). */
  frame: [Frame];
  brightness: [number];
  /** Every well-formed packet received, before faults are applied. */
  packet: [Packet];
}

/**
 * The controller side of docs/led-serial-protocol.md: decodes what the host sends, applies it to a
 * framebuffer and answers ACK/NAK. Used by the simulator and, on the far end of a socat pty pair,
 * by the serial tests. Fault controls reproduce what real controllers do: NAK (busy), lost ACKs,
 * slow ACKs, corrupted replies.
 */
export class LedControllerEmulator extends EventEmitter<EmulatorEvents> {
  private readonly decoder = new PacketDecoder();
  private fb: Frame;
  private level = 100;
  private ackDelayMs = 0;
  private nakCount = 0;
  private nakReason: number = NakReason.BUSY;
  private dropCount = 0;
  private corruptCount = 0;
  /** Number of packets received with a bad CRC. */
  badCrc = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super();
    this.fb = createFrame(width, height);
  }

  get framebuffer(): Frame {
    return this.fb;
  }

  get brightness(): number {
    return this.level;
  }

  /** Answer the next `n` packets with NAK `reason` without applying them. */
  nakNext(n: number, reason: number = NakReason.BUSY): void {
    this.nakCount = n;
    this.nakReason = reason;
  }

  /** Apply but do not answer the next `n` packets (an ACK lost on the wire). */
  dropNextAcks(n: number): void {
    this.dropCount = n;
  }

  /** Flip a bit in the next `n` replies so their CRC fails. */
  corruptNextReplies(n: number): void {
    this.corruptCount = n;
  }

  /** Delay every reply by `ms` (a slow controller). */
  setAckDelay(ms: number): void {
    this.ackDelayMs = ms;
  }

  /** Power loss: the panel goes dark, brightness back to the power-on level, partial input lost. */
  powerCycle(): void {
    this.decoder.reset();
    this.fb = createFrame(this.width, this.height);
    this.level = 100;
    this.emit('frame', this.fb);
  }

  receive(bytes: Uint8Array): void {
    for (const ev of this.decoder.push(bytes)) {
      if (ev.type === 'corrupt') {
        this.badCrc++;
        this.send({ seq: ev.seq, cmd: Cmd.NAK, payload: Uint8Array.of(NakReason.BAD_CRC) });
      } else {
        this.emit('packet', ev.packet);
        this.handle(ev.packet);
      }
    }
  }

  private handle(p: Packet): void {
    if (this.nakCount > 0) {
      this.nakCount--;
      this.send({ seq: p.seq, cmd: Cmd.NAK, payload: Uint8Array.of(this.nakReason) });
      return;
    }
    const answer = this.apply(p);
    if (this.dropCount > 0) {
      this.dropCount--;
      return;
    }
    this.send(answer);
  }

  private apply(p: Packet): Packet {
    const ack = (payload: Uint8Array = new Uint8Array(0)): Packet => ({ seq: p.seq, cmd: Cmd.ACK, payload });
    const nak = (reason: number): Packet => ({ seq: p.seq, cmd: Cmd.NAK, payload: Uint8Array.of(reason) });
    switch (p.cmd) {
      case Cmd.HELLO:
        return ack(encodeHelloInfo({ version: PROTOCOL_VERSION, width: this.width, height: this.height }));
      case Cmd.PING:
        return ack();
      case Cmd.FRAME: {
        const f = decodeFramePayload(p.payload);
        if (!f || f.width !== this.width || f.height !== this.height) return nak(NakReason.BAD_PAYLOAD);
        this.fb = f;
        this.emit('frame', f);
        return ack();
      }
      case Cmd.BRIGHTNESS: {
        const level = p.payload[0];
        if (p.payload.length !== 1 || level === undefined || level > 100) return nak(NakReason.BAD_PAYLOAD);
        this.level = level;
        this.emit('brightness', level);
        return ack();
      }
      case Cmd.CLEAR:
        this.fb = createFrame(this.width, this.height);
        this.emit('frame', this.fb);
        return ack();
      default:
        return nak(NakReason.UNKNOWN_COMMAND);
    }
  }

  private send(p: Packet): void {
    const bytes = encodePacket(p);
    if (this.corruptCount > 0) {
      this.corruptCount--;
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    }
    if (this.ackDelayMs > 0) setTimeout(() => this.emit('reply', bytes), this.ackDelayMs);
    else this.emit('reply', bytes);
  }
}
