import type { Journal } from '../journal/journal.ts';
import type { JournalEvent } from '../journal/records.ts';
import type { Logger } from '../platform/logger.ts';
import type { JournalBatch } from '../protocol/schemas/index.ts';

export interface RelayTransport {
  readonly connected: boolean;
  /** QoS 1 publish; resolves on PUBACK (which is not durability: only HQ's ack is). */
  publishJournal(batch: JournalBatch): Promise<void>;
}

export interface RelayOptions {
  batchMax: number;
  inflightMax: number;
  ackTimeoutMs: number;
}

interface InFlight {
  first: number;
  last: number;
  seqs: Set<number>;
  sentAt: number;
}

/**
 * Store and forward of the journal to HQ. The outbox is every event after the acknowledged
 * watermark (kept in the journal's meta record), so an event is in the outbox from the batch that
 * writes it and nothing can be lost between them. The relay reads events after the watermark in
 * sequence order, publishes batches with QoS 1 (at most `inflightMax` unacknowledged), and moves the
 * watermark only when HQ acknowledges them by sequence number after storing them durably. On every
 * (re)connect, and when an ack is overdue, it starts again from the first event after the
 * watermark: it never relies on the MQTT client's in-memory queue. HQ stores by sequence
 * number, so a re-sent event is harmless and order per kiosk is kept.
 */
export class OutboxRelay {
  private cursor = 0;
  private readonly inflight: InFlight[] = [];
  private pumping = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly onEvent = (): void => this.pump();
  /** Counters for telemetry and tests. */
  readonly stats = { batches: 0, events: 0, acked: 0, resends: 0 };

  constructor(
    private readonly journal: Journal,
    private readonly transport: RelayTransport,
    private readonly opts: () => RelayOptions,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.stopped = false;
    this.journal.on('event', this.onEvent);
    this.restart();
  }

  stop(): void {
    this.stopped = true;
    this.journal.off('event', this.onEvent);
    clearTimeout(this.timer);
    this.inflight.length = 0;
  }

  /** Forget what is in flight and send again from the oldest outbox entry (on every connect). */
  restart(): void {
    this.inflight.length = 0;
    this.cursor = 0;
    this.pump();
  }

  get inFlightBatches(): number {
    return this.inflight.length;
  }

  /** Handles HQ's ack: deletes acknowledged entries from the outbox, then sends more. */
  async acknowledge(ranges: ReadonlyArray<readonly [number, number]>): Promise<number> {
    const seqs: number[] = [];
    for (const [a, b] of ranges) {
      if (b - a > 100_000) continue;
      for (let s = a; s <= b; s++) seqs.push(s);
    }
    if (seqs.length === 0) return 0;
    const acked = new Set(seqs);
    await this.journal.ackOutbox(seqs);
    this.stats.acked += seqs.length;
    for (let i = this.inflight.length - 1; i >= 0; i--) {
      const f = this.inflight[i] as InFlight;
      for (const s of f.seqs) if (acked.has(s)) f.seqs.delete(s);
      if (f.seqs.size === 0) this.inflight.splice(i, 1);
    }
    this.armTimer();
    this.pump();
    return seqs.length;
  }

  /** Sends events again from `fromSeq` (HQ's resend request), whether acknowledged or not. */
  async resend(fromSeq: number, toSeq: number | null, station: string): Promise<number> {
    const o = this.opts();
    let sent = 0;
    let batch: JournalEvent[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await this.transport.publishJournal({ v: 1, station, resend: true, events: wire(batch) });
      sent += batch.length;
      batch = [];
    };
    for await (const ev of this.journal.events(fromSeq)) {
      if (toSeq !== null && ev.seq > toSeq) break;
      batch.push(ev);
      if (batch.length >= o.batchMax) await flush();
    }
    await flush();
    return sent;
  }

  pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.fill()
      .catch((e: unknown) => this.logger.warn({ err: e }, 'journal relay: send failed; will retry'))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async fill(): Promise<void> {
    const o = this.opts();
    while (!this.stopped && this.transport.connected && this.inflight.length < o.inflightMax) {
      const seqs = await this.journal.outboxSeqs(this.cursor, o.batchMax);
      if (seqs.length === 0) return;
      const events = await this.readEvents(seqs);
      this.cursor = (seqs[seqs.length - 1] as number) + 1;
      if (events.length === 0) {
        this.logger.error(
          { seqs: seqs.length, from: seqs[0] },
          'journal relay: outbox entries without events',
        );
        continue;
      }
      const first = (events[0] as JournalEvent).seq;
      const last = (events[events.length - 1] as JournalEvent).seq;
      const entry: InFlight = { first, last, seqs: new Set(events.map((e) => e.seq)), sentAt: this.now() };
      this.inflight.push(entry);
      this.armTimer();
      this.stats.batches++;
      this.stats.events += events.length;
      const station = events[0]?.stationId ?? this.journal.stationId;
      // Not awaited one by one: PUBACKs pipeline; a failed publish makes the relay start over.
      this.transport.publishJournal({ v: 1, station, events: wire(events) }).catch((e: unknown) => {
        this.logger.warn({ err: e, first, last }, 'journal relay: publish failed');
        this.scheduleRestart();
      });
    }
  }

  /** Contiguous seqs are read with one iterator; holes (acked out of order) are skipped. */
  private async readEvents(seqs: number[]): Promise<JournalEvent[]> {
    const want = new Set(seqs);
    const first = seqs[0] as number;
    const last = seqs[seqs.length - 1] as number;
    const out: JournalEvent[] = [];
    if (last - first < seqs.length * 4) {
      for await (const ev of this.journal.events(first, last - first + 1)) if (want.has(ev.seq)) out.push(ev);
    } else {
      for (const s of seqs) {
        const ev = await this.journal.getEvent(s);
        if (ev) out.push(ev);
      }
    }
    return out;
  }

  private scheduleRestart(): void {
    this.stats.resends++;
    this.restart();
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    const oldest = this.inflight[0];
    if (!oldest || this.stopped) return;
    const due = oldest.sentAt + this.opts().ackTimeoutMs - this.now();
    this.timer = setTimeout(
      () => {
        if (this.inflight.length === 0) return;
        this.logger.warn({ first: this.inflight[0]?.first }, 'journal relay: ack overdue; sending again');
        this.scheduleRestart();
      },
      Math.max(due, 10),
    );
    this.timer.unref();
  }
}

/** Journal events as the wire schema types them (the same objects). */
function wire(events: JournalEvent[]): JournalBatch['events'] {
  return events as unknown as JournalBatch['events'];
}
