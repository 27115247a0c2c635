import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atChosenTime } from '../support/chosen-time.ts';
import { tempDir } from '../support/kiosk-harness.ts';

/**
 * Kills a real kiosk process (SIGKILL) after every durable step of a transaction, and once in the
 * middle of the side effect itself (HQ has charged, the kiosk has not heard), then starts a new
 * process on the same LevelDB and checks that it finishes the transaction by itself with exactly
 * one charge, a consistent balance and a clean journal.
 */
const CHILD = join(import.meta.dirname, '../support/crash-child.ts');

function runChild(opts: Record<string, unknown>): {
  status: number | null;
  signal: NodeJS.Signals | null;
  out: Record<string, unknown> | null;
  stderr: string;
} {
  // Started at 10:00 Shanghai time: the reversal scenarios are outside the 20:00–22:00 blackout.
  const at = atChosenTime(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(opts)]);
  const r = spawnSync(at.cmd, at.args, {
    env: at.env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return {
    status: r.status,
    signal: r.signal,
    out: line.startsWith('{') ? JSON.parse(line) : null,
    stderr: r.stderr,
  };
}

type Scenario = 'ok' | 'pending' | 'reverse';
const STEPS: Record<Scenario, number> = { ok: 4, pending: 6, reverse: 9 };

describe('crash recovery with a real process killed between any two steps', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    root = await tempDir('kiosk-crash-');
  });
  afterAll(async () => {
    await root.cleanup();
  });

  const cases: Array<{ scenario: Scenario; killAfter?: number; crashAfterCharge?: boolean }> = [];
  for (const scenario of ['ok', 'pending', 'reverse'] as const) {
    for (let n = 1; n <= STEPS[scenario]; n++) cases.push({ scenario, killAfter: n });
    cases.push({ scenario, crashAfterCharge: true });
  }

  it('counts the steps right: a run without a kill completes with exactly that many events', () => {
    const dir = join(root.path, 'no-kill');
    const r = runChild({
      dir,
      hqFile: `${dir}.hq.json`,
      mode: 'create',
      scenario: 'reverse',
      killAfter: STEPS.reverse + 1,
    });
    expect(r.status, r.stderr).toBe(0);
    expect((r.out as { state: string }).state).toBe('reversed');
  });

  it.each(cases)('%o', ({ scenario, killAfter, crashAfterCharge }) => {
    const name = `${scenario}-${killAfter ?? 'charge'}`;
    const dir = join(root.path, name);
    const hqFile = join(root.path, `${name}.hq.json`);
    const first = runChild({ dir, hqFile, mode: 'create', scenario, killAfter, crashAfterCharge });
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const second = runChild({ dir, hqFile, mode: 'resume', scenario });
    expect(second.status, second.stderr).toBe(0);
    const out = second.out as {
      state: string | null;
      balance: { balance: string; held: string };
      verify: unknown[];
      hq: { charges: Record<string, number>; reversals: Record<string, number> };
      txnKey?: string;
    };
    expect(out.verify).toEqual([]);
    expect(out.balance.held).toBe('0.00');
    if (out.state === null) {
      // Killed before the transaction existed: nothing was sent, nothing charged.
      expect(out.hq.charges).toEqual({});
      return;
    }
    const charges = out.hq.charges[out.txnKey ?? ''] ?? 0;
    expect(charges).toBe(1);
    const reversals = out.hq.reversals[out.txnKey ?? ''] ?? 0;
    expect(reversals).toBeLessThanOrEqual(1);
    if (out.state === 'reversed') {
      expect(reversals).toBe(1);
      expect(out.balance.balance).toBe('100.00');
    } else {
      expect(out.state).toBe('succeeded');
      expect(reversals).toBe(0);
      expect(out.balance.balance).toBe('70.00');
    }
  });
});
