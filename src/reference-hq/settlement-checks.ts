import type { Logger } from '../platform/logger.ts';
import type { JournalBatch } from '../protocol/schemas/index.ts';
import { inScope, type ReportScope } from '../reports/settlement.ts';
import { settlementDigest, snapshotsBefore } from '../reports/settlement-digest.ts';
import type { CommandSender } from './commands.ts';
import type { JournalArchive } from './journals.ts';
import { type HqStore, pad16 } from './store.ts';

type RelayedEvent = JournalBatch['events'][number];

/** HQ's comparison of one station settlement or teller settlement, kept under `sd:<station>:<seq>`. */
export interface SettlementCheck {
  station: string;
  /** The settlement's number: the kiosk event that recorded it. */
  id: number;
  businessDate: string;
  scope: 'teller' | 'station';
  operator: string | null;
  kioskDigest: string;
  hqDigest: string;
  /** Transactions HQ counted for it. */
  hqTransactions: number;
  kioskTransactions: number;
  match: boolean;
  at: number;
  /** The signed `settlement-check` command that told the kiosk. */
  commandSeq: number;
}

/** What a settlement event says about itself (the kiosk's SettlementRecord, relayed in `info`). */
interface SettlementInfo {
  kind: 'settlement';
  scope: 'teller' | 'station';
  operator: string | null;
  businessDate: string;
  digest: string;
  transactions: number;
}

function settlementOf(e: RelayedEvent): SettlementInfo | null {
  const info = (e as { type?: string; info?: Partial<SettlementInfo> }).info;
  if ((e as { type?: string }).type !== 'system' || info?.kind !== 'settlement') return null;
  if (typeof info.digest !== 'string' || typeof info.businessDate !== 'string') return null;
  return info as SettlementInfo;
}

/**
 * Compares every settlement a station relays with the digest HQ computes from the journal events
 * it received before it. A settlement waits (`sq:`) until every earlier event has arrived; then
 * its result is stored (`sd:`), a mismatch is an alert (error log, `kiosk-hq settlements
 * --mismatch`), and the kiosk is sent a signed `settlement-check` with HQ's digest either way.
 */
export class SettlementChecks {
  constructor(
    private readonly store: HqStore,
    private readonly archive: JournalArchive,
    private readonly commands: () => CommandSender,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** After a batch is stored: notes its settlements and checks every one now covered. */
  async afterBatch(station: string, events: readonly RelayedEvent[], contiguous: number): Promise<void> {
    const fresh = events.filter((e) => settlementOf(e) !== null);
    for (const e of fresh) {
      if ((await this.store.get(`sd:${station}:${pad16(e.seq)}`)) === undefined)
        await this.store.put(`sq:${station}:${pad16(e.seq)}`, e.seq);
    }
    const waiting = await this.store.list<number>(`sq:${station}:`);
    for (const [, seq] of waiting) if (seq - 1 <= contiguous) await this.check(station, seq);
  }

  private async check(station: string, seq: number): Promise<void> {
    await this.store.withLock(`sd:${station}`, async () => {
      const key = `sd:${station}:${pad16(seq)}`;
      if ((await this.store.get(key)) !== undefined) {
        await this.store.batch([{ type: 'del', key: `sq:${station}:${pad16(seq)}` }]);
        return;
      }
      const events = await this.archive.events(station, 1, seq);
      const ev = events.find((e) => e.seq === seq);
      const info = ev ? settlementOf(ev) : null;
      if (!info) return;
      const scope: ReportScope =
        info.scope === 'teller' && info.operator
          ? { kind: 'teller', operator: info.operator }
          : { kind: 'station' };
      const txns = snapshotsBefore(events, seq).filter((t) => inScope(t, scope));
      const hq = settlementDigest(txns, info.businessDate);
      const match = hq.digest === info.digest;
      const cmd = await this.commands().send(station, 'settlement-check', {
        businessDate: info.businessDate,
        id: seq,
        digest: hq.digest,
      });
      const result: SettlementCheck = {
        station,
        id: seq,
        businessDate: info.businessDate,
        scope: info.scope,
        operator: info.operator,
        kioskDigest: info.digest,
        hqDigest: hq.digest,
        hqTransactions: hq.count,
        kioskTransactions: info.transactions,
        match,
        at: this.now(),
        commandSeq: cmd.seq,
      };
      await this.store.batch([
        { type: 'put', key, value: result },
        { type: 'del', key: `sq:${station}:${pad16(seq)}` },
      ]);
      if (!match)
        this.logger.error(
          { station, id: seq, date: info.businessDate, kiosk: info.digest, hq: hq.digest },
          'HQ: settlement digest differs from the kiosk',
        );
    });
  }

  /** Checked settlements, every station or one, oldest first; `mismatchOnly` keeps the alerts. */
  async list(station?: string, mismatchOnly = false): Promise<SettlementCheck[]> {
    const rows = await this.store.list<SettlementCheck>(station ? `sd:${station}:` : 'sd:');
    return rows.map(([, v]) => v).filter((c) => !mismatchOnly || !c.match);
  }
}
