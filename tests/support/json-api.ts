/** An answer of the kiosk's (or HQ's) HTTP API as the tests read it. */
export interface JsonAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field
  body: any;
  text: string;
  headers: Headers;
}

/**
 * Calls `method path` on the API at `base` with `body` as JSON (when given) and `token` as the
 * bearer token (when given); the answer's body parsed as JSON when there is one. Never throws on
 * an HTTP error status: the tests check refusals as answers.
 */
export async function callJson(
  base: string | URL,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<JsonAnswer> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
}
