import type { ReadableStream } from 'node:stream/web';
import { loadConfig } from '../config/load.ts';
import { ERROR_CODES, type ErrorCode, KioskError, KioskValidationError } from '../core/errors.ts';
import { type OneAnswer, oneRequest } from './one-request.ts';

/** How long one API call may take, ms (an inquiry waits for HQ up to its own timeout). */
export const API_TIMEOUT_MS = 60_000;

/** The running kiosk could not be reached at all (not running, wrong --url). */
export class KioskUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`无法连接服务亭 ${url}，请确认服务亭正在运行 / cannot reach the kiosk at ${url}; is it running?`, {
      cause,
    });
    this.name = 'KioskUnreachableError';
  }
}

/** Rebuilds the bilingual error the API answered with (every issue of a validation error kept). */
export function errorFromJson(json: unknown, status: number): KioskError {
  const j = (json ?? {}) as Record<string, unknown>;
  const code: ErrorCode =
    typeof j.code === 'string' && j.code in ERROR_CODES ? (j.code as ErrorCode) : 'KIOSK_E_INTERNAL';
  if (Array.isArray(j.issues) && j.issues.length > 0)
    return new KioskValidationError(
      code,
      j.issues.map((i) => errorFromJson(i, status)),
    );
  return new KioskError(code, {
    ...(typeof j.field === 'string' ? { field: j.field } : {}),
    zh: typeof j.zh === 'string' ? j.zh : `接口错误（HTTP ${status}）`,
    en: typeof j.en === 'string' ? j.en : `API error (HTTP ${status})`,
    ...(j.details && typeof j.details === 'object' ? { details: j.details as Record<string, unknown> } : {}),
  });
}

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * A client of the running kiosk's local API. It never opens the journal (the running kiosk holds
 * its lock). Refusals come back as the server's KioskError; a kiosk that cannot be reached as
 * KioskUnreachableError.
 */
export class KioskApiClient {
  constructor(
    readonly baseUrl: string,
    public token: string | undefined = undefined,
  ) {}

