import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKioskError } from '../../../src/core/errors.ts';
import {
  applyLedgerOp,
  availableFen,
  type BalanceState,
  EMPTY_BALANCE,
  type LedgerEntryBody,
  type LedgerOp,
  replayLedger,
} from '../../../src/core/ledger.ts';

const opArb: fc.Arbitrary<LedgerOp> = fc.oneof(
  fc.record({
    kind: fc.constant('hold' as const),
    serial: fc.constantFrom('1', '2', '3', '4', '5'),
    fen: fc.integer({ min: 1, max: 50_000 }),
  }),
  fc.record({ kind: fc.constant('capture' as const), serial: fc.constantFrom('1', '2', '3', '4', '5') }),
  fc.record({ kind: fc.constant('release' as const), serial: fc.constantFrom('1', '2', '3', '4', '5') }),
  fc.record({
    kind: fc.constant('topup' as const),
    fen: fc.integer({ min: 1, max: 100_000 }),
    ref: fc.string(),
  }),
  fc.record({
    kind: fc.constant('topup-reversal' as const),
    fen: fc.integer({ min: 1, max: 100_000 }),
    ref: fc.string(),
  }),
  fc.record({
    kind: fc.constant('adjustment' as const),
    fen: fc.integer({ min: -50_000, max: 50_000 }).filter((n) => n !== 0),
    ref: fc.string(),
  }),
  fc.record({
    kind: fc.constant('refund' as const),
    fen: fc.integer({ min: 1, max: 10_000 }),
    ref: fc.string(),
  }),
  fc.record({
    kind: fc.constant('reversal-credit' as const),
    serial: fc.constantFrom('1', '2'),
    fen: fc.integer({ min: 1, max: 10_000 }),
  }),
);

describe('prepaid balance ledger (zero credit line)', () => {
  it('never goes below zero, equals the sum of its entries, and ends each hold exactly once', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        let s: BalanceState = EMPTY_BALANCE;
        const entries: LedgerEntryBody[] = [];
        const ended = new Map<string, number>();
        const opened = new Map<string, number>();
        for (const op of ops) {
          try {
            const r = applyLedgerOp(s, op);
            s = r.state;
            entries.push(r.entry);
            if (op.kind === 'hold') opened.set(op.serial, (opened.get(op.serial) ?? 0) + 1);
            if (op.kind === 'capture' || op.kind === 'release')
              ended.set(op.serial, (ended.get(op.serial) ?? 0) + 1);
          } catch (e) {
            // Refusals are allowed; they must be the coded insufficient-balance error or a misuse
            // (ending a hold that is not open, holding twice), and must not change the state.
            if (!isKioskError(e)) expect(e).toBeInstanceOf(RangeError);
            else expect(e.code).toBe('KIOSK_E_INSUFFICIENT_BALANCE');
          }
          expect(availableFen(s)).toBeGreaterThanOrEqual(0);
          expect(s.balanceFen).toBeGreaterThanOrEqual(0);
          const replay = replayLedger(entries);
          expect(replay.balanceFen).toBe(s.balanceFen);
          expect(replay.heldFen).toBe(s.heldFen);
          expect([...replay.holds.values()].reduce((a, b) => a + b, 0)).toBe(s.heldFen);
        }
        for (const [serial, n] of ended) {
          // Each end matches one opening; a serial is re-opened only after it ended.
          expect(n).toBeLessThanOrEqual(opened.get(serial) ?? 0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a hold above the available balance with both languages', () => {
    const { state } = applyLedgerOp(EMPTY_BALANCE, { kind: 'topup', fen: 5000, ref: 'a' });
    const held = applyLedgerOp(state, { kind: 'hold', serial: '1', fen: 3000 }).state;
    expect(() => applyLedgerOp(held, { kind: 'hold', serial: '2', fen: 2001 })).toThrow(/20\.00/);
    expect(applyLedgerOp(held, { kind: 'hold', serial: '2', fen: 2000 }).state.heldFen).toBe(5000);
  });

  it('capture consumes the held amount; release returns it; neither twice', () => {
    let s = applyLedgerOp(EMPTY_BALANCE, { kind: 'topup', fen: 10_000, ref: 'a' }).state;
    s = applyLedgerOp(s, { kind: 'hold', serial: '1', fen: 3000 }).state;
    s = applyLedgerOp(s, { kind: 'capture', serial: '1' }).state;
    expect(s).toMatchObject({ balanceFen: 7000, heldFen: 0 });
    expect(() => applyLedgerOp(s, { kind: 'capture', serial: '1' })).toThrow(RangeError);
    expect(() => applyLedgerOp(s, { kind: 'release', serial: '1' })).toThrow(RangeError);
  });
});
