import type { StoredNotice } from './kiosk-state.ts';

const RANK: Record<StoredNotice['priority'], number> = { emergency: 0, high: 1, normal: 2, low: 3 };

/**
 * The notices HQ published to this kiosk, in display order: emergency first (it pre-empts
 * everything), then by priority, then newest first. A follow-up (续报) of a notice replaces it in
 * the running order and keeps its chain. Pure; the notice handlers persist `all()`.
 */
export class NoticeBoard {
  private notices = new Map<string, StoredNotice>();

  constructor(initial: readonly StoredNotice[] = []) {
    for (const n of initial) this.notices.set(n.id, n);
  }

  all(): StoredNotice[] {
    return [...this.notices.values()];
  }

  get(id: string): StoredNotice | undefined {
    return this.notices.get(id);
  }

  /** Adds or replaces a notice; a follow-up ends the notice it follows. */
  put(n: StoredNotice): void {
    if (n.kind === 'follow-up' && n.followUpOf) this.notices.delete(n.followUpOf);
    this.notices.set(n.id, n);
  }

  /** Removes a notice and its follow-ups; false when it was not there. */
  withdraw(id: string): boolean {
    let hit = this.notices.delete(id);
    for (const n of this.notices.values()) {
      if (n.followUpOf === id) {
        this.notices.delete(n.id);
        hit = true;
      }
    }
    return hit;
  }

  /** Drops notices whose end has passed; returns the ids dropped. */
  prune(now: number): string[] {
    const gone: string[] = [];
    for (const n of this.notices.values()) {
      if (n.endAt !== null && n.endAt <= now) {
        this.notices.delete(n.id);
        gone.push(n.id);
      }
    }
    return gone;
  }

  /** Notices to show at `now`, in display order. */
  active(now: number): StoredNotice[] {
    return this.all()
      .filter((n) => (n.startAt === null || n.startAt <= now) && (n.endAt === null || n.endAt > now))
      .sort((a, b) => RANK[a.priority] - RANK[b.priority] || b.receivedAt - a.receivedAt);
  }

  /** Epoch ms of the next start or end after `now`, for a timer; null when none. */
  nextChange(now: number): number | null {
    let next: number | null = null;
    for (const n of this.notices.values()) {
      for (const t of [n.startAt, n.endAt])
        if (t !== null && t > now && (next === null || t < next)) next = t;
    }
    return next;
  }
}
