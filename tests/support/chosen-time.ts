import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.ts';

/**
 * Suites that run a real kiosk or HQ never run on whatever the wall clock says: the day cut (21:00),
 * the 20:00–22:00 reversal blackout and midnight would make them pass or fail by the hour. They start
 * at a chosen instant instead — in-process through the injected clock, child processes through
 * libfaketime — and time runs on from there at normal speed.
 */

/** 10:00 on a Tuesday, Asia/Shanghai: business hours, far from the day cut and the blackout. */
export const CHOSEN_TIME = Date.parse('2026-12-01T10:00:00+08:00');

/** A clock that reads `at` now and runs on at the speed of Date.now (so fake timers move it too). */
export function clockStartingAt(at: number = CHOSEN_TIME): Clock {
  const origin = Date.now();
  return { now: () => at + (Date.now() - origin) };
}

/**
 * The suite's clock: started once per test file at the chosen time. In-process kiosks and the child
 * processes that talk to them (the CLI) read this same running clock, so times the kiosk sends
 * (next query at …) compare with the CLI's own "now" as they would on one machine.
 */
export const suiteClock: Clock = clockStartingAt();

/** libfaketime itself, preloaded directly so that signals reach (and come back from) the process. */
function libfaketime(): string {
  for (const dir of readdirSync('/usr/lib', { withFileTypes: true })) {
    const p = join('/usr/lib', dir.name, 'faketime', 'libfaketime.so.1');
    if (dir.isDirectory() && existsSync(p)) return p;
  }
  throw new Error('libfaketime is not installed (Debian package faketime; scripts/system-deps.sh)');
}

/**
 * `cmd args` with libfaketime preloaded so the process and its children start at `at` (epoch ms;
 * by default the suite clock's now)
 * and run on at normal speed. The process is `cmd` itself (no wrapper), so a SIGKILL or SIGTERM
 * sent to it and its exit signal are the real ones. Any libfaketime settings this process runs
 * under (a suite run with a shifted machine clock) are replaced, so the chosen time wins.
 */
export function atChosenTime(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  at: number = suiteClock.now(),
): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const { LD_PRELOAD: _preload, FAKETIME: _ft, FAKETIME_FMT: _fmt, ...rest } = env;
  return {
    cmd,
    args: [...args],
    env: { ...rest, LD_PRELOAD: libfaketime(), FAKETIME: `@${Math.floor(at / 1000)}`, FAKETIME_FMT: '%s' },
  };
}

const DAY_MS = 86_400_000;

/**
 * The environment for a child process that starts by libfaketime at `at`: for tools such as
 * openssl, which stamp `notBefore` with their own "now". This process's environment is left as it
 * is: the libfaketime a shifted-clock run preloads into it re-reads FAKETIME now and then, and a
 * changed value would move this process's own clock (Node aborts when its monotonic clock goes back).
 */
export function envStartingAt(at: number): NodeJS.ProcessEnv {
  return atChosenTime('true', [], process.env, at).env;
}

/**
 * A validity window for test certificates: from a day before the earlier of the machine's clock
 * and the suite clock, for enough days to cover the later of the two plus two days of running.
 */
export function certificateWindow(): { from: number; days: number } {
  const a = Date.now();
  const b = suiteClock.now();
  const from = Math.min(a, b) - DAY_MS;
  return { from, days: Math.ceil((Math.max(a, b) - from) / DAY_MS) + 2 };
}
