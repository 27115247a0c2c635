import { z } from 'zod';
import type { JournalBatch } from '../protocol/schemas/index.ts';
import { type HqStore, pad16 } from './store.ts';

export interface JournalMeta {
  /** Every event up to here is stored. */
  contiguous: number;
  highest: number;
  stored: number;
  duplicates: number;
  /** When a gap (highest > contiguous) was first seen, epoch ms; null without a gap. */
  gapSince: number | null;
}

const EMPTY: JournalMeta = { contiguous: 0, highest: 0, stored: 0, duplicates: 0, gapSince: null };

type RelayedEvent = JournalBatch['events'][number];

/** Month (yyyymm) a completed transaction counts in, from its business date. */
function completedMonth(ev: RelayedEvent): { serial: string; month: string } | null {
  if (ev.type !== 'txn.transition' || ev.txn.result !== 'succeeded') return null;
  return { serial: ev.txn.serial, month: ev.txn.businessDate.slice(0, 6) };
}

/** A station's monthly report as HQ keeps it (`mr:<station>:<yyyymm>`). */
export interface StationMonthlyReport {
  station: string;
  period: string;
  /** The kiosk event that carried it. */
  seq: number;
  count: number;
  byService: Record<string, Record<string, { count: number; amountFen: number; feeFen: number }>>;
  lastDate: string;
}

/** Totals of one service and result in a monthly report. */
const totals = z.object({ count: z.number(), amountFen: z.number(), feeFen: z.number() });

/** The facts of a `monthly-report` system event, as HQ reads them. */
const monthlyReportInfo = z.object({
  kind: z.literal('monthly-report'),
  period: z.string(),
  count: z.coerce.number().catch(0),
  byService: z.record(z.string(), z.record(z.string(), totals)).catch({}),
  lastDate: z.string().catch(''),
});

function monthlyReportOf(ev: RelayedEvent): Omit<StationMonthlyReport, 'station' | 'seq'> | null {
  if (ev.type !== 'system' || ev.info.kind !== 'monthly-report') return null;
  const info = monthlyReportInfo.safeParse(ev.info);
  if (!info.success) return null;
  const { period, count, byService, lastDate } = info.data;
  return { period, count, byService, lastDate };
}

/** One relayed batch waiting for its station's next durable write. */
interface Waiting {
  events: RelayedEvent[];
  resolve: (r: StoredBatch) => void;
  reject: (e: unknown) => void;
}

export interface StoredBatch {
  /** Sequence numbers of the batch that are now stored (new or earlier): what HQ may acknowledge. */
  acked: number[];
  meta: JournalMeta;
}

/**
 * Stores relayed journal events durably, once each, keyed by station and sequence number, and keeps
 * per-station gap detection and monthly counts of completed transactions. Resolves only after the
 * write is durable: the caller acknowledges to the kiosk after that and never before.
 *
 * Group commit: a station's batches that arrive while its previous write is under way (a kiosk
 * keeps several in flight) are stored together in the next write, one atomic store batch under the
 * station's lock; each caller still hears only of its own batch's events, once all are durable.
 * Batches may arrive in any order and any number of times: an event already stored is counted as
 * a duplicate and acknowledged again, never stored or counted twice.
 */
