import { KioskError } from './errors.ts';
import { Money } from './money.ts';

/**
 * The prepaid balance (信誉度) as pure state. All amounts are integer fen. The credit line is zero:
 * no operation may leave `available = balance − held` below zero.
 */
export interface BalanceState {
  balanceFen: number;
  heldFen: number;
  /** Open holds by transaction serial. */
  holds: ReadonlyMap<string, number>;
}

/** Kinds of ledger entries. Every change to balance or holds is exactly one entry. */
export type LedgerKind =
  | 'hold' // funds reserved before a request is sent
  | 'capture' // held funds consumed by a successful transaction (交易明细)
  | 'release' // hold returned after failure or refusal
  | 'topup' // counter or card top-up (续费 / 卡折充值)
  | 'topup-reversal' // same-day counter top-up reversed (现金缴费撤销)
  | 'reversal-credit' // a reversed transaction credited back
  | 'adjustment' // HQ adjustment (调账), signed
  | 'refund'; // refund notice for a failed transaction (退款通知)

export interface LedgerEntryBody {
  kind: LedgerKind;
  /** Change of the balance, signed fen. */
  deltaFen: number;
  /** Change of the held total, signed fen. */
  heldDeltaFen: number;
  /** Transaction serial the entry belongs to, if any. */
  serial?: string | undefined;
  /** HQ reference (deposit slip, adjustment id) for HQ-originated entries; used to refuse duplicates. */
  ref?: string | undefined;
  note?: string | undefined;
}

export interface LedgerEntry extends LedgerEntryBody {
  seq: number;
  at: number;
  balanceAfterFen: number;
  heldAfterFen: number;
}

export type LedgerOp =
  | { kind: 'hold'; serial: string; fen: number }
  | { kind: 'capture'; serial: string }
  | { kind: 'release'; serial: string }
  | { kind: 'reversal-credit'; serial: string; fen: number }
  | {
      kind: 'topup' | 'topup-reversal' | 'adjustment' | 'refund';
      fen: number;
      ref: string;
      serial?: string;
      note?: string;
    };

export const EMPTY_BALANCE: BalanceState = { balanceFen: 0, heldFen: 0, holds: new Map() };

export function availableFen(s: BalanceState): number {
  return s.balanceFen - s.heldFen;
}

/**
 * The refusal for an amount the available balance cannot cover, or null when it can. Checked before
 * anything is sent (zero credit line) and again by the hold itself.
 */
export function refuseAbove(s: BalanceState, needFen: number): KioskError | null {
  return availableFen(s) < needFen ? insufficient(needFen, s) : null;
}

function insufficient(needFen: number, s: BalanceState): KioskError {
  return new KioskError('KIOSK_E_INSUFFICIENT_BALANCE', {
    field: 'amount',
    zh: `信誉度可用余额 ${Money.fromFen(availableFen(s)).toString()} 元，不足 ${Money.fromFen(needFen).toString()} 元`,
    en: `available balance ${Money.fromFen(availableFen(s)).toString()} yuan is below ${Money.fromFen(needFen).toString()} yuan`,
    details: { availableFen: availableFen(s), neededFen: needFen },
  });
}

function positive(fen: number, what: string): void {
  if (!Number.isSafeInteger(fen) || fen <= 0)
    throw new RangeError(`${what} must be a positive integer of fen`);
}

/**
 * Applies one operation. Returns the entry body and the next state, or throws
 * KIOSK_E_INSUFFICIENT_BALANCE (for holds and debits) and RangeError for programming errors.
 * Capture and release of an unknown hold are errors: a hold ends exactly once.
 */
export function applyLedgerOp(
  s: BalanceState,
  op: LedgerOp,
): { state: BalanceState; entry: LedgerEntryBody } {
  const holds = new Map(s.holds);
  let body: LedgerEntryBody;
  switch (op.kind) {
    case 'hold': {
      positive(op.fen, 'hold');
      if (holds.has(op.serial)) throw new RangeError(`hold for ${op.serial} exists`);
      if (availableFen(s) < op.fen) throw insufficient(op.fen, s);
      holds.set(op.serial, op.fen);
      body = { kind: 'hold', deltaFen: 0, heldDeltaFen: op.fen, serial: op.serial };
      break;
    }
    case 'capture':
    case 'release': {
      const fen = holds.get(op.serial);
      if (fen === undefined) throw new RangeError(`no open hold for ${op.serial}`);
      holds.delete(op.serial);
      body = {
        kind: op.kind,
        deltaFen: op.kind === 'capture' ? -fen : 0,
        heldDeltaFen: -fen,
        serial: op.serial,
      };
      break;
    }
    case 'reversal-credit': {
      positive(op.fen, 'reversal credit');
      body = { kind: 'reversal-credit', deltaFen: op.fen, heldDeltaFen: 0, serial: op.serial };
      break;
    }
    case 'topup':
    case 'refund': {
      positive(op.fen, op.kind);
      body = hqEntry(op, op.fen);
      break;
    }
    case 'topup-reversal': {
      positive(op.fen, 'top-up reversal');
      if (availableFen(s) < op.fen) throw insufficient(op.fen, s);
      body = hqEntry(op, -op.fen);
      break;
    }
    case 'adjustment': {
      if (!Number.isSafeInteger(op.fen) || op.fen === 0)
        throw new RangeError('adjustment must be a non-zero integer');
      if (op.fen < 0 && availableFen(s) < -op.fen) throw insufficient(-op.fen, s);
      body = hqEntry(op, op.fen);
      break;
    }
  }
  const state: BalanceState = {
    balanceFen: s.balanceFen + body.deltaFen,
    heldFen: s.heldFen + body.heldDeltaFen,
    holds,
  };
  return { state, entry: stripUndefined(body) };
}

/** An HQ-originated entry (top-up, its reversal, adjustment, refund) changing the balance by `deltaFen`. */
function hqEntry(op: Extract<LedgerOp, { ref: string }>, deltaFen: number): LedgerEntryBody {
  return { kind: op.kind, deltaFen, heldDeltaFen: 0, ref: op.ref, serial: op.serial, note: op.note };
}

/** Recomputes the state from entries alone; the journal checks its stored balance against this. */
export function replayLedger(entries: Iterable<LedgerEntryBody>): BalanceState {
  let balanceFen = 0;
  let heldFen = 0;
  const holds = new Map<string, number>();
  for (const e of entries) {
    balanceFen += e.deltaFen;
    heldFen += e.heldDeltaFen;
    if (e.kind === 'hold' && e.serial) holds.set(e.serial, e.heldDeltaFen);
    if ((e.kind === 'capture' || e.kind === 'release') && e.serial) holds.delete(e.serial);
  }
  return { balanceFen, heldFen, holds };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
