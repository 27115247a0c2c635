import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import type { Clock } from '../../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import { paymentFlow } from '../../src/core/transaction/flows.ts';
import type { ServiceDefinition } from '../../src/core/transaction/types.ts';
import { type Logger, silentLogger } from '../../src/platform/logger.ts';
import { atChosenTime, suiteClock } from '../support/chosen-time.ts';
import { FakeHq } from '../support/fake-hq.ts';
import { tempDir } from '../support/kiosk-harness.ts';
import { testBillService } from '../support/test-service.ts';

/**
 * A real KioskApp (LevelDB on a temp dir, the local HTTP API on a free loopback port) with the
 * in-memory HQ double, for the HTTP and CLI tests. The catalogue's services are all enabled, plus
 * `test-bill`: the standard payment flow with status and reversal queries every 50 ms and the
 * "unknown too long" alert after 400 ms, so that asynchronous results and alerts arrive within a test.
 */
export const fastTestBill: ServiceDefinition = {
  ...testBillService,
  ...paymentFlow({
    queryDelayMs: () => 50,
    unknownAlertMs: 400,
    reversal: { queryDelayMs: () => 50, guard: () => null, confirmFields: ['phone', 'amount'] },
  }),
};

export const SERVICES: readonly ServiceDefinition[] = [...SERVICE_CATALOGUE, fastTestBill];

export const FEES: Record<string, string> = {
  'mobile-topup': '0.50',
  'electricity-bill': '1.00',
  'test-bill': '2.00',
};

export interface TestKiosk {
  app: KioskApp;
  hq: FakeHq;
  url: string;
  dataDir: string;
  /** Calls the API; returns status, parsed JSON body and the raw text. */
  api: (
    method: string,
    path: string,
    opts?: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field
  ) => Promise<{ status: number; body: any; text: string; headers: Headers }>;
  login: (code: string, password: string) => Promise<string>;
  stop: () => Promise<void>;
}

export async function startTestKiosk(
  opts: {
    clock?: Clock;
    overrides?: Record<string, unknown>;
    topUpFen?: number;
    extraServices?: readonly ServiceDefinition[];
    /** Where the kiosk logs (nothing by default). */
    logger?: Logger;
  } = {},
): Promise<TestKiosk> {
  const dir = await tempDir('kiosk-http-');
  const hq = new FakeHq();
  const app = new KioskApp({
    overrides: {
      dataDir: join(dir.path, 'data'),
      http: { host: '127.0.0.1', port: 0 },
      services: {
        enabled: [...SERVICES, ...(opts.extraServices ?? [])].map((s) => s.id),
        fees: FEES,
        mobileRegions: ['安庆'],
      },
      selfService: {
        enabled: true,
        services: ['mobile-topup', 'test-bill'],
        maxAmount: '100.00',
        perService: { 'test-bill': '50.00' },
      },
      engine: { requestTimeoutMs: 1000, maxAttempts: 3, retryBaseDelayMs: 50, retryMaxDelayMs: 200 },
      // The preview goes to the test's folder, not the working copy's var/.
      devices: { display: { sim: { pngPath: join(dir.path, 'led-preview.png') } } },
      ...opts.overrides,
    },
    hqPort: hq,
    logger: opts.logger ?? silentLogger(),
    services: [...SERVICES, ...(opts.extraServices ?? [])],
    clock: opts.clock ?? suiteClock,
  });
  await app.start();
  if (opts.topUpFen !== 0)
    await app.balance.applyHqEvent({ kind: 'topup', fen: opts.topUpFen ?? 1000_00, ref: 'slip-1' });
  // The low-balance watch reacts to the top-up on its own; let it finish before the test begins.
  await app.lowBalance?.settled();
  const url = app.url!;
  const api: TestKiosk['api'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined || o.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(new URL(path.replace(/^\//, ''), url), {
      method,
      headers,
      ...(o.raw !== undefined
        ? { body: o.raw }
        : o.body !== undefined
          ? { body: JSON.stringify(o.body) }
          : {}),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  };
  return {
    app,
    hq,
    url,
    dataDir: join(dir.path, 'data'),
    api,
    login: async (code, password) => {
      const r = await api('POST', '/api/session', { body: { code, password } });
      if (r.status !== 201) throw new Error(`login failed: ${r.text}`);
      return r.body.token as string;
    },
    stop: async () => {
      await app.stop(2000);
      await dir.cleanup();
    },
  };
}

const BIN = join(import.meta.dirname, '../../bin/kiosk.js');

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the real `bin/kiosk.js` as a child process with `input` on stdin. Asynchronous on purpose:
 * the kiosk it talks to runs in this process and must keep answering meanwhile.
 */
export function runKiosk(args: readonly string[], input = '', timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const at = atChosenTime(process.execPath, [BIN, ...args], {
      ...process.env,
      KIOSK_CONFIG: '',
      KIOSK_URL: '',
      KIOSK_TOKEN: '',
    });
    const child = spawn(at.cmd, at.args, { env: at.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end(input);
  });
}
