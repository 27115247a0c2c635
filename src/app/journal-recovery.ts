import type { Engine } from '../engine/engine.ts';
import type { Journal, JournalProblem } from '../journal/journal.ts';
import type { Logger } from '../platform/logger.ts';

/** How often a faulted journal tries to take writes again, ms. */
export const RECOVERY_INTERVAL_MS = 2000;

export interface JournalRecoveryDeps {
  journal: Journal;
  engine: Engine;
  logger: Logger;
  /** Shows a problem in health and on the status page (null: the write fault is over). */
  report: (problem: JournalProblem | null) => void;
  /** Problems found when the journal was reloaded: the kiosk stays in safe mode for them. */
  corrupt: (problems: JournalProblem[]) => void;
}

/**
 * Keeps the kiosk safe through a failing disk and brings it back by itself. A failed journal write
 * (full disk, I/O error) puts the engine in safe mode with a reason naming the fault, and health
 * lists it; every RECOVERY_INTERVAL_MS the journal tries to reopen and write again. Once it can,
 * and the reload finds the store consistent, safe mode ends and every open transaction resumes
 * from the journal (a sale whose outcome could not be written settles as after a crash, and its
 * hold is captured or released). Another safe-mode reason (corruption, power) is never cleared.
 */
export class JournalRecovery {
  private reason: { zh: string; en: string } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly onFault = (e: Error): void => this.fault(e);

  constructor(private readonly deps: JournalRecoveryDeps) {}

  start(): void {
    this.stopped = false;
    this.deps.journal.on('fault', this.onFault);
    if (this.deps.journal.faulted) this.fault(this.deps.journal.faulted);
  }

  stop(): void {
    this.stopped = true;
    this.deps.journal.off('fault', this.onFault);
    clearTimeout(this.timer);
  }

  /** True while a fault is being recovered from (the process is working as intended). */
  get recovering(): boolean {
    return this.reason !== null;
  }

  private fault(e: Error): void {
    if (this.reason || this.stopped) return;
    const full = /ENOSPC|no space/i.test(e.message);
    this.reason = full
      ? {
          zh: '存储空间已满，流水无法写入，暂停交易；腾出空间后自动恢复',
          en: 'disk full: the journal cannot be written; selling stopped, resumes by itself once there is room',
        }
      : {
          zh: '流水写入失败，暂停交易；写入恢复后自动继续',
          en: 'journal write failed; selling stopped, resumes by itself once writes succeed',
        };
    this.deps.logger.error({ err: e.message }, 'journal write failed; retrying until the disk takes writes');
    this.deps.report({ key: '(write)', kind: 'io', message: e.message });
    if (!this.deps.engine.safeMode) this.deps.engine.enterSafeMode(this.reason);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(), RECOVERY_INTERVAL_MS);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    if (this.stopped || !this.reason) return;
    try {
      await this.deps.journal.recover();
    } catch (e) {
      this.deps.logger.warn({ err: causes(e) }, 'journal still cannot be written');
      return this.schedule();
    }
    const reason = this.reason;
    this.reason = null;
    this.deps.report(null);
    const problems = this.deps.journal.startupProblems;
    if (problems.length > 0) {
      this.deps.corrupt(problems);
      return;
    }
    this.deps.logger.info('journal takes writes again; resuming');
    await this.deps.engine.exitSafeMode(reason);
  }
}

/** The message of an error and of every cause under it. */
function causes(e: unknown): string {
  const out: string[] = [];
  for (
    let c = e as { message?: string; cause?: unknown } | undefined;
    c && out.length < 5;
    c = c.cause as never
  )
    out.push(String(c.message));
  return out.join(' ← ');
}
