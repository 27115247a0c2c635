import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real tty pair from socat: `hostPath` for the driver under test, `signPath` for the test playing
 * the LED controller. Both are symlinks to /dev/pts/N; killing socat removes them, starting it
 * again with the same directory re-creates them (a sign unplugged and plugged back).
 */
export class SocatPair {
  readonly hostPath: string;
  readonly signPath: string;
  private proc: ChildProcess | undefined;

  constructor(readonly dir: string) {
    this.hostPath = join(dir, 'ttyHost');
    this.signPath = join(dir, 'ttySign');
  }

  async start(): Promise<void> {
    const proc = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.signPath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.proc = proc;
    let stderr = '';
    proc.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`socat exited (${code}): ${stderr}`)));
    });
    const ready = (async () => {
      while (
        !(
          existsSync(this.hostPath) &&
          existsSync(this.signPath) &&
          /starting data transfer loop/.test(stderr)
        )
      ) {
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await Promise.race([ready, failed]);
    proc.removeAllListeners('exit');
  }

  /** Kills socat and waits until it is gone (the pty links disappear with it). */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}