export class JournalArchive {
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    private readonly store: HqStore,
    private readonly now: () => number,
  ) {}

  async meta(station: string): Promise<JournalMeta> {
    return (await this.store.get<JournalMeta>(`jm:${station}`)) ?? { ...EMPTY };
  }

  storeBatch(station: string, events: RelayedEvent[]): Promise<StoredBatch> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(station);
      if (queue) return void queue.push({ events, resolve, reject });
      this.waiting.set(station, [{ events, resolve, reject }]);
      void this.writeQueued(station);
    });
  }

  /** Writes the station's waiting batches, all that queued meanwhile in one write, until none wait. */
  private async writeQueued(station: string): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(station) ?? [];
      const group = queue.splice(0);
      if (group.length === 0) return void this.waiting.delete(station);
      try {
        const meta = await this.store.withLock(`journal:${station}`, () =>
          this.storeGroup(
            station,
            group.flatMap((g) => g.events),
          ),
        );
        for (const g of group)
          g.resolve({ acked: g.events.filter((e) => e.stationId === station).map((e) => e.seq), meta });
      } catch (e) {
        for (const g of group) g.reject(e);
      }
    }
  }

  private async storeGroup(station: string, events: RelayedEvent[]): Promise<JournalMeta> {
    const meta = await this.meta(station);
    const keys = events.map((e) => `j:${station}:${pad16(e.seq)}`);
    const existing = await this.store.getMany<unknown>(keys);
    const ops: Array<{ type: 'put'; key: string; value: unknown }> = [];
    const fresh: RelayedEvent[] = [];
    const freshSeqs = new Set<number>();
    events.forEach((e, i) => {
      if (e.stationId !== station) return;
      if (existing[i] !== undefined || freshSeqs.has(e.seq)) {
        meta.duplicates++;
        return;
      }
      freshSeqs.add(e.seq);
      fresh.push(e);
      ops.push({ type: 'put', key: keys[i] as string, value: e });
    });
    const done = fresh.map(completedMonth).filter((d) => d !== null);
    const serialKeys = [...new Set(done.map((d) => `ms:${station}:${d.serial}`))];
    const counted = serialKeys.length ? await this.store.getMany<unknown>(serialKeys) : [];
    const countedNow = new Set(serialKeys.filter((_, i) => counted[i] !== undefined));
    const counts = new Map<string, number>();
    for (const d of done) {
      const key = `ms:${station}:${d.serial}`;
      if (countedNow.has(key)) continue;
      countedNow.add(key);
      ops.push({ type: 'put', key, value: d.month });
      counts.set(d.month, (counts.get(d.month) ?? 0) + 1);
    }
    for (const e of fresh) {
      const report = monthlyReportOf(e);
      if (report)
        ops.push({
          type: 'put',
          key: `mr:${station}:${report.period}`,
          value: { ...report, station, seq: e.seq },
        });
    }
    for (const [month, n] of counts) {
      const key = `mc:${station}:${month}`;
      ops.push({ type: 'put', key, value: ((await this.store.get<number>(key)) ?? 0) + n });
    }
    meta.stored += fresh.length;
    for (const e of fresh) meta.highest = Math.max(meta.highest, e.seq);
    meta.contiguous = await this.advance(station, meta.contiguous, freshSeqs, meta.highest);
    meta.gapSince = meta.highest > meta.contiguous ? (meta.gapSince ?? this.now()) : null;
    ops.push({ type: 'put', key: `jm:${station}`, value: meta });
    await this.store.batch(ops);
    return meta;
  }

  /**
   * Moves the contiguous mark over events now stored (new ones, or earlier ones above a gap); the
   * store is read only for numbers up to `highest` (nothing is stored above it).
   */
  private async advance(station: string, from: number, fresh: Set<number>, highest: number): Promise<number> {
    let c = from;
    while (c < highest) {
      const next = c + 1;
      if (fresh.has(next)) {
        c = next;
        continue;
      }
      const stored = await this.store.get<unknown>(`j:${station}:${pad16(next)}`);
      if (stored === undefined) return c;
      c = next;
    }
    return c;
  }

  /** Stored events of a station from `fromSeq`, in order. */
  async events(station: string, fromSeq = 1, limit = -1): Promise<RelayedEvent[]> {
    const out: RelayedEvent[] = [];
    for await (const [, e] of this.store.entries<RelayedEvent>(`j:${station}:`, { limit: -1 })) {
      if (e.seq < fromSeq) continue;
      out.push(e);
      if (limit > 0 && out.length >= limit) break;
    }
    return out;
  }

  /** Monthly reports the stations sent (每月结报), one per station and month; `month` filters. */
  async monthlyReports(month?: string, station?: string): Promise<StationMonthlyReport[]> {
    const rows = await this.store.list<StationMonthlyReport>(station ? `mr:${station}:` : 'mr:');
    return rows.map(([, r]) => r).filter((r) => !month || r.period === month);
  }

  async monthlyCounts(station: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [k, n] of await this.store.list<number>(`mc:${station}:`))
      out[k.slice(k.lastIndexOf(':') + 1)] = n;
    return out;
  }
}

/** Inclusive ranges of sorted sequence numbers: [1,2,3,7] → [[1,3],[7,7]]. */
export function toRanges(seqs: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s === last[1] + 1) last[1] = s;
    else out.push([s, s]);
  }
  return out;
}
