import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApduFormatError,
  decodeCommand,
  encodeCommand,
  encodeResponse,
  fromHex,
  parseResponse,
  readBinarySfi,
  selectAid,
  swHex,
  toHex,
} from '../../../devices/card-reader/apdu.ts';

describe('APDU codec', () => {
  it('encodes the four short cases', () => {
    expect(toHex(encodeCommand({ cla: 0, ins: 0xa4, p1: 0, p2: 0 }))).toBe('00A40000');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0x81, p2: 0, le: 32 }))).toBe('00B0810020');
    expect(toHex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0x81, p2: 0, le: 256 }))).toBe('00B0810000');
    expect(toHex(encodeCommand(selectAid(fromHex('F04B494F534B454C4543'))))).toBe(
      '00A4040C0AF04B494F534B454C4543',
    );
    expect(toHex(encodeCommand({ cla: 0x80, ins: 0xd0, p1: 0, p2: 0, data: fromHex('0102'), le: 8 }))).toBe(
      '80D00000020102' + '08',
    );
    expect(toHex(encodeCommand(readBinarySfi(2, 4, 16)))).toBe('00B0820410');
  });

  it('round-trips any short command', () => {
    const cmd = fc.record({
      cla: fc.integer({ min: 0, max: 255 }),
      ins: fc.integer({ min: 0, max: 255 }),
      p1: fc.integer({ min: 0, max: 255 }),
      p2: fc.integer({ min: 0, max: 255 }),
      data: fc.option(fc.uint8Array({ minLength: 1, maxLength: 255 }), { nil: undefined }),
      le: fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(cmd, (c) => {
        const back = decodeCommand(encodeCommand(c));
        expect(back.cla).toBe(c.cla);
        expect(back.ins).toBe(c.ins);
        expect(back.le).toBe(c.le);
        expect(back.data ? Array.from(back.data) : undefined).toEqual(
          c.data ? Array.from(c.data) : undefined,
        );
      }),
    );
  });

  it('refuses what a short APDU cannot carry', () => {
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(256) })).toThrow(
      ApduFormatError,
    );
    expect(() => encodeCommand({ cla: 0x100, ins: 0, p1: 0, p2: 0 })).toThrow(/CLA/);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 })).toThrow(/Le/);
    expect(() => decodeCommand(fromHex('00A4'))).toThrow(ApduFormatError);
    expect(() => decodeCommand(fromHex('00A4040005AABB'))).toThrow(/Lc=5/);
    expect(() => readBinarySfi(31, 0, 1)).toThrow(/SFI/);
    expect(() => fromHex('ABC')).toThrow(ApduFormatError);
  });

  it('splits responses into data and status word', () => {
    expect(parseResponse(fromHex('01029000'))).toEqual({ data: fromHex('0102'), sw: 0x9000 });
    expect(parseResponse(fromHex('6A82'))).toEqual({ data: new Uint8Array(0), sw: 0x6a82 });
    expect(() => parseResponse(new Uint8Array(1))).toThrow(/shorter than 2/);
    expect(toHex(encodeResponse({ data: fromHex('AA'), sw: 0x6581 }))).toBe('AA6581');
    expect(swHex(0x9000)).toBe('9000');
  });
});
