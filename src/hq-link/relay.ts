import type { Journal, OutboxEntry } from '../journal/journal.ts';
import type { JournalEvent } from '../journal/records.ts';
import type { Logger } from '../platform/logger.ts';
import { OutboxFeed } from './outbox-feed.ts';

/** Journal events as one message to HQ (`resend`: sent again on HQ's request). */
export interface OutboxBatch {
  station: string;
  resend?: true;
  entries: OutboxEntry[];
}

export interface RelayTransport {
  readonly connected: boolean;
  /** QoS 1 publish; resolves on PUBACK (which is not durability: only HQ's ack is). */
  publishJournal(batch: OutboxBatch): Promise<void>;
}

export interface RelayOptions {
  /** Events per published batch. */
  batchMax: number;
  /** Batches published and not yet acknowledged by HQ, at most. */
  inflightMax: number;
  /** After this long without HQ's ack of the oldest batch in flight, send the window again, ms. */
  ackTimeoutMs: number;
}

interface InFlight {
  first: number;
  last: number;
  /** Sequence numbers of the batch HQ has not acknowledged yet. */
  seqs: Set<number>;
  sentAt: number;
}

/** Ranges wider than this in one ack are ignored (a forged or broken ack must not stall the relay). */
const MAX_ACK_RANGE = 100_000;

/**
 * Store and forward of the journal to HQ. The outbox is every event after the acknowledged
 * watermark (kept in the journal's meta record), so an event is in the outbox from the batch that
 * writes it and nothing can be lost between them.
 *
 * Window: the relay takes the outbox in sequence order, `batchMax` events at a time, from an
 * `OutboxFeed` (the events each commit announces, queued in memory with their stored JSON text; a
 * read of the log only after a restart or when it cannot follow), and keeps up to `inflightMax`
 * batches published (QoS 1) and not yet acknowledged, sending the next as soon as one is
 * acknowledged; it does not wait for each PUBACK. HQ acknowledges batches
 * by sequence number after storing them durably, in whatever order they reach it. The watermark
 * moves only over a contiguous prefix of acknowledged events (`Journal.ackOutbox`): an ack above a
 * gap is remembered and never skips the gap, so after a crash at any point the outbox still holds
 * every event HQ has not acknowledged in order (and at worst some it has, which HQ recognises by
 * sequence number and acknowledges again without storing or counting them twice).
 *
 * On every (re)connect, and when the oldest batch's ack is overdue, the relay forgets its window
 * and starts again from the first event after the watermark, skipping events acknowledged out of
 * order: the unacknowledged events go again with the same sequence numbers. It never relies on the
 * MQTT client's in-memory queue. A read or publish begun before such a restart is dropped (the
 * window's generation changed), so a stale read never moves the new window's cursor.
 */
export class OutboxRelay {
  private readonly feed: OutboxFeed;
  private readonly inflight: InFlight[] = [];
  /** Bumped by every restart; a fill that started under an older generation sends nothing more. */
  private generation = 0;
  private pumping = false;
  private again = false;
  /** Resolves once no read or send of the window is under way (see `whenIdle`). */
  private idle: { promise: Promise<void>; resolve: () => void } | null = null;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  /** Queues the event; sends once the commit's events are all announced (they come in one loop). */
  private readonly onEvent = (event: JournalEvent, json: string): void => {
    this.feed.offer(event, json);
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  };
  /** Counters for telemetry and tests; `peakInFlight` is the most batches ever in flight at once. */
  readonly stats = { batches: 0, events: 0, acked: 0, resends: 0, peakInFlight: 0 };

  constructor(
    private readonly journal: Journal,
    private readonly transport: RelayTransport,
    private readonly opts: () => RelayOptions,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    // One window's worth queued in memory at most (memory stays bounded while HQ lags or the
    // link is down); beyond that the log is read.
    this.feed = new OutboxFeed(journal, () => {
      const o = this.opts();
      return o.batchMax * o.inflightMax;
    });
  }

  start(): void {
    this.stopped = false;
    this.journal.on('event', this.onEvent);
    this.restart();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.journal.off('event', this.onEvent);
    clearTimeout(this.timer);
    this.inflight.length = 0;
    this.feed.reset();
  }

  /** Forget what is in flight and send again from the oldest outbox entry (on every connect). */
  restart(): void {
    this.generation++;
    this.inflight.length = 0;
    this.feed.reset();
    clearTimeout(this.timer);
    this.pump();
  }

