import type { Notice } from '../../devices/display/notice.ts';
import { finishedReason } from '../../devices/display/schedule-rules.ts';
import type { StoredNotice } from './kiosk-state.ts';

/**
 * The notices HQ published to this kiosk, kept as HQ sent them (they survive restarts) and handed
 * on in the one notice model, the sign's `Notice`. Ordering, time windows, pre-emption and timers
 * are the sign scheduler's alone (devices/display/schedule-rules.ts); the board only remembers what
 * HQ said: a follow-up (续报) joins its first report's thread and never ends it, a withdrawal of a
 * first report takes its whole thread, and notices that are over are dropped. Pure.
 */
export class NoticeBoard {
  private notices = new Map<string, StoredNotice>();

  constructor(initial: readonly StoredNotice[] = []) {
    for (const n of initial) this.notices.set(n.id, n);
  }

  /** Everything stored, as received (for persistence). */
  all(): StoredNotice[] {
    return [...this.notices.values()];
  }

  get(id: string): StoredNotice | undefined {
    return this.notices.get(id);
  }

  /** Adds a report or replaces one with the same id (HQ delivers at least once). */
  put(n: StoredNotice): void {
    this.notices.set(n.id, n);
  }

  /**
   * Removes a report and the follow-ups that follow it (a first report: its whole thread). False
   * when nothing was there.
   */
  withdraw(id: string): boolean {
    const gone = this.all().filter((n) => this.chainOf(n).includes(id));
    for (const n of gone) this.notices.delete(n.id);
    return gone.length > 0;
  }

  /** Drops reports that are over at `now`; returns the ids dropped. */
  prune(now: number): string[] {
    const gone: string[] = [];
    for (const n of this.all()) {
      if (finishedReason(this.toNotice(n), now)) {
        this.notices.delete(n.id);
        gone.push(n.id);
      }
    }
    return gone;
  }

  /** Reports not over at `now` (live or scheduled for later), in the order HQ sent them. */
  current(now: number): Notice[] {
    return this.all()
      .sort((a, b) => a.seq - b.seq || a.receivedAt - b.receivedAt)
      .map((n) => this.toNotice(n))
      .filter((n) => !finishedReason(n, now));
  }

  /** The report's id, then each report it follows up to its first report (at most 16 hops). */
  private chainOf(n: StoredNotice): string[] {
    const ids = [n.id];
    let at: StoredNotice | undefined = n;
    while (at?.kind === 'follow-up' && at.followUpOf && ids.length < 16 && !ids.includes(at.followUpOf)) {
      ids.push(at.followUpOf);
      at = this.notices.get(at.followUpOf);
    }
    return ids;
  }

  /** The first report of a report's thread: a follow-up of a follow-up belongs to it too. */
  private threadOf(n: StoredNotice): string {
    return this.chainOf(n).at(-1) ?? n.id;
  }

  /** HQ's command (`startAt`/`endAt`, first or follow-up) in the sign's notice model. */
  private toNotice(n: StoredNotice): Notice {
    const thread = this.threadOf(n);
    return {
      id: n.id,
      text: n.text,
      priority: n.priority,
      ...(n.startAt !== null ? { startsAt: n.startAt } : {}),
      ...(n.endAt !== null ? { endsAt: n.endAt } : {}),
      ...(thread !== n.id ? { followUpOf: thread } : {}),
      source: 'hq',
    };
  }
}
