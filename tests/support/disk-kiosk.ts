import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';

const CHILD = new URL('./disk-child.ts', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;

/** A private mount namespace needs root: full-disk runs are skipped elsewhere. */
export const canMount = process.getuid?.() === 0;

export interface DiskKiosk {
  url: string;
  /** Its files are reachable from outside its namespace under `/proc/<pid>/root`. */
  pid: number;
  child: ChildProcess;
}

/**
 * The kiosk of `disk-child.ts` in its own mount namespace with `mnt` a real 4 MB tmpfs holding its
 * journal; its HQ double fills that filesystem at the first payment (`opts.fillFile`).
 */
export async function startDiskKiosk(
  mnt: string,
  opts: { dataDir: string; hqFile: string; fillFile: string },
): Promise<DiskKiosk> {
  await mkdir(mnt, { recursive: true });
  const child = spawn(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount -t tmpfs -o size=4m tmpfs "$0" && exec node --import tsx "$1" "$2"',
      mnt,
      CHILD,
      JSON.stringify(opts),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`kiosk exited with ${code}`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, pid: child.pid as number, child };
}
