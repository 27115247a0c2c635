import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probePcscd } from '../../devices/card-reader/pcsc-probe.ts';

/**
 * A real pcscd with vsmartcard's vpcd driver, for tests. Runs only inside the private network
 * namespace set up by scripts/pcsc-harness.sh (vpcd listens on every interface), which exports
 * KIOSK_PCSC_NETNS=1 and kills leftover daemons carrying `HARNESS_MARKER` in their command line.
 */
export const HARNESS_MARKER = 'kiosk-pcsc-harness';
/** vpcd channel 0x8C96: reader slot 0 listens on this port, slot 1 on the next one. */
export const VPCD_PORT = 0x8c96;
export const VPCD_READER = 'Kiosk Test PCD 00 00';
export const PCSCD_SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';

export function assertPrivateNetns(): void {
  if (process.env.KIOSK_PCSC_NETNS !== '1') {
    throw new Error('pcscd + vpcd tests must run through `unshare -n bash scripts/pcsc-harness.sh ...`');
  }
}

export class PcscDaemon {
  private proc: ChildProcess | null = null;
  private dir: string | null = null;
  /** pcscd's own output, kept for failure reports. */
  log = '';

  async start(): Promise<void> {
    assertPrivateNetns();
    if (this.proc) return;
    this.dir ??= mkdtempSync(join(tmpdir(), `${HARNESS_MARKER}.`));
    writeFileSync(
      join(this.dir, 'vpcd'),
      [
        'FRIENDLYNAME "Kiosk Test PCD"',
        `DEVICENAME /dev/null:0x${VPCD_PORT.toString(16).toUpperCase()}`,
        'LIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so',
        `CHANNELID 0x${VPCD_PORT.toString(16).toUpperCase()}`,
        '',
      ].join('\n'),
    );
    const proc = spawn('pcscd', ['-f', '-c', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    const collect = (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-20_000);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`pcscd exited (${code}) during start:\n${this.log}`))),
    );
    const up = (async () => {
      for (let i = 0; i < 100; i++) {
        if (await probePcscd(PCSCD_SOCKET, 200)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`pcscd did not open ${PCSCD_SOCKET}:\n${this.log}`);
    })();
    await Promise.race([up, exited]);
  }

  /** Stops pcscd (SIGTERM, SIGKILL after 3 s) and waits for it to exit. */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => proc.kill('SIGKILL'), 3000);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
