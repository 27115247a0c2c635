/**
 * The kiosk's local API. Without an operator session every call is self-service; the console sets
 * the session's token and every call then acts as that operator. Refusals arrive as
 * `{ code, field?, zh, en, issues? }` and are thrown as ApiError.
 */

/** @typedef {{ code: string, field?: string, zh: string, en: string }} Problem */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0: the kiosk did not answer)
   * @param {Problem & { issues?: Problem[] }} body
   */
  constructor(status, body) {
    super(body.en);
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.zh = body.zh;
    this.en = body.en;
    /** @type {{ customer?: { zh: string, en: string } } | undefined} what the kiosk adds (a customer's wording) */
    this.details = /** @type {any} */ (body).details;
    /** @type {Problem[]} every problem, each naming its field where it has one */
    this.issues = Array.isArray(body.issues) && body.issues.length > 0 ? body.issues : [body];
  }
}

/** @type {string | null} the operator session's token; null on the customer's screens */
let token = null;

/** @param {string | null} t */
export function setToken(t) {
  token = t;
}

export function hasToken() {
  return token !== null;
}

/** The token for an event stream (EventSource cannot send headers). */
export function streamQuery() {
  return token ? `access_token=${encodeURIComponent(token)}` : '';
}

/**
 * A fresh idempotency key: made once per confirmed request by the screen that sends it, so a
 * repeat (double tap, a retry after a lost answer) is the same request to the kiosk.
 */
export function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Tries of a create whose answer was lost on the way (the same key each time). */
const SEND_TRIES = 3;

/**
 * Sends a request that must take effect at most once and whose key makes a repeat the same
 * request: an answer lost on the way (the kiosk did not answer) is asked again, up to SEND_TRIES
 * times; a refusal is thrown at once.
 * @template T
 * @param {() => Promise<T>} send
 * @returns {Promise<T>}
 */
export async function sendOnce(send) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      if (e instanceof ApiError && e.status === 0 && attempt < SEND_TRIES) continue;
      throw e;
    }
  }
}

/**
 * @param {'GET' | 'POST' | 'DELETE' | 'PUT'} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {{ key?: string }} [opts] `key`: the request's idempotency key
 * @returns {Promise<any>}
 */
export async function api(method, path, body, opts = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.key) headers['idempotency-key'] = opts.key;
  /** @type {Response} */
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, {
      code: 'NETWORK',
      zh: '暂时无法连接服务亭，请稍后再试',
      en: 'the kiosk cannot be reached; try again shortly',
    });
  }
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const b = data && typeof data === 'object' && typeof data.zh === 'string' ? data : null;
    throw new ApiError(
      res.status,
      b ?? {
        code: `HTTP_${res.status}`,
        zh: `服务暂不可用（${res.status}）`,
        en: `service unavailable (${res.status})`,
      },
    );
  }
  return data;
}
