import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CertificateKey, ensureCa, issueCertificate } from '../../src/reference-hq/keys.ts';
import { kioskDynsecConfig } from '../../src/reference-hq/mosquitto-dynsec.ts';
import { certificateWindow, envStartingAt } from './chosen-time.ts';

const SHIPPED = fileURLToPath(new URL('../../config/mosquitto/', import.meta.url));

export interface Pki {
  dir: string;
  /** The CA of the broker's and the kiosks' certificates (HQ clients verify the broker with it). */
  ca: string;
  /** The CA of HQ's client certificates (CN `hq`), accepted only on the HQ listener. */
  hqCa: string;
  /** The stations that have a kiosk certificate. */
  stations: string[];
  client(name: string): { cert: string; key: string };
}

export interface PkiOptions {
  /** The client certificates' key type: RSA-2048 as `kiosk-hq keys` issues by default. */
  key?: CertificateKey;
  /** How many openssl runs at once while issuing the client certificates (default 4). */
  parallel?: number;
}

/**
 * A throwaway PKI made with openssl: CA, broker certificate (localhost), client certificates by CN;
 * the `hq` certificate comes from a CA of its own, as in production. Valid for the machine's clock
 * and the suite's chosen time alike (`certificateWindow`).
 */
export async function makePki(dir: string, clientCns: string[], opts: PkiOptions = {}): Promise<Pki> {
  const { from, days } = certificateWindow();
  const clients = new Map<string, { cert: string; key: string }>();
  const hqDir = join(dir, 'hq-ca');
  const env = envStartingAt(from);
  await ensureCa(dir, days, 'kiosk-test-ca', env);
  await mkdir(hqDir, { recursive: true });
  await ensureCa(hqDir, days, 'kiosk-test-hq-ca', env);
  await issueCertificate(dir, 'server', {
    cn: 'localhost',
    kind: 'server',
    days,
    hosts: ['localhost', '127.0.0.1'],
    env,
  });
  // Serials are random, so certificates from one CA may be issued side by side.
  const queue = [...clientCns];
  const issueNext = async (): Promise<void> => {
    for (let cn = queue.shift(); cn !== undefined; cn = queue.shift())
      clients.set(
        cn,
        await issueCertificate(cn === 'hq' ? hqDir : dir, `client-${cn}`, {
          cn,
          kind: 'client',
          days,
          env,
          key: opts.key,
        }),
      );
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 4) }, issueNext));
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    hqCa: join(hqDir, 'ca.crt'),
    stations: clientCns.filter((cn) => cn !== 'hq'),
    client(name) {
      const c = clients.get(name);
      if (!c) throw new Error(`no client certificate for ${name}`);
      return c;
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real Mosquitto on free loopback ports, configured with the shipped config/mosquitto files and
 * the kiosk rules for the PKI's stations: only the listener addresses, the file locations and
 * `user root` (so it can read the throwaway key without dropping privileges) differ. `url` is the kiosks' listener, `hqUrl` HQ's.
 */
export class Mosquitto {
  private proc: ChildProcess | null = null;
  port = 0;
  hqPort = 0;
  log = '';

  /**
   * `stations`: the stations in the broker's rules at start (the PKI's by default); a station with
   * a certificate left out is one HQ adds later, while the broker runs.
   */
  constructor(
    private readonly pki: Pki,
    private readonly opts: { stations?: readonly string[] } = {},
  ) {}

  get url(): string {
    return `mqtts://127.0.0.1:${this.port}`;
  }

  get hqUrl(): string {
    return `mqtts://127.0.0.1:${this.hqPort}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    if (this.hqPort === 0) this.hqPort = await freePort();
    const dir = this.pki.dir;
    await writeFile(join(dir, 'acl-hq'), await readFile(join(SHIPPED, 'acl-hq'), 'utf8'));
    // What `kiosk-hq keys station` writes for each station it issues a certificate to.
    await writeFile(
      join(dir, 'dynamic-security.json'),
      JSON.stringify(
        kioskDynsecConfig((this.opts.stations ?? this.pki.stations).filter((s) => /^\d{8}$/.test(s))),
      ),
    );
    await copyFile(this.pki.hqCa, join(dir, 'hq-ca.crt'));
    const conf = (await readFile(join(SHIPPED, 'mosquitto.conf'), 'utf8'))
      .replaceAll('/etc/mosquitto/kiosk/', `${dir}/`)
      .replace(/^listener 8883$/m, `listener ${this.port} 127.0.0.1`)
      .replace(/^listener 8884$/m, `listener ${this.hqPort} 127.0.0.1`);
    const file = join(dir, 'mosquitto-test.conf');
    await writeFile(
      file,
      `${conf}\nuser root\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\n`,
    );
    // setpriv execs mosquitto in place (same pid) with SIGTERM as its parent-death signal: a
    // suite or fleet that is killed takes its broker with it.
    const proc = spawn('setpriv', ['--pdeathsig', 'SIGTERM', '--', 'mosquitto', '-c', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    proc.stderr?.on('data', (d: Buffer) => {
      this.log += d.toString();
    });
    await this.waitListening(this.port);
    await this.waitListening(this.hqPort);
  }

  private async waitListening(port: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (this.proc?.exitCode !== null) throw new Error(`mosquitto exited: ${this.log}`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`mosquitto did not listen on ${port}: ${this.log}`);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }
}
