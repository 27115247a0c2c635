import { request as httpRequest } from 'node:http';

export interface OneAnswer {
  status: number;
  body: Buffer;
}

/**
 * One HTTP request on its own connection, closed with the answer (no keep-alive): a command line
 * ends as soon as it has its answer, instead of idling on a pooled socket, and it does not load
 * fetch's client for a single call. Rejects on a transport error or after `timeoutMs`.
 */
export async function oneRequest(
  url: string,
  opts: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<OneAnswer> {
  const target = new URL(url);
  // TLS is loaded only for a kiosk served over https (the local API is plain http by default).
  const send = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  return new Promise<OneAnswer>((resolve, reject) => {
    const req = send(
      target,
      {
        method: opts.method,
        agent: false,
        headers: {
          ...opts.headers,
          connection: 'close',
          ...(body ? { 'content-length': String(body.length) } : {}),
        },
        timeout: opts.timeoutMs,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
