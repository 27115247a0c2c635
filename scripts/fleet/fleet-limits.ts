/**
 * Open files of a kiosk process. Every simulated kiosk holds its LevelDB journal open (lock, info
 * log, manifest, write-ahead log, table files: 6 measured with the fleet's load) and its TLS
 * socket; a process of 250 kiosks needs more than the common soft limit of 1024.
 */
export const FILES_PER_KIOSK = 10;
/** Node, its modules, the IPC channel and the odd file besides the kiosks. */
const FILES_BASE = 200;

export interface OpenFilesLimit {
  soft: number;
  hard: number;
}

/** The "Max open files" row of /proc/<pid>/limits; `unlimited` reads as Infinity. */
export function parseOpenFilesLimit(limits: string): OpenFilesLimit | null {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!m) return null;
  const n = (s: string) => (s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s));
  return { soft: n(m[1]!), hard: n(m[2]!) };
}

/** Open files a process of `kiosks` simulated kiosks may need. */
export function openFilesNeeded(kiosks: number): number {
  return FILES_BASE + kiosks * FILES_PER_KIOSK;
}

/**
 * The soft limit a kiosk process is started with: the current one when it suffices, else raised to
 * what it needs (a process may raise its soft limit up to the hard one). An error names `--workers`
 * when even the hard limit is too low.
 */
export function kioskProcessFiles(
  kiosks: number,
  limit: OpenFilesLimit,
): { raiseTo: number | null } | { error: string } {
  const need = openFilesNeeded(kiosks);
  if (need <= limit.soft) return { raiseTo: null };
  if (need <= limit.hard) return { raiseTo: need };
  const most = Math.floor((limit.hard - FILES_BASE) / FILES_PER_KIOSK);
  return {
    error:
      `--workers: 每个进程 ${kiosks} 亭超出打开文件上限 ${limit.hard}（每进程至多 ${most} 亭），请增加进程数 / ` +
      `${kiosks} kiosks in one process exceed the open-file limit of ${limit.hard} (at most ${most} per process): use more --workers`,
  };
}
