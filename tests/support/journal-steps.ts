import fc from 'fast-check';
import { businessDate, localInstant } from '../../src/core/business-day.ts';
import type { ManualClock } from '../../src/core/clock.ts';
import type { TxnRecord } from '../../src/core/transaction/types.ts';
import type { Journal } from '../../src/journal/journal.ts';
import { orderKey } from '../../src/journal/keys.ts';

/** Generated journal histories for the report tests: day cut, first date and start time. */
export const CUT = '21:00';
export const FIRST = '20261101';
export const START = localInstant(FIRST, '08:00');

/** One step of a generated history: a sale, an outcome, a reversal's two halves, a top-up, time passing. */
export type Step =
  | { kind: 'sale'; service: string; operator: string | null; amountFen: number; feeFen: number; qr: boolean }
  | { kind: 'finish'; pick: number; ok: boolean }
  | { kind: 'reopen'; pick: number }
  | { kind: 'reversed'; pick: number }
  | { kind: 'topup'; fen: number }
  | { kind: 'advance'; minutes: number };

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('sale' as const),
    service: fc.constantFrom('mobile-topup', 'water-bill', 'gas-bill'),
    operator: fc.constantFrom('A001', 'A002', null),
    amountFen: fc.integer({ min: 1, max: 500_00 }),
    feeFen: fc.integer({ min: 0, max: 300 }),
    qr: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), ok: fc.boolean() }),
  fc.record({ kind: fc.constant('reopen' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('reversed' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('topup' as const), fen: fc.integer({ min: 1, max: 1_000_00 }) }),
  // Up to a day and a half: day cuts and midnights are crossed, often between a sale and its outcome.
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 36 * 60 }) }),
);

/** A sale as the engine records it at its start (state `sending`), paid by `order` when given. */
export function newSale(
  serial: string,
  s: {
    service: string;
    operator: string | null;
    amountFen: number;
    feeFen: number;
    at: number;
    order?: string | null;
  },
): TxnRecord {
  return {
    v: 1,
    serial,
    idempotencyKey: `k${serial}`,
    stationId: '33010001',
    service: s.service,
    channel: s.operator ? 'operator' : 'self',
    operator: s.operator,
    businessDate: businessDate(s.at, CUT),
    createdAt: s.at,
    updatedAt: s.at,
    state: 'sending',
    stateSince: s.at,
    terminal: false,
    fields: {},
    amountFen: s.amountFen,
    feeFen: s.feeFen,
    data: s.order ? { order: s.order } : {},
    attempts: 0,
    generation: 0,
    alerts: [],
  } as TxnRecord;
}

/** Runs the steps through the journal the way the engine writes them (hold, capture/release, credit). */
export async function play(journal: Journal, clock: ManualClock, steps: readonly Step[]): Promise<void> {
  await journal.commit((b) => {
    b.ledger({ kind: 'topup', fen: 100_000_000, ref: 'slip-0' });
  });
  const live = new Map<string, TxnRecord>();
  const pick = (n: number, ok: (t: TxnRecord) => boolean): TxnRecord | undefined => {
    const list = [...live.values()].filter(ok);
    return list.length === 0 ? undefined : list[n % list.length];
  };
  let orders = 0;
  for (const s of steps) {
    const at = clock.now();
    if (s.kind === 'advance') clock.advance(s.minutes * 60_000);
    else if (s.kind === 'topup') {
      await journal.commit((b) => {
        b.ledger({ kind: 'topup', fen: s.fen, ref: `slip-${at}` });
      });
    } else if (s.kind === 'sale') {
      const orderId = s.operator === null ? `${businessDate(at, CUT)}-${++orders}` : null;
      if (orderId) {
        // The order is written before the sale it pays for, as the order flow does.
        await journal.commit((b) => {
          b.put(orderKey(orderId), { id: orderId, tender: s.qr ? 'qr' : 'cash' });
        });
      }
      await journal.commit((b) => {
        const serial = b.nextSerial();
        const t = newSale(serial, { ...s, at, order: orderId });
        b.ledger({ kind: 'hold', serial, fen: s.amountFen });
        b.putTxn(t);
        live.set(serial, t);
      });
    } else {
      const t =
        s.kind === 'finish'
          ? pick(s.pick, (x) => !x.terminal && x.generation === 0)
          : s.kind === 'reopen'
            ? pick(s.pick, (x) => x.terminal && x.result === 'succeeded')
            : pick(s.pick, (x) => !x.terminal && x.generation > 0);
      if (!t) continue;
      const next: TxnRecord =
        s.kind === 'finish'
          ? {
              ...t,
              state: s.ok ? 'succeeded' : 'failed',
              terminal: true,
              result: s.ok ? 'succeeded' : 'failed',
            }
          : s.kind === 'reopen'
            ? { ...t, state: 'reversing', terminal: false, result: undefined, generation: t.generation + 1 }
            : { ...t, state: 'reversed', terminal: true, result: 'reversed' };
      await journal.commit((b) => {
        if (s.kind === 'finish') b.ledger({ kind: s.ok ? 'capture' : 'release', serial: t.serial });
        if (s.kind === 'reversed') b.ledger({ kind: 'reversal-credit', serial: t.serial, fen: t.amountFen });
        b.putTxn({ ...next, updatedAt: at }, t);
      });
      live.set(t.serial, next);
    }
  }
}
