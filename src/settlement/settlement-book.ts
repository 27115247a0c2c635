import type { KioskConfig } from '../config/schema.ts';
import { businessDate } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError } from '../core/errors.ts';
import { Money } from '../core/money.ts';
import { decodeValue } from '../journal/codec.ts';
import type { Journal } from '../journal/journal.ts';
import { configKey, pad16, prefixRange } from '../journal/keys.ts';
import { transactionsOfDates } from '../journal/range-reads.ts';
import type { Logger } from '../platform/logger.ts';
import type { ServiceLookup } from '../reports/mask-txn.ts';
import { inScope, type ReportScope, type Settlement, settle } from '../reports/settlement.ts';
import { settlementDigest } from '../reports/settlement-digest.ts';

/** What the journal keeps of one settlement (and relays to HQ inside a `system` event). */
export interface SettlementRecord {
  kind: 'settlement';
  /** The event sequence number that recorded it; the settlement's number. */
  id: number;
  scope: 'teller' | 'station';
  operator: string | null;
  /** Who made it (a teller settles their own; a supervisor the station or any teller). */
  by: string;
  businessDate: string;
  at: number;
  /** The settlement covers the journal up to this event (inclusive). */
  throughSeq: number;
  /** settlementDigest of the covered transactions in scope. */
  digest: string;
  transactions: number;
  cashDueFen: number;
  qrNetFen: number;
  prepaidNetFen: number;
  /** HQ's answer, once it has compared the digest: null until then. */
  hq?: { match: boolean; digest: string; at: number } | undefined;
}

/** Cross-day settlement (网点隔日扎账): the cash due of a business date and what was handed in. */
export interface HandoverRecord {
  kind: 'cash-handover';
  id: number;
  businessDate: string;
  at: number;
  by: string;
  cashDueFen: number;
  handedInFen: number;
  /** handed in − due; negative means short. */
  differenceFen: number;
  note: string | null;
}

export const settlementKey = (date: string, id: number): string => configKey(`settle:${date}:${pad16(id)}`);
export const handoverKey = (date: string, id: number): string => configKey(`handover:${date}:${pad16(id)}`);

/** Attempts before giving up when transactions keep committing between the read and the record. */
const MAX_ATTEMPTS = 20;

class JournalMoved extends Error {}

/**
 * Makes settlements and cross-day settlements and records each in the journal (a `system` event,
 * relayed to HQ, and a record under `c:settle:` / `c:handover:`). A settlement is computed from a
 * read of the journal and recorded only if nothing was committed since that read, so its digest
 * covers exactly the events before it.
 */
