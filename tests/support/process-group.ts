import { readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it; `start` (clock ticks after boot) tells a reused pid apart. */
export interface ProcessEntry {
  pid: number;
  pgid: number;
  start: string;
  state: string;
  command: string;
}

function entry(pid: number): ProcessEntry | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; the fields after it are plain.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, state: rest[0] ?? '?', pgid: Number(rest[2]), start: rest[19] ?? '', command };
  } catch {
    return null;
  }
}

/** Every live process (zombies count as gone: they run nothing and hold nothing) of group `pgid`. */
export function processGroup(pgid: number): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const e = entry(Number(name));
    if (e && e.pgid === pgid && e.state !== 'Z') out.push(e);
  }
  return out;
}

/** Whether this very process (same pid and start) still runs. */
export function stillRunning(p: ProcessEntry): boolean {
  const now = entry(p.pid);
  return now !== null && now.start === p.start && now.state !== 'Z';
}
