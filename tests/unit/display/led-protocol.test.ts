import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrame, framesEqual, setPixel } from '../../../devices/display/frame.ts';
import {
  Cmd,
  crc16,
  decodeFramePayload,
  decodeHelloInfo,
  encodeFramePayload,
  encodeHelloInfo,
  encodePacket,
  MAX_PAYLOAD,
  type Packet,
  PacketDecoder,
} from '../../../devices/display/led-protocol.ts';

function packets(events: ReturnType<PacketDecoder['push']>): Packet[] {
  return events.flatMap((e) => (e.type === 'packet' ? [e.packet] : []));
}

describe('LED serial protocol codec', () => {
  it('uses CRC-16/CCITT-FALSE (check value of "123456789" is 0x29B1)', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x29b1);
  });

  it('encodes SOF, LEN, SEQ, CMD, payload and CRC', () => {
    const b = encodePacket({ seq: 0x2a, cmd: Cmd.BRIGHTNESS, payload: Uint8Array.of(80) });
    expect(b.subarray(0, 6).toString('hex')).toBe('a50003' + '2a' + '11' + '50');
    expect(b.readUInt16BE(6)).toBe(crc16(Buffer.from([0x00, 0x03, 0x2a, 0x11, 0x50])));
    expect(b.length).toBe(8);
    // The worked example of docs/led-serial-protocol.md.
    expect(b.toString('hex')).toBe('a500032a1150a160');
  });

  it('decodes packets split across chunks and after line noise', () => {
    const a = encodePacket({ seq: 1, cmd: Cmd.ACK, payload: new Uint8Array(0) });
    const b = encodePacket({ seq: 2, cmd: Cmd.NAK, payload: Uint8Array.of(5) });
    const d = new PacketDecoder();
    const stream = Buffer.concat([Buffer.from([0x00, 0xa5, 0xff, 0xff, 0x13]), a, b]);
    const got: Packet[] = [];
    for (const byte of stream) got.push(...packets(d.push(Uint8Array.of(byte))));
    expect(got.map((p) => [p.seq, p.cmd, [...p.payload]])).toEqual([
      [1, Cmd.ACK, []],
      [2, Cmd.NAK, [5]],
    ]);
    expect(d.buffered).toBe(0);
  });

  it('reports a packet with a bad CRC and still finds the next good one', () => {
    const bad = encodePacket({ seq: 9, cmd: Cmd.FRAME, payload: Uint8Array.of(1, 2, 3) });
    bad[5] = (bad[5] ?? 0) ^ 0xff;
    const good = encodePacket({ seq: 10, cmd: Cmd.PING, payload: new Uint8Array(0) });
    const events = new PacketDecoder().push(Buffer.concat([bad, good]));
    expect(events[0]).toEqual({ type: 'corrupt', seq: 9 });
    expect(packets(events).map((p) => p.seq)).toEqual([10]);
  });

  it('refuses payloads above the maximum', () => {
    expect(() => encodePacket({ seq: 0, cmd: Cmd.FRAME, payload: new Uint8Array(MAX_PAYLOAD + 1) })).toThrow(
      RangeError,
    );
  });

  it('round-trips any packet through any chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ seq: fc.nat(255), cmd: fc.nat(255), payload: fc.uint8Array({ maxLength: 300 }) }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        fc.uint8Array({ maxLength: 20 }),
        (ps, cuts, noise) => {
          const noSof = noise.filter((b) => b !== 0xa5);
          const stream = Buffer.concat([Buffer.from(noSof), ...ps.map(encodePacket)]);
          const d = new PacketDecoder();
          const got: Packet[] = [];
          let at = 0;
          let i = 0;
          while (at < stream.length) {
            const n = cuts[i++ % cuts.length] ?? 1;
            got.push(...packets(d.push(stream.subarray(at, at + n))));
            at += n;
          }
          expect(got.map((p) => ({ seq: p.seq, cmd: p.cmd, payload: [...p.payload] }))).toEqual(
            ps.map((p) => ({ seq: p.seq, cmd: p.cmd, payload: [...p.payload] })),
          );
        },
      ),
    );
  });

  it('carries frames as width, height and packed rows', () => {
    const f = createFrame(12, 3);
    setPixel(f, 11, 2, true);
    const payload = encodeFramePayload(f);
    expect(Buffer.from(payload).toString('hex')).toBe('000c0003' + '0000' + '0000' + '0010');
    const back = decodeFramePayload(payload);
    expect(back && framesEqual(back, f)).toBe(true);
    expect(decodeFramePayload(payload.subarray(0, payload.length - 1))).toBeUndefined();
    expect(decodeFramePayload(Uint8Array.of(0, 1))).toBeUndefined();
  });

  it('carries the controller info in the HELLO ACK', () => {
    expect(decodeHelloInfo(encodeHelloInfo({ version: 1, width: 128, height: 16 }))).toEqual({
      version: 1,
      width: 128,
      height: 16,
    });
    expect(decodeHelloInfo(Uint8Array.of(1, 0))).toBeUndefined();
  });
});