  private url(path: string): string {
    return new URL(path.replace(/^\//, ''), this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`)
      .href;
  }

  private headers(json: boolean): Record<string, string> {
    return {
      accept: 'application/json',
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const json = answerJson(res.body);
    if (refused(res)) throw errorFromJson(json, res.status);
    return json as T;
  }

  /** The raw bytes of an answer (a CSV export keeps its byte-order mark). */
  async bytes(path: string): Promise<Uint8Array> {
    const res = await this.send('GET', path);
    if (refused(res)) throw errorFromJson(answerJson(res.body), res.status);
    return new Uint8Array(res.body);
  }

  private async send(method: string, path: string, body?: unknown): Promise<OneAnswer> {
    try {
      return await oneRequest(this.url(path), {
        method,
        headers: this.headers(body !== undefined),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        timeoutMs: API_TIMEOUT_MS,
      });
    } catch (e) {
      throw new KioskUnreachableError(this.baseUrl, e);
    }
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** Logs an operator in; the token is used for every later call of this client. */
  async login(code: string, password: string): Promise<void> {
    const s = await this.post<{ token: string }>('/api/session', { code, password });
    this.token = s.token;
  }

  async logout(): Promise<void> {
    if (!this.token) return;
    await this.request('DELETE', '/api/session').catch(() => undefined);
    this.token = undefined;
  }

  /**
   * Opens the server-sent event stream at `path` and yields its events until `signal` aborts or
   * the server ends it. `opened` resolves once the server has accepted the stream, so a caller can
   * read the current state afterwards without missing a change in between.
   */
  async *events(path: string, signal: AbortSignal, opened?: () => void): AsyncGenerator<SseEvent> {
    let res: Response;
    try {
      res = await fetch(this.url(path), {
        headers: { ...this.headers(false), accept: 'text/event-stream' },
        signal,
      });
    } catch (e) {
      if (signal.aborted) return;
      throw new KioskUnreachableError(this.baseUrl, e);
    }
    if (!res.ok || !res.body) {
      const text = await res.text();
      throw errorFromJson(text ? JSON.parse(text) : undefined, res.status);
    }
    opened?.();
    yield* parseEventStream(res.body, signal);
  }
}

/** Whether the kiosk answered with anything but success (2xx). */
function refused(res: OneAnswer): boolean {
  return res.status < 200 || res.status > 299;
}

/** An answer's JSON, or undefined when it has none or it is not JSON. */
function answerJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a text/event-stream body into events (comments and `retry` lines are skipped). */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buf = '';
  const reader = body.getReader();
  try {
    for (;;) {
      if (signal?.aborted) return;
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (signal?.aborted) return;
        throw e;
      }
      if (chunk.done) return;
      buf += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const ev: SseEvent = { id: null, event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const i = line.indexOf(':');
          const field = i < 0 ? line : line.slice(0, i);
          const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
          if (field === 'data') data.push(value);
          else if (field === 'event') ev.event = value;
          else if (field === 'id') ev.id = value;
        }
        if (data.length > 0) yield { ...ev, data: data.join('\n') };
      }
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}

/**
 * The kiosk's local URL: `--url`, else KIOSK_URL, else the configuration's `http` host and port
 * (the configuration is only read; the journal is not opened).
 */
export async function kioskUrl(opts: {
  url?: string | undefined;
  config?: string | undefined;
}): Promise<string> {
  const given = opts.url ?? process.env.KIOSK_URL;
  if (given) {
    try {
      return new URL(given).href;
    } catch {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'url',
        zh: `地址无效：${given}`,
        en: `not a valid URL: ${given}`,
      });
    }
  }
  const { config } = await loadConfig({ file: opts.config });
  if (config.http.port === 0) {
    throw new KioskError('KIOSK_E_CONFIG', {
      field: 'http.port',
      zh: '配置中的端口为 0（随机端口），请用 --url 指定服务亭地址',
      en: 'the configured port is 0 (chosen at start); give the kiosk address with --url',
    });
  }
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  return `http://${host}:${config.http.port}/`;
}

/** A transaction as the API returns it (see src/reports/txn-view.ts); only what the CLI reads. */
export interface ApiTxn {
  serial: string;
  service: string;
  serviceName: { zh: string; en: string };
  businessDate: string;
  time: string;
  createdAt: number;
  operator: string | null;
  state: string;
  stateLabel: { zh: string; en: string };
  terminal: boolean;
  result: 'succeeded' | 'failed' | 'reversed' | null;
  amount: string;
  fee: string;
  total: string;
  fields: Record<string, unknown>;
  alerts: string[];
  reason: { code: string; zh: string; en: string } | null;
  status: {
    phase: string;
    zh: string;
    en: string;
    nextAttemptAt?: number;
    alerts: Array<{ name: string; zh: string; en: string }>;
  };
  /** Only in the answer to a self-service creation: opens this transaction's event stream. */
  follow?: string;
}

/** A next automatic query further away than this is not waited for, ms. */
export const NEAR_ATTEMPT_MS = 10_000;

/**
 * Nothing more to wait for here: final, or waiting for an automatic query that is not imminent
 * (the kiosk keeps asking by itself; `kiosk query` shows the result later).
 */
export function settled(t: ApiTxn, now = Date.now()): boolean {
  if (t.terminal) return true;
  return t.status.phase === 'waiting' && (t.status.nextAttemptAt ?? 0) - now > NEAR_ATTEMPT_MS;
}

/**
 * Runs `act` (which may change the transaction) and then follows the transaction over the event
 * stream until it is settled or `timeoutMs` passes; returns the latest state. The stream is
 * opened before `act`, so no change is missed.
 */
export async function followTransaction(
  client: KioskApiClient,
  serial: string | null,
  act: () => Promise<ApiTxn>,
  timeoutMs: number,
): Promise<ApiTxn> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const open = async (path: string) => {
    let opened!: () => void;
    const ready = new Promise<void>((r) => {
      opened = r;
    });
    const stream = client.events(path, ac.signal, () => opened());
    const first = stream.next();
    await Promise.race([ready, first]);
    return { stream, first };
  };
  try {
    if (!client.token) {
      // Without an operator session the kiosk streams only the one transaction a creation names
      // (by the follow token it answers): the stream opens after `act`, then a read catches up.
      const made = await act();
      if (settled(made) || !made.follow) return made;
      const { stream, first } = await open(
        `/api/events?serial=${encodeURIComponent(made.serial)}&follow=${encodeURIComponent(made.follow)}`,
      );
      const now = await client.get<ApiTxn>(`/api/transactions/${made.serial}`);
      return settled(now) ? now : await followStream(client, stream, first, now, ac.signal);
    }
    // Unfiltered when the serial is not known yet (a create): events are matched below.
    const { stream, first } = await open(
      `/api/events${serial ? `?serial=${encodeURIComponent(serial)}` : ''}`,
    );
    const last = await act();
    return settled(last) ? last : await followStream(client, stream, first, last, ac.signal);
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}

/** Reads `stream` until `start`'s transaction is settled or `signal` aborts; the latest state. */
async function followStream(
  client: KioskApiClient,
  stream: AsyncGenerator<SseEvent>,
  first: Promise<IteratorResult<SseEvent>>,
  start: ApiTxn,
  signal: AbortSignal,
): Promise<ApiTxn> {
  let last = start;
  for (let r = await first; !r.done; r = await stream.next()) {
    if (r.value.event !== 'txn' && r.value.event !== 'alert') continue;
    const t = (JSON.parse(r.value.data) as { transaction: ApiTxn }).transaction;
    if (t.serial !== last.serial) continue;
    last = t;
    if (settled(t)) break;
  }
  return signal.aborted ? await client.get<ApiTxn>(`/api/transactions/${last.serial}`) : last;
}

/** `key=value` arguments into an object; a malformed or repeated one is refused naming it. */
export function parseAssignments(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of args) {
    const i = a.indexOf('=');
    const key = i > 0 ? a.slice(0, i).trim() : '';
    if (!/^[A-Za-z][\w-]*$/.test(key)) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: key || a,
        zh: `参数应为 名称=值：${a}`,
        en: `arguments must be name=value: ${a}`,
      });
    }
    if (key in out) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: key,
        zh: '参数重复',
        en: 'given more than once',
      });
    }
    out[key] = a.slice(i + 1);
  }
  return out;
}
