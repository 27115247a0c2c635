import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import {
  type SignedEnvelope,
  type SignedPayload,
  signedEnvelopeSchema,
  signedPayloadSchema,
} from './schemas/index.ts';

/** Why a message from HQ was refused. Each is logged and reported to HQ; none changes anything. */
export type RejectCode =
  | 'HQ_E_MALFORMED' // not JSON, or not the envelope / payload schema
  | 'HQ_E_UNSIGNED' // no signature (plain JSON where a signed envelope is required)
  | 'HQ_E_BAD_SIGNATURE' // signature does not verify with any configured HQ key
  | 'HQ_E_EXPIRED' // past `exp`
  | 'HQ_E_NOT_YET_VALID' // `iat` too far in the future
  | 'HQ_E_OTHER_STATION' // signed for another station
  | 'HQ_E_REPLAYED' // command sequence number already used, or answer id not awaited
  | 'HQ_E_TOPIC_MISMATCH' // payload kind / command differs from the topic it came on
  | 'HQ_E_INVALID_COMMAND' // command data fails its schema or its rules
  | 'HQ_E_NO_KEY'; // the kiosk has no HQ public key configured

export const REJECT_TEXT: Record<RejectCode, { zh: string; en: string }> = {
  HQ_E_MALFORMED: { zh: '报文格式错误', en: 'malformed message' },
  HQ_E_UNSIGNED: { zh: '报文未签名', en: 'message is not signed' },
  HQ_E_BAD_SIGNATURE: { zh: '签名校验失败', en: 'signature does not verify' },
  HQ_E_EXPIRED: { zh: '指令已过期', en: 'message expired' },
  HQ_E_NOT_YET_VALID: { zh: '指令签发时间在未来', en: 'message issued in the future' },
  HQ_E_OTHER_STATION: { zh: '指令不是发给本亭的', en: 'message is for another station' },
  HQ_E_REPLAYED: { zh: '重放的指令', en: 'replayed message' },
  HQ_E_TOPIC_MISMATCH: { zh: '指令与主题不符', en: 'message does not match its topic' },
  HQ_E_INVALID_COMMAND: { zh: '指令内容无效', en: 'invalid command data' },
  HQ_E_NO_KEY: { zh: '未配置总部公钥', en: 'no HQ public key configured' },
};

/** Clock skew tolerated on `iat`, ms. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Reads an Ed25519 public key from SPKI PEM, base64 SPKI DER (44 bytes) or base64 raw (32 bytes). */
export function loadPublicKey(text: string): KeyObject {
  const t = text.trim();
  if (t.includes('-----BEGIN')) return createPublicKey(t);
  const der = Buffer.from(t, 'base64');
  if (der.length === 32) {
    const prefix = Buffer.from('302a300506032b6570032100', 'hex');
    return createPublicKey({ key: Buffer.concat([prefix, der]), format: 'der', type: 'spki' });
  }
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}

/** Base64 of the raw 32-byte public key, the short form shown by `kiosk-hq keys`. */
export function publicKeyBase64(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64');
}

/** Signs `payload` as its JSON text. */
export function signPayload(privateKey: KeyObject, payload: SignedPayload): SignedEnvelope {
  const text = JSON.stringify(payload);
  const sig = sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64');
  return { v: 1, alg: 'Ed25519', payload: text, sig };
}

export type OpenResult =
  | { ok: true; payload: SignedPayload }
  | { ok: false; code: RejectCode; detail: string; payload?: Partial<SignedPayload> };

/**
 * Checks everything that can be checked without state: envelope shape, signature, payload schema,
 * target station, validity period. Replay checks need state and are the caller's (ReplayGuard for
 * commands, the pending-request map for answers). Never throws.
 */
export function openSigned(
  raw: Buffer | string,
  keys: readonly KeyObject[],
  station: string,
  now: number,
): OpenResult {
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return { ok: false, code: 'HQ_E_MALFORMED', detail: 'not JSON' };
  }
  const env = signedEnvelopeSchema.safeParse(json);
  if (!env.success) {
    const looksUnsigned = typeof json === 'object' && json !== null && !('sig' in json);
    return looksUnsigned
      ? { ok: false, code: 'HQ_E_UNSIGNED', detail: 'no signature' }
      : { ok: false, code: 'HQ_E_MALFORMED', detail: 'bad envelope' };
  }
  if (keys.length === 0) return { ok: false, code: 'HQ_E_NO_KEY', detail: 'no key' };
  const bytes = Buffer.from(env.data.payload, 'utf8');
  const sig = Buffer.from(env.data.sig, 'base64');
  const good = keys.some((k) => {
    try {
      return verify(null, bytes, k, sig);
    } catch {
      return false;
    }
  });
  if (!good) return { ok: false, code: 'HQ_E_BAD_SIGNATURE', detail: 'signature' };
  let inner: unknown;
  try {
    inner = JSON.parse(env.data.payload);
  } catch {
    return { ok: false, code: 'HQ_E_MALFORMED', detail: 'payload not JSON' };
  }
  const p = signedPayloadSchema.safeParse(inner);
  if (!p.success)
    return { ok: false, code: 'HQ_E_MALFORMED', detail: p.error.issues[0]?.message ?? 'payload' };
  const payload = p.data;
  if (payload.station !== station)
    return { ok: false, code: 'HQ_E_OTHER_STATION', detail: `for ${payload.station}`, payload };
  if (now > payload.exp)
    return { ok: false, code: 'HQ_E_EXPIRED', detail: `expired at ${payload.exp}`, payload };
  if (payload.iat > now + MAX_CLOCK_SKEW_MS)
    return { ok: false, code: 'HQ_E_NOT_YET_VALID', detail: `issued at ${payload.iat}`, payload };
  return { ok: true, payload };
}
