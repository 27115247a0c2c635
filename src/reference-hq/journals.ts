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

/**
 * The parts of a relayed transaction snapshot HQ counts by. The wire check of a journal event
 * only knows its snapshot is an object, so HQ reads these through their own schema.
 */
const completedTxn = z.object({
  serial: z.string().min(1),
  result: z.literal('succeeded'),
  businessDate: z.string().regex(/^\d{8}$/),
});

/** Month (yyyymm) a completed transaction counts in, from its business date. */
function completedMonth(ev: RelayedEvent): { serial: string; month: string } | null {
  if (ev.type !== 'txn.transition') return null;
  const txn = completedTxn.safeParse(ev.txn);
  if (!txn.success) return null;
  return { serial: txn.data.serial, month: txn.data.businessDate.slice(0, 6) };
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
  if (ev.type !== 'system') return null;
  const info = monthlyReportInfo.safeParse(ev.info);
  if (!info.success) return null;
  const { period, count, byService, lastDate } = info.data;
  return { period, count, byService, lastDate };
}

/**
 * Stores relayed journal events durably, once each, keyed by station and sequence number, and keeps
 * per-station gap detection and monthly counts of completed transactions. Resolves only after the
 * write is durable: the caller acknowledges to the kiosk after that and never before.
 */
export class JournalArchive {
  constructor(
    private readonly store: HqStore,
    private readonly now: () => number,
  ) {}

  async meta(station: string): Promise<JournalMeta> {
    return (await this.store.get<JournalMeta>(`jm:${station}`)) ?? { ...EMPTY };
  }

  async storeBatch(station: string, events: RelayedEvent[]): Promise<{ acked: number[]; meta: JournalMeta }> {
    return this.store.withLock(`journal:${station}`, async () => {
      const meta = await this.meta(station);
      const keys = events.map((e) => `j:${station}:${pad16(e.seq)}`);
      const existing = await this.store.getMany<unknown>(keys);
      const ops: Array<{ type: 'put'; key: string; value: unknown }> = [];
      const counts = new Map<string, number>();
      const serialKeys: string[] = [];
      const fresh: RelayedEvent[] = [];
      events.forEach((e, i) => {
        if (existing[i] !== undefined || e.stationId !== station) {
          meta.duplicates += existing[i] !== undefined ? 1 : 0;
          return;
        }
        fresh.push(e);
        ops.push({ type: 'put', key: keys[i] as string, value: e });
      });
      const done = fresh.map(completedMonth);
      for (const d of done) if (d) serialKeys.push(`ms:${station}:${d.serial}`);
      const counted = serialKeys.length ? await this.store.getMany<unknown>(serialKeys) : [];
      let k = 0;
      for (const d of done) {
        if (!d) continue;
        if (counted[k++] === undefined && !ops.some((o) => o.key === `ms:${station}:${d.serial}`)) {
          ops.push({ type: 'put', key: `ms:${station}:${d.serial}`, value: d.month });
          counts.set(d.month, (counts.get(d.month) ?? 0) + 1);
        }
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
      meta.contiguous = await this.advance(station, meta.contiguous, new Set(fresh.map((e) => e.seq)));
      meta.gapSince = meta.highest > meta.contiguous ? (meta.gapSince ?? this.now()) : null;
      ops.push({ type: 'put', key: `jm:${station}`, value: meta });
      await this.store.batch(ops);
      return { acked: events.filter((e) => e.stationId === station).map((e) => e.seq), meta };
    });
  }

  /** Moves the contiguous mark over events now stored (new ones, or earlier ones above a gap). */
  private async advance(station: string, from: number, fresh: Set<number>): Promise<number> {
    let c = from;
    for (;;) {
      const next = c + 1;
      if (fresh.has(next)) {
        c = next;
        continue;
      }
      const stored = await this.store.get<unknown>(`j:${station}:${pad16(next)}`);
      if (stored === undefined) return c;
      c = next;
    }
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
