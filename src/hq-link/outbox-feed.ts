import type { Journal, OutboxEntry } from '../journal/journal.ts';
import type { JournalEvent } from '../journal/records.ts';

/**
 * The relay's source of unsent outbox events, in sequence order. While it follows the journal
 * ("live"), the events each commit announces are queued in memory with the JSON text they were
 * stored as, so sending them needs no read of the log and no decoding. It reads the log instead
 * after a reset (start, reconnect, resend of the window), when the queue reached `maxQueued`, or
 * after any gap in the announcements, and goes live again once a read reaches the last event
 * announced.
 *
 * Invariant: every event with a sequence number up to `through` is either handed out since the
 * last reset, queued, or acknowledged by HQ; nothing above `through` is queued.
 */
export class OutboxFeed {
  private queue: OutboxEntry[] = [];
  /** Index of the first entry of `queue` not handed out yet. */
  private head = 0;
  /** -1 after a reset: the next read starts at the acknowledged watermark. */
  private through = -1;
  private live = false;
  /** Bumped by every reset; a read begun under an older epoch changes nothing. */
  private epoch = 0;

  constructor(
    private readonly journal: Journal,
    private readonly maxQueued: () => number,
  ) {}

  /** Forgets the queue: the next `take` reads from the oldest unacknowledged event. */
  reset(): void {
    this.epoch++;
    this.queue = [];
    this.head = 0;
    this.through = -1;
    this.live = false;
  }

  /** Entries queued and not handed out yet (for tests and telemetry). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** An event the journal announced (durable), with its stored JSON text. */
  offer(event: JournalEvent, json: string): void {
    if (!this.live || event.seq <= this.through) return;
    if (event.seq !== this.through + 1 || this.queued >= this.maxQueued()) {
      // Not followed any more: what is queued stays valid, the rest is read from the log.
      this.live = false;
      return;
    }
    this.queue.push({ event, json });
    this.through = event.seq;
  }

  /**
   * Up to `limit` unsent entries, oldest first, skipping events HQ has acknowledged meanwhile;
   * hands them out (the next call continues after them). Empty: nothing unsent for now.
   */
  async take(limit: number): Promise<OutboxEntry[]> {
    const out: OutboxEntry[] = [];
    for (;;) {
      if (this.queued === 0) {
        if (this.live) return out;
        if (!(await this.read(limit))) return out;
      }
      while (out.length < limit && this.head < this.queue.length) {
        const entry = this.queue[this.head++] as OutboxEntry;
        if (!this.journal.isAcknowledged(entry.event.seq)) out.push(entry);
      }
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      if (out.length > 0 || this.live) return out;
    }
  }

  /** Reads the next entries from the log into the queue; false when there are none or a reset came. */
  private async read(limit: number): Promise<boolean> {
    const epoch = this.epoch;
    const { entries, through } = await this.journal.outboxEntries(this.through + 1, limit);
    if (epoch !== this.epoch) return false;
    this.queue = entries;
    this.head = 0;
    this.through = through;
    // Announcements during the read were not queued; if the read covered them all, follow again.
    this.live = this.journal.lastAnnounced <= through;
    return entries.length > 0;
  }
}