  get inFlightBatches(): number {
    return this.inflight.length;
  }

  /**
   * Handles HQ's ack: the journal records it (watermark over the contiguous prefix), the batches
   * it completes leave the window and the next ones go at once; resolves once the watermark it
   * moved is stored.
   */
  async acknowledge(ranges: ReadonlyArray<readonly [number, number]>): Promise<number> {
    const seqs: number[] = [];
    for (const [a, b] of ranges) {
      if (b - a > MAX_ACK_RANGE) continue;
      for (let s = a; s <= b; s++) seqs.push(s);
    }
    if (seqs.length === 0) return 0;
    const stored = this.journal.ackOutbox(seqs);
    this.stats.acked += seqs.length;
    for (let i = this.inflight.length - 1; i >= 0; i--) {
      const f = this.inflight[i] as InFlight;
      for (const s of seqs) f.seqs.delete(s);
      if (f.seqs.size === 0) this.inflight.splice(i, 1);
    }
    this.armTimer();
    this.pump();
    await stored;
    return seqs.length;
  }

  /** Sends events again from `fromSeq` (HQ's resend request), whether acknowledged or not. */
  async resend(fromSeq: number, toSeq: number | null, station: string): Promise<number> {
    const o = this.opts();
    let sent = 0;
    let batch: OutboxEntry[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await this.transport.publishJournal({ station, resend: true, entries: batch });
      sent += batch.length;
      batch = [];
    };
    for await (const ev of this.journal.events(fromSeq)) {
      if (toSeq !== null && ev.seq > toSeq) break;
      batch.push({ event: ev });
      if (batch.length >= o.batchMax) await flush();
    }
    await flush();
    return sent;
  }

  /** Resolves once the relay has sent what it can for now (window full, outbox sent, or offline). */
  whenIdle(): Promise<void> {
    return this.idle?.promise ?? Promise.resolve();
  }

  pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    if (!this.idle) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.idle = { promise, resolve };
    }
    this.fill()
      .catch((e: unknown) => this.logger.warn({ err: e }, 'journal relay: send failed; will retry'))
      .finally(() => {
        this.pumping = false;
        if (this.again && !this.stopped) {
          this.again = false;
          this.pump();
          return;
        }
        this.again = false;
        const idle = this.idle;
        this.idle = null;
        idle?.resolve();
      });
  }

  /** Publishes outbox batches until the window is full or the outbox is sent. */
  private async fill(): Promise<void> {
    const generation = this.generation;
    const o = this.opts();
    while (!this.stopped && this.transport.connected && this.inflight.length < o.inflightMax) {
      const entries = await this.feed.take(o.batchMax);
      if (generation !== this.generation) {
        this.again = true;
        return;
      }
      if (entries.length === 0) return;
      const first = (entries[0] as OutboxEntry).event.seq;
      const last = (entries[entries.length - 1] as OutboxEntry).event.seq;
      this.inflight.push({ first, last, seqs: new Set(entries.map((e) => e.event.seq)), sentAt: this.now() });
      this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.inflight.length);
      if (this.inflight.length === 1) this.armTimer();
      this.stats.batches++;
      this.stats.events += entries.length;
      const station = entries[0]?.event.stationId ?? this.journal.stationId;
      // Not awaited one by one: the window pipelines; a failed publish makes the relay start over.
      this.transport.publishJournal({ station, entries }).catch((e: unknown) => {
        if (generation !== this.generation) return;
        this.logger.warn({ err: e, first, last }, 'journal relay: publish failed');
        this.scheduleRestart();
      });
    }
  }

  private scheduleRestart(): void {
    this.stats.resends++;
    this.restart();
  }

  /** The ack timeout runs for the oldest batch in flight. */
  private armTimer(): void {
    clearTimeout(this.timer);
    const oldest = this.inflight[0];
    if (!oldest || this.stopped) return;
    const due = oldest.sentAt + this.opts().ackTimeoutMs - this.now();
    const generation = this.generation;
    this.timer = setTimeout(
      () => {
        if (this.inflight.length === 0 || generation !== this.generation) return;
        this.logger.warn({ first: this.inflight[0]?.first }, 'journal relay: ack overdue; sending again');
        this.scheduleRestart();
      },
      Math.max(due, 10),
    );
    this.timer.unref();
  }
}
