/**
 * The PC/SC card reader against the real thing: Debian's pcscd with vsmartcard's vpcd reader
 * driver and the Node virtual card (tests/support/vpcd-card.ts), inside a private network namespace
 * (vpcd listens on every interface). The card-reader contract suite runs there with
 * KIOSK_TEST_CARD_READER=vpcd, through scripts/pcsc-harness.sh.
 *
 * The card purchase kill suite (card-reader-pcsc-purchase-kill.test.ts: a real kiosk process SIGKILLed
 * at each step of a smart-meter card purchase) runs there too, after the contract.
 *
 * Needs root, `unshare`, and the Debian packages pcscd, libpcsclite-dev and vsmartcard-vpcd.
 * Only one pcscd can run at a time (its socket under /run is global), so this file runs its cases
 * one after another and the harness kills every daemon it started. Set KIOSK_SKIP_PCSC=1 to skip
 * on a machine that cannot provide these (the suite fails otherwise, so CI notices).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const HARNESS = join(ROOT, 'scripts/pcsc-harness.sh');

interface Run {
  code: number | null;
  out: string;
}

/** Runs a command in its own process group, killed as a whole on timeout. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => process.kill(-p.pid!, 'SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The environment without the outer vitest's worker variables. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, ...extra };
}

function harnessPcscdPids(): string[] {
  const r = spawnSync('pgrep', ['-f', '^pcscd .*kiosk-pcsc-harness'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean);
}

const skip = process.env.KIOSK_SKIP_PCSC === '1';

describe.skipIf(skip).sequential('PC/SC card reader on real pcscd + vpcd + virtual card', () => {
  it('has what it needs: root, unshare, pcscd, the vpcd driver', () => {
    expect(process.getuid?.()).toBe(0);
    expect(spawnSync('sh', ['-c', 'command -v unshare && command -v pcscd']).status).toBe(0);
    expect(spawnSync('test', ['-f', '/usr/lib/pcsc/drivers/serial/libifdvpcd.so']).status).toBe(0);
  });

  it('the harness refuses to run in the host network namespace', async () => {
    const r = await run('bash', [HARNESS, 'true'], cleanEnv({}), 10_000);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/host network namespace/);
  });

  it('clears a stale harness pcscd, passes the contract suite, and leaves no pcscd behind', async () => {
    // An aborted earlier run: a pcscd from the harness still alive in its own namespace.
    const conf = mkdtempSync(join(tmpdir(), 'kiosk-pcsc-harness.stale-'));
    writeFileSync(
      join(conf, 'vpcd'),
      'FRIENDLYNAME "Stale"\nDEVICENAME /dev/null:0x8C96\nLIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID 0x8C96\n',
    );
    const stale = spawnSync('unshare', ['-n', 'sh', '-c', `pcscd -f -c ${conf} >/dev/null 2>&1 & echo $!`], {
      encoding: 'utf8',
    });
    expect(stale.status).toBe(0);
    for (let i = 0; i < 50 && harnessPcscdPids().length === 0; i++) spawnSync('sleep', ['0.05']);
    expect(harnessPcscdPids().length).toBeGreaterThan(0);

    const r = await run(
      'unshare',
      [
        '-n',
        'bash',
        HARNESS,
        'npx',
        'vitest',
        'run',
        'tests/contract/card-reader.test.ts',
        '--reporter=verbose',
      ],
      cleanEnv({ KIOSK_TEST_CARD_READER: 'vpcd', NO_COLOR: '1', FORCE_COLOR: '0' }),
      90_000,
    );
    rmSync(conf, { recursive: true, force: true });
    expect(harnessPcscdPids()).toEqual([]);
    const lines = r.out.split('\n');
    const failed = lines.filter((l) => /^\s*(×|✗|FAIL)/.test(l));
    const passedPcsc = lines.filter((l) => /^\s*✓ .*\[pcsc\+vpcd\]/.test(l));
    expect(failed, r.out.slice(-6000)).toEqual([]);
    expect(passedPcsc.length, r.out.slice(-6000)).toBeGreaterThanOrEqual(11);
    expect(r.code, r.out.slice(-6000)).toBe(0);
  }, 120_000);

  it('a card purchase survives a SIGKILL at each step, in a real kiosk on pcscd + vpcd', async () => {
    const r = await run(
      'unshare',
      [
        '-n',
        'bash',
        HARNESS,
        'npx',
        'vitest',
        'run',
        'tests/integration/card-reader-pcsc-purchase-kill.test.ts',
        '--reporter=verbose',
      ],
      cleanEnv({ NO_COLOR: '1', FORCE_COLOR: '0' }),
      540_000,
    );
    expect(harnessPcscdPids()).toEqual([]);
    const lines = r.out.split('\n');
    const failed = lines.filter((l) => /^\s*(×|✗|FAIL)/.test(l));
    const passed = lines.filter((l) => /^\s*✓ .*(SIGKILL|card pulled)/.test(l));
    expect(failed, r.out.slice(-8000)).toEqual([]);
    expect(passed.length, r.out.slice(-8000)).toBe(5);
    expect(r.code, r.out.slice(-8000)).toBe(0);
  }, 600_000);
});
