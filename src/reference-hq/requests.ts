import { z } from 'zod';
import { type MonthlyStats, monthlyStatsSchema } from '../core/assist/monthly-stats.ts';
import { type AssistRequest, assistRequestSchema } from '../core/assist/request.ts';
import type { Logger } from '../platform/logger.ts';
import type { JournalBatch } from '../protocol/schemas/index.ts';
import type { HqStore, StoreOp } from './store.ts';

type RelayedEvent = JournalBatch['events'][number];

/** A station's assisted request as HQ knows it: the kiosk's masked snapshot, latest revision. */
export type HqRequestRecord = AssistRequest;

export interface HqMonthlyStats {
  station: string;
  month: string;
  at: number;
  seq: number;
  operator: string;
  stats: MonthlyStats;
}

/** A part of HQ's store keys: what a station sends as an id must not reach into another key. */
const keyPart = z.string().regex(/^[A-Za-z0-9-]{1,40}$/);

/**
 * What an `assist` event's `info` carries that HQ keeps, parsed with the kiosk's own schemas of a
 * request and of a month's statistics (the relayed request is masked, which those schemas allow).
 */
const assistInfoSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('request'), request: assistRequestSchema.extend({ id: keyPart }) }),
  z.object({ kind: z.literal('monthly-stats'), operator: z.string().max(40), stats: monthlyStatsSchema }),
]);

/** Kinds of `assist` event HQ keeps; the others (guide, appointments) are only in the journal. */
const KEPT = new Set(['request', 'monthly-stats']);

/**
 * HQ's register of the stations' assisted requests (HQ stands in for the sub-district service
 * centre): built from the `assist` events relayed in each station's journal, keeping for each request
 * the highest revision seen (a relayed event may arrive twice or out of order), the requests flagged
 * due-soon or overdue, and the monthly statistics each station sent (每月结报).
 *
 *   aq:<station>:<id>        HqRequestRecord
 *   as:<station>:<yyyymm>    HqMonthlyStats    the latest sent for that month
 */
export class HqRequests {
  constructor(
    private readonly store: HqStore,
    private readonly logger?: Logger,
  ) {}

  absorb(station: string, events: readonly RelayedEvent[]): Promise<void> {
    if (!events.some((e) => e.type === 'assist')) return Promise.resolve();
    return this.store.withLock(`assist:${station}`, () => this.absorbLocked(station, events));
  }

  private async absorbLocked(station: string, events: readonly RelayedEvent[]): Promise<void> {
    const ops: StoreOp[] = [];
    const latest = new Map<string, HqRequestRecord>();
    for (const e of events) {
      if (e.type !== 'assist' || e.stationId !== station) continue;
      const kind = typeof e.info?.kind === 'string' ? e.info.kind : '';
      if (!KEPT.has(kind)) continue;
      const parsed = assistInfoSchema.safeParse(e.info);
      if (!parsed.success) {
        // Paths only: a station's malformed record never reaches HQ's store or its log's values.
        this.logger?.warn(
          {
            station,
            seq: e.seq,
            paths: parsed.error.issues.slice(0, 5).map((i) => ['info', ...i.path].join('.')),
          },
          'HQ: assisted-services event refused',
        );
        continue;
      }
      const info = parsed.data;
      if (info.kind === 'request') {
        const r = info.request;
        const seen = latest.get(r.id) ?? (await this.store.get<HqRequestRecord>(`aq:${station}:${r.id}`));
        if (seen && seen.rev >= r.rev) continue;
        latest.set(r.id, r);
      } else {
        const stats = info.stats;
        const value: HqMonthlyStats = {
          station,
          month: stats.month,
          at: e.at,
          seq: e.seq,
          operator: info.operator,
          stats,
        };
        ops.push({ type: 'put', key: `as:${station}:${stats.month}`, value });
      }
    }
    for (const [id, r] of latest) ops.push({ type: 'put', key: `aq:${station}:${id}`, value: r });
    if (ops.length > 0) await this.store.batch(ops);
  }

  async list(station?: string): Promise<Array<HqRequestRecord & { station: string }>> {
    const rows = await this.store.list<HqRequestRecord>(station ? `aq:${station}:` : 'aq:');
    return rows.map(([key, r]) => ({ ...r, station: key.split(':')[1] as string }));
  }

  async get(station: string, id: string): Promise<HqRequestRecord | undefined> {
    return this.store.get<HqRequestRecord>(`aq:${station}:${id}`);
  }

  async stats(station: string, month: string): Promise<HqMonthlyStats | undefined> {
    return this.store.get<HqMonthlyStats>(`as:${station}:${month}`);
  }
}
