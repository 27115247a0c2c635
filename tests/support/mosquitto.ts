import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCa, issueCertificate } from '../../src/hq-platform/keys.ts';

const SHIPPED = fileURLToPath(new URL('../../config/mosquitto/', import.meta.url));

export interface Pki {
  dir: string;
  ca: string;
  client(name: string): { cert: string; key: string };
}

/** A throwaway PKI made with openssl: CA, broker certificate (localhost), client certificates by CN. */
export async function makePki(dir: string, clientCns: string[]): Promise<Pki> {
  await ensureCa(dir, 2, 'kiosk-test-ca');
  await issueCertificate(dir, 'server', {
    cn: 'localhost',
    kind: 'server',
    days: 2,
    hosts: ['localhost', '127.0.0.1'],
  });
  const clients = new Map<string, { cert: string; key: string }>();
  for (const cn of clientCns)
    clients.set(cn, await issueCertificate(dir, `client-${cn}`, { cn, kind: 'client', days: 2 }));
  return {
    dir,
    ca: join(dir, 'ca.crt'),
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
 * A real Mosquitto on a free loopback port, configured with the shipped config/mosquitto files:
 * only the listener address, the file locations and `user root` (so it can read the throwaway key
 * without dropping privileges) differ.
 */
export class Mosquitto {
  private proc: ChildProcess | null = null;
  port = 0;
  log = '';

  constructor(private readonly pki: Pki) {}

  get url(): string {
    return `mqtts://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const dir = this.pki.dir;
    const acl = await readFile(join(SHIPPED, 'acl'), 'utf8');
    await writeFile(join(dir, 'acl'), acl);
    const conf = (await readFile(join(SHIPPED, 'mosquitto.conf'), 'utf8'))
      .replaceAll('/etc/mosquitto/kiosk/', `${dir}/`)
      .replace(/^listener 8883$/m, `listener ${this.port} 127.0.0.1`);
    const file = join(dir, 'mosquitto-test.conf');
    await writeFile(file, `${conf}\nuser root\nlog_dest stderr\nlog_type error\nlog_type warning\n`);
    const proc = spawn('mosquitto', ['-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    proc.stderr?.on('data', (d: Buffer) => {
      this.log += d.toString();
    });
    await this.waitListening();
  }

  private async waitListening(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (this.proc?.exitCode !== null) throw new Error(`mosquitto exited: ${this.log}`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(this.port, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`mosquitto did not listen on ${this.port}: ${this.log}`);
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
