import type { JournalBatch } from '../protocol/schemas/index.ts';
import type { HqStore, StoreOp } from './store.ts';

type RelayedEvent = JournalBatch['events'][number];

/** A station's assisted request as HQ knows it: the kiosk's masked snapshot, latest revision. */
export interface HqRequestRecord {
  id: string;
  rev: number;
  matter: string;
  kind: string;
  state: string;
  flag: string | null;
  deadlineAt: number;
  registeredAt: number;
  updatedAt: number;
  citizen: { name: string | null; idNumber: string | null; phone: string | null };
  [k: string]: unknown;
}

export interface HqMonthlyStats {
  station: string;
  month: string;
  at: number;
  seq: number;
  operator: string;
  stats: Record<string, unknown>;
}

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
  constructor(private readonly store: HqStore) {}

  absorb(station: string, events: readonly RelayedEvent[]): Promise<void> {
    if (!events.some((e) => e.type === 'assist')) return Promise.resolve();
    return this.store.withLock(`assist:${station}`, () => this.absorbLocked(station, events));
  }

  private async absorbLocked(station: string, events: readonly RelayedEvent[]): Promise<void> {
    const ops: StoreOp[] = [];
    const latest = new Map<string, HqRequestRecord>();
    for (const e of events) {
      if (e.type !== 'assist' || e.stationId !== station) continue;
      const info = (e as { info?: Record<string, unknown> }).info ?? {};
      if (info.kind === 'request' && typeof info.request === 'object' && info.request !== null) {
        const r = info.request as HqRequestRecord;
        const seen = latest.get(r.id) ?? (await this.store.get<HqRequestRecord>(`aq:${station}:${r.id}`));
        if (seen && seen.rev >= r.rev) continue;
        latest.set(r.id, r);
      } else if (info.kind === 'monthly-stats' && typeof info.stats === 'object' && info.stats !== null) {
        const stats = info.stats as { month: string };
        ops.push({
          type: 'put',
          key: `as:${station}:${stats.month}`,
          value: {
            station,
            month: stats.month,
            at: e.at,
            seq: e.seq,
            operator: String(info.operator ?? ''),
            stats,
          },
        });
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
