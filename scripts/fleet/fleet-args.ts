import { availableParallelism } from 'node:os';

export interface FleetArgs {
  kiosks: number;
  txns: number;
  workers: number;
}

const OPTIONS: Record<string, { zh: string; min: number; max: number }> = {
  '--kiosks': { zh: '亭数', min: 1, max: 5000 },
  '--txns': { zh: '每亭交易数', min: 1, max: 1000 },
  '--workers': { zh: '进程数', min: 1, max: 16 },
};

/**
 * `--kiosks N [--txns T] [--workers W]`; every bad option is named (Chinese and English), none
 * repaired. Defaults: 50 kiosks, 4 sales each, one process per 125 kiosks, at most one per core
 * (`cores`) and at most 4: the kiosks share the cores with the broker, HQ and PostgreSQL, and each
 * process more costs its own start-up and memory without adding a core.
 */
export function parseFleetArgs(
  argv: readonly string[],
  cores: number = availableParallelism(),
): FleetArgs | { errors: string[] } {
  const errors: string[] = [];
  const got: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    const [flag, inline] = name.includes('=') ? name.split('=', 2) : [name, undefined];
    const spec = OPTIONS[flag!];
    if (!spec) {
      errors.push(`${flag}: 未知选项 / unknown option`);
      continue;
    }
    const raw = inline ?? argv[++i];
    const n = Number(raw);
    if (raw === undefined || !/^\d+$/.test(raw) || n < spec.min || n > spec.max)
      errors.push(
        `${flag}: ${spec.zh}须为 ${spec.min}–${spec.max} 的整数 / must be a whole number from ${spec.min} to ${spec.max}, got "${raw ?? ''}"`,
      );
    else got[flag!] = n;
  }
  if (errors.length > 0) return { errors };
  const kiosks = got['--kiosks'] ?? 50;
  return {
    kiosks,
    txns: got['--txns'] ?? 4,
    workers: Math.min(kiosks, got['--workers'] ?? Math.min(4, Math.max(1, cores), Math.ceil(kiosks / 125))),
  };
}
