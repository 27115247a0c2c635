import type { FaultControl } from '../protocol/schemas/index.ts';

export type FaultMode = FaultControl['mode'];

export interface Fault {
  mode: FaultMode;
  latencyMs: number;
}

/**
 * Fault injection for the simulated billers, per service or for all (`*`):
 *   slow       answers after `latencyMs` more
 *   failing    the biller is down: state-changing requests are declined, queries answer unknown
 *   silent     the request is processed but no answer is sent (the kiosk times out: unknown)
 *   duplicate  every answer is sent twice
 *   unknown    the request is processed but the answer says `unknown`
 */
export class FaultController {
  private readonly faults = new Map<string, Fault>();

  set(service: string, mode: FaultMode, latencyMs = 0): void {
    if (mode === 'normal') this.faults.delete(service);
    else this.faults.set(service, { mode, latencyMs });
  }

  apply(c: FaultControl): void {
    this.set(c.service, c.mode, c.latencyMs ?? 0);
  }

  clear(): void {
    this.faults.clear();
  }

  get(service: string): Fault | undefined {
    return this.faults.get(service) ?? this.faults.get('*');
  }

  list(): Record<string, Fault> {
    return Object.fromEntries(this.faults);
  }
}

/** Parses `service=mode[:latencyMs]` (the `--fault` CLI flag). */
export function parseFault(spec: string): FaultControl {
  const m = /^(\*|[a-z][a-z0-9-]{1,40})=(normal|slow|failing|silent|duplicate|unknown)(?::(\d+))?$/.exec(
    spec,
  );
  if (!m) throw new Error(`bad fault "${spec}": use service=mode[:latencyMs]`);
  return {
    v: 1,
    service: m[1] as string,
    mode: m[2] as FaultMode,
    ...(m[3] ? { latencyMs: Number(m[3]) } : {}),
  };
}
