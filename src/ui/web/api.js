/**
 * The kiosk's local API as the customer uses it: no token, so every call is self-service.
 * Refusals arrive as `{ code, field?, zh, en, issues? }` and are thrown as ApiError.
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
    /** @type {Problem[]} every problem, each naming its field where it has one */
    this.issues = Array.isArray(body.issues) && body.issues.length > 0 ? body.issues : [body];
  }
}

/**
 * @param {'GET' | 'POST'} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function api(method, path, body) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
