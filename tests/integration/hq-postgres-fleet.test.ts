import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FLEET = join(import.meta.dirname, '..', '..', 'scripts', 'fleet.ts');

/** Runs `npm run fleet` with these arguments; its JSON line, stderr and exit code. */
function fleet(
  args: string[],
): Promise<{ code: number | null; report: Record<string, unknown>; err: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', FLEET, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    c.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    c.once('error', reject);
    c.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      resolve({ code, report: line.startsWith('{') ? JSON.parse(line) : {}, err });
    });
  });
}

describe('two HQ instances on one PostgreSQL behind the shared subscription', () => {
  it('serve the same kiosks through a SIGKILL of one of them: no money lost or doubled', async () => {
    const { code, report, err } = await fleet(['--kiosks', '6', '--txns', '6', '--workers', '2']);
    expect(code, err).toBe(0);
    expect(report.hqInstances).toBe(2);
    expect(report.store).toBe('postgresql');
    // The kill happened with sales still to come, and sales succeeded after it.
    expect(report.hqKilledAfter).toBeGreaterThanOrEqual(18);
    expect(report.hqKilledAfter).toBeLessThan(36);
    expect((report.outcomes as Record<string, number>).succeeded).toBeGreaterThan(0);
    expect(report.ledger).toEqual({ checked: 6, differences: 0, diffFen: 0 });
  });

  it('refuses bad options naming each one, and starts nothing', async () => {
    const { code, err } = await fleet(['--kiosks', '0', '--txns', 'x', '--colour', 'red']);
    expect(code).toBe(2);
    expect(err).toContain(
      '--kiosks: 亭数须为 1–5000 的整数 / must be a whole number from 1 to 5000, got "0"',
    );
    expect(err).toContain('--txns:');
    expect(err).toContain('--colour: 未知选项 / unknown option');
  });
});