export class SettlementBook {
  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly config: () => KioskConfig,
    private readonly services: ServiceLookup,
    private readonly logger: Logger,
  ) {}

  today(): string {
    return businessDate(this.clock.now(), this.config().business.dayCut);
  }

  /** The current settlement of today without recording it (what the screen shows before printing). */
  async preview(scope: ReportScope): Promise<Settlement> {
    const date = this.today();
    return settle(
      await transactionsOfDates(this.journal, date, date),
      {
        businessDate: date,
        scope,
        at: this.clock.now(),
      },
      this.services,
    );
  }

  /** Makes and records a settlement of today; any number of times a day. */
  async record(scope: ReportScope, by: string): Promise<Settlement & { record: SettlementRecord }> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const through = this.journal.lastCounters.event;
      const date = this.today();
      const txns = await transactionsOfDates(this.journal, date, date);
      const at = this.clock.now();
      const s = settle(txns, { businessDate: date, scope, at }, this.services);
      const { digest, count } = settlementDigest(
        txns.filter((t) => inScope(t, scope)),
        date,
      );
      try {
        const record = await this.journal.commit((b) => {
          if (b.counters.event !== through) throw new JournalMoved();
          const body: Omit<SettlementRecord, 'id'> = {
            kind: 'settlement',
            scope: scope.kind,
            operator: scope.kind === 'teller' ? scope.operator : null,
            by,
            businessDate: date,
            at: b.at,
            throughSeq: through,
            digest,
            transactions: count,
            cashDueFen: Money.of(s.cashDue).toFen(),
            qrNetFen: Money.of(s.qrNet).toFen(),
            prepaidNetFen: Money.of(s.prepaidNet).toFen(),
          };
          const ev = b.event({ type: 'system', info: { ...body } });
          const rec: SettlementRecord = { ...body, id: ev.seq };
          b.put(settlementKey(date, ev.seq), rec);
          return rec;
        });
        this.logger.info({ id: record.id, scope: scope.kind, date, digest }, 'settlement recorded');
        return { ...s, at: record.at, record };
      } catch (e) {
        if (!(e instanceof JournalMoved)) throw e;
      }
    }
    throw new KioskError('KIOSK_E_TIMEOUT', {
      zh: '交易进行中，请稍后再扎账',
      en: 'transactions keep changing the journal; settle again in a moment',
    });
  }

  /** Settlements recorded for a business date, oldest first. */
  async list(date: string): Promise<SettlementRecord[]> {
    const out: SettlementRecord[] = [];
    for await (const [k, v] of this.journal.raw.iterator(prefixRange(configKey(`settle:${date}:`)))) {
      out.push(decodeValue<SettlementRecord>(k, v));
    }
    return out;
  }

  /** Stores HQ's comparison of a settlement's digest; a mismatch is logged as an error. */
  hqVerdict(date: string, id: number, hqDigest: string): Promise<SettlementRecord | undefined> {
    return recordHqVerdict(this.journal, this.logger, date, id, hqDigest);
  }

  /** Records the cash handed in for a business date against its station cash due (网点隔日扎账). */
  async handover(date: string, handedIn: Money, by: string, note?: string): Promise<HandoverRecord> {
    if (date > this.today()) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'date',
        zh: '不能为未来的账务日期交款',
        en: 'the business date is in the future',
      });
    }
    const txns = await transactionsOfDates(this.journal, date, date);
    const s = settle(
      txns,
      { businessDate: date, scope: { kind: 'station' }, at: this.clock.now() },
      this.services,
    );
    const cashDueFen = Money.of(s.cashDue).toFen();
    const handedInFen = handedIn.toFen();
    const rec = await this.journal.commit((b) => {
      const body: Omit<HandoverRecord, 'id'> = {
        kind: 'cash-handover',
        businessDate: date,
        at: b.at,
        by,
        cashDueFen,
        handedInFen,
        differenceFen: handedInFen - cashDueFen,
        note: note ?? null,
      };
      const ev = b.event({ type: 'system', info: { ...body } });
      const r: HandoverRecord = { ...body, id: ev.seq };
      b.put(handoverKey(date, ev.seq), r);
      return r;
    });
    this.logger.info({ id: rec.id, date, differenceFen: rec.differenceFen }, 'cash handover recorded');
    return rec;
  }

  /** Cross-day settlements recorded for a business date, oldest first. */
  async handovers(date: string): Promise<HandoverRecord[]> {
    const out: HandoverRecord[] = [];
    for await (const [k, v] of this.journal.raw.iterator(prefixRange(configKey(`handover:${date}:`)))) {
      out.push(decodeValue<HandoverRecord>(k, v));
    }
    return out;
  }
}

/**
 * Stores HQ's digest beside a recorded settlement (`hq.match` says whether they agree); a mismatch
 * is also a `system` event `settlement-mismatch` (relayed to HQ) and an error in the log. Resolves
 * undefined when no such settlement was recorded. Applying the same digest again changes nothing.
 */
export async function recordHqVerdict(
  journal: Journal,
  logger: Logger,
  date: string,
  id: number,
  hqDigest: string,
): Promise<SettlementRecord | undefined> {
  const rec = await journal.getJson<SettlementRecord>(settlementKey(date, id));
  if (!rec) return undefined;
  if (rec.hq?.digest === hqDigest) return rec;
  const match = rec.digest === hqDigest;
  const next = await journal.commit((b) => {
    const n: SettlementRecord = { ...rec, hq: { match, digest: hqDigest, at: b.at } };
    b.put(settlementKey(date, id), n);
    if (!match)
      b.event({
        type: 'system',
        info: { kind: 'settlement-mismatch', id, businessDate: date, digest: rec.digest, hqDigest },
      });
    return n;
  });
  if (!match) logger.error({ id, date, digest: rec.digest, hqDigest }, 'settlement digest differs from HQ');
  return next;
}
