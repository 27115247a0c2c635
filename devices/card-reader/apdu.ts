/**
 * ISO/IEC 7816-4 APDU codec: bytes in, bytes out, no I/O. Short APDUs only (Lc ≤ 255, Le ≤ 256),
 * which is all the electricity card needs and what every PC/SC reader supports.
 */

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Lc is its length); absent or empty for case 1/2 commands. */
  data?: Uint8Array;
  /** Expected response length; 256 is encoded as Le=00. Absent for case 1/3 commands. */
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  /** Status word SW1SW2 as one number, e.g. 0x9000. */
  sw: number;
}

export class ApduFormatError extends Error {
  override name = 'ApduFormatError';
}

function byte(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff)
    throw new ApduFormatError(`${name} must be a byte, got ${v}`);
  return v;
}

/** Encodes a short command APDU (cases 1–4). */
export function encodeCommand(c: CommandApdu): Uint8Array {
  const data = c.data ?? new Uint8Array(0);
  if (data.length > 255) throw new ApduFormatError(`command data too long for a short APDU: ${data.length}`);
  if (c.le !== undefined && (!Number.isInteger(c.le) || c.le < 1 || c.le > 256)) {
    throw new ApduFormatError(`Le must be 1..256, got ${c.le}`);
  }
  const out: number[] = [byte('CLA', c.cla), byte('INS', c.ins), byte('P1', c.p1), byte('P2', c.p2)];
  if (data.length > 0) out.push(data.length, ...data);
  if (c.le !== undefined) out.push(c.le === 256 ? 0 : c.le);
  return Uint8Array.from(out);
}

/** Decodes a short command APDU; the inverse of `encodeCommand`. */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new ApduFormatError(`command APDU shorter than 4 bytes: ${bytes.length}`);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const body = bytes.subarray(4);
  if (body.length === 0) return { cla, ins, p1, p2 };
  if (body.length === 1) return { cla, ins, p1, p2, le: body[0] === 0 ? 256 : body[0]! };
  const lc = body[0]!;
  if (lc === 0) throw new ApduFormatError('extended-length APDUs are not supported');
  if (body.length === 1 + lc) return { cla, ins, p1, p2, data: body.slice(1) };
  if (body.length === 2 + lc) {
    const le = body[1 + lc]!;
    return { cla, ins, p1, p2, data: body.slice(1, 1 + lc), le: le === 0 ? 256 : le };
  }
  throw new ApduFormatError(`Lc=${lc} does not match the body length ${body.length}`);
}

/** Splits an R-APDU into data and status word. Fewer than 2 bytes means the card never answered. */
export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduFormatError(`response APDU shorter than 2 bytes: ${bytes.length}`);
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export function encodeResponse(r: ResponseApdu): Uint8Array {
  const out = new Uint8Array(r.data.length + 2);
  out.set(r.data, 0);
  out[r.data.length] = (r.sw >> 8) & 0xff;
  out[r.data.length + 1] = r.sw & 0xff;
  return out;
}

/** Status words used by this project, named as in ISO/IEC 7816-4. */
export const SW = {
  OK: 0x9000,
  MEMORY_FAILURE: 0x6581,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED_NO_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  WRONG_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0').toUpperCase();
}

/** SELECT by DF name (AID), no response data requested (P2=0C). */
export function selectAid(aid: Uint8Array): CommandApdu {
  return { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid };
}

/** READ BINARY of a short-file-identifier EF from `offset` (0..255), `length` bytes (1..256). */
export function readBinarySfi(sfi: number, offset: number, length: number): CommandApdu {
  if (!Number.isInteger(sfi) || sfi < 1 || sfi > 30)
    throw new ApduFormatError(`SFI must be 1..30, got ${sfi}`);
  return { cla: 0x00, ins: 0xb0, p1: 0x80 | sfi, p2: byte('offset', offset), le: length };
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new ApduFormatError(`not a hex byte string: ${hex}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}
