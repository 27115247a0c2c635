import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { atChosenTime } from './chosen-time.ts';
import { freePort } from './mosquitto.ts';
import { until } from './wait.ts';

const BIN = join(import.meta.dirname, '../../bin/kiosk.js');

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of many shapes
  body: any;
}

/**
 * The real kiosk process (`bin/kiosk.js start`) on a config file written here, started at the
 * suite's chosen time through libfaketime, with teller A001 (password 123456) added while it was
 * stopped, as in production. `kill()` is a real SIGKILL; `start()` again resumes on the same data.
 */
export class KioskProcess {
  child: ChildProcess | undefined;
  url = '';
  private token = '';
  stderr = '';
  /** Node options before the script (V8 flags as the systemd unit gives them). */
  nodeArgs: string[] = [];

  constructor(
    readonly configFile: string,
    private readonly config: Record<string, unknown>,
  ) {}

  /** Writes the config (local server on a free loopback port) and, unless told not to, adds the teller. */
  async prepare(opts: { teller?: boolean } = {}): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    await writeFile(
      this.configFile,
      JSON.stringify({
        log: { level: 'warn' },
        devices: { display: { sim: { pngPath: null } } },
        ...this.config,
        http: { host: '127.0.0.1', port },
      }),
    );
    if (opts.teller === false) return;
    const setup = new KioskApp({ configFile: this.configFile, logger: silentLogger(), http: false });
    await setup.open();
    await setup.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await setup.journal.close();
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the process and waits for its local API (it may come up in safe mode). `startAt` (epoch
   * ms) starts its clock there instead of at the suite clock's now.
   */
  async start(timeoutMs = 60_000, startAt?: number): Promise<void> {
    const at = atChosenTime(
      process.execPath,
      [...this.nodeArgs, BIN, 'start', '--config', this.configFile],
      process.env,
      ...(startAt === undefined ? [] : [startAt]),
    );
    const child = spawn(at.cmd, at.args, {
      env: { ...at.env, KIOSK_CONFIG: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    await until(
      async () => {
        if (!this.running)
          throw new Error(`kiosk exited (${child.exitCode ?? child.signalCode}): ${this.stderr}`);
        return (await fetch(`${this.url}/api/health`).catch(() => null))?.ok === true;
      },
      timeoutMs,
      'the kiosk’s local API',
    );
    await this.login();
  }

  /** Logs the teller in (a new process has no sessions). */
  async login(): Promise<void> {
    const s = await this.api('POST', '/api/session', { code: 'A001', password: '123456' }, false);
    this.token = s.body?.token ?? '';
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  /** SIGTERM, and wait for a clean exit. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || !this.running) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await gone;
  }

  async api(method: string, path: string, body?: unknown, auth = true): Promise<ApiAnswer> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(auth && this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }
}
