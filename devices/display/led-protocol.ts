import { createFrame, type Frame, strideOf } from './frame.ts';

/**
 * Codec of the serial LED controller protocol (docs/led-serial-protocol.md). Pure: bytes in,
 * bytes out. Packet: SOF(0xA5) · LEN(u16 BE = 2 + payload length) · SEQ · CMD · PAYLOAD · CRC(u16 BE,
 * CRC-16/CCITT-FALSE over LEN..PAYLOAD).
 */
export const SOF = 0xa5;
export const PROTOCOL_VERSION = 1;
/** Largest payload a packet may carry: a FRAME of 256×256 px plus its 4-byte header. */
export const MAX_PAYLOAD = 4 + 32 * 256;

export const Cmd = {
  HELLO: 0x01,
  PING: 0x02,
  FRAME: 0x10,
  BRIGHTNESS: 0x11,
  CLEAR: 0x12,
  ACK: 0x80,
  NAK: 0x81,
} as const;

export const NakReason = {
  BAD_CRC: 0x01,
  BAD_LENGTH: 0x02,
  UNKNOWN_COMMAND: 0x03,
  BAD_PAYLOAD: 0x04,
  BUSY: 0x05,
} as const;

/** NAK reasons that a re-send of the same packet cannot fix. */
export const PERMANENT_NAKS: ReadonlySet<number> = new Set([
  NakReason.UNKNOWN_COMMAND,
  NakReason.BAD_PAYLOAD,
]);

export interface Packet {
  seq: number;
  cmd: number;
  payload: Uint8Array;
}

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= (bytes[i] ?? 0) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export function encodePacket(p: Packet): Buffer {
  if (p.payload.length > MAX_PAYLOAD)
    throw new RangeError(`payload of ${p.payload.length} bytes is too long`);
  const len = 2 + p.payload.length;
  const out = Buffer.alloc(1 + 2 + len + 2);
  out[0] = SOF;
  out.writeUInt16BE(len, 1);
  out[3] = p.seq & 0xff;
  out[4] = p.cmd & 0xff;
  out.set(p.payload, 5);
  out.writeUInt16BE(crc16(out, 1, 3 + len), 3 + len);
  return out;
}

export type DecodeEvent =
  | { type: 'packet'; packet: Packet }
  /** A packet-shaped run of bytes whose CRC did not match; `seq` is the unverified SEQ byte. */
  | { type: 'corrupt'; seq: number };

/**
 * Incremental decoder: feed it chunks as they arrive. It hunts for SOF, checks the length and the
 * CRC, and on any mismatch drops only the SOF byte and hunts again, so a valid packet that follows
 * garbage is always found.
 */
export class PacketDecoder {
  private buf = Buffer.alloc(0);

  push(chunk: Uint8Array): DecodeEvent[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const events: DecodeEvent[] = [];
    for (;;) {
      const sof = this.buf.indexOf(SOF);
      if (sof < 0) {
        this.buf = Buffer.alloc(0);
        break;
      }
      if (sof > 0) this.buf = this.buf.subarray(sof);
      if (this.buf.length < 3) break;
      const len = this.buf.readUInt16BE(1);
      if (len < 2 || len > 2 + MAX_PAYLOAD) {
        this.buf = this.buf.subarray(1);
        continue;
      }
      const total = 3 + len + 2;
      if (this.buf.length < total) break;
      const crc = this.buf.readUInt16BE(3 + len);
      if (crc16(this.buf, 1, 3 + len) !== crc) {
        events.push({ type: 'corrupt', seq: this.buf[3] ?? 0 });
        this.buf = this.buf.subarray(1);
        continue;
      }
      const packet = {
        seq: this.buf[3] ?? 0,
        cmd: this.buf[4] ?? 0,
        payload: Uint8Array.from(this.buf.subarray(5, 3 + len)),
      };
      events.push({ type: 'packet', packet });
      this.buf = this.buf.subarray(total);
    }
    return events;
  }

  /** Drops buffered partial input (after a timeout the host starts from a clean state). */
  reset(): void {
    this.buf = Buffer.alloc(0);
  }

  get buffered(): number {
    return this.buf.length;
  }
}

/** FRAME payload: width u16 BE · height u16 BE · bitmap as in frame.ts. */
export function encodeFramePayload(f: Frame): Uint8Array {
  const out = Buffer.alloc(4 + f.bits.length);
  out.writeUInt16BE(f.width, 0);
  out.writeUInt16BE(f.height, 2);
  out.set(f.bits, 4);
  return out;
}

/** undefined when the payload's size does not match its header. */
export function decodeFramePayload(payload: Uint8Array): Frame | undefined {
  if (payload.length < 4) return undefined;
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  const width = b.readUInt16BE(0);
  const height = b.readUInt16BE(2);
  if (payload.length !== 4 + strideOf(width) * height) return undefined;
  const f = createFrame(width, height);
  f.bits.set(payload.subarray(4));
  return f;
}

export interface ControllerInfo {
  version: number;
  width: number;
  height: number;
}

/** ACK payload of HELLO: version u8 · width u16 BE · height u16 BE. */
export function encodeHelloInfo(info: ControllerInfo): Uint8Array {
  const out = Buffer.alloc(5);
  out[0] = info.version;
  out.writeUInt16BE(info.width, 1);
  out.writeUInt16BE(info.height, 3);
  return out;
}

export function decodeHelloInfo(payload: Uint8Array): ControllerInfo | undefined {
  if (payload.length < 5) return undefined;
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  return { version: b[0] ?? 0, width: b.readUInt16BE(1), height: b.readUInt16BE(3) };
}
