import { applyLedgerOp, type BalanceState, type LedgerEntry, type LedgerOp } from '../core/ledger.ts';
import { isFinalOrder, type OrderRecord } from '../core/orders/order.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { GENESIS, link } from './chain.ts';
import { encodeValue, jsonOf } from './codec.ts';
import {
  BALANCE_KEY,
  COUNTERS_KEY,
  dayIndexKey,
  eventKey,
  formatSerial,
  holdKey,
  ledgerKey,
  openIndexKey,
  openOrderKey,
  operatorIndexKey,
  orderKey,
  serviceIndexKey,
  txnKey,
} from './keys.ts';
import type { BalanceRecord, Counters, JournalEvent } from './records.ts';
import { encodeTxnPointer } from './txn-records.ts';

export type BatchOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

export type NewEvent = JournalEvent extends infer E
  ? E extends JournalEvent
    ? Omit<E, 'seq' | 'at' | 'stationId'>
    : never
  : never;

/**
 * Collects everything one atomic commit writes. Works on copies of the counters and the balance;
 * the journal adopts them only after the batch is durable, so a failed write changes nothing.
 */
export class WriteBatch {
  readonly ops: BatchOp[] = [];
  readonly events: JournalEvent[] = [];
  /** The stored JSON text of each of `events`, in the same order (serialised once, here). */
  readonly eventTexts: string[] = [];
  readonly ledgerEntries: LedgerEntry[] = [];
  /** Every snapshot written, in order (the per-date totals follow them). */
  readonly txnsWritten: TxnRecord[] = [];
  /** Serials of the transactions this batch creates (written with no snapshot before them). */
  readonly txnsCreated = new Set<string>();
  /** Orders written, by id. */
  readonly ordersWritten = new Map<string, OrderRecord>();
  private countersDirty = false;
  private balanceDirty = false;

  constructor(
    readonly at: number,
    private readonly stationId: string,
    public counters: Counters,
    public balance: BalanceState,
  ) {}

  /** Hands out the next serial number (流水号); it exists only if this batch is written. */
  nextSerial(): string {
    this.counters = { ...this.counters, serial: this.counters.serial + 1 };
    this.countersDirty = true;
    return formatSerial(this.counters.serial);
  }

  /** Appends an event, linked into the hash chain after the previous one. */
  event(body: NewEvent): JournalEvent {
    const prev = this.counters.chain ?? GENESIS;
    const seq = this.counters.event + 1;
    const ev: JournalEvent = { seq, at: this.at, stationId: this.stationId, ...body, prev };
    const value = encodeValue(ev);
    this.counters = { ...this.counters, event: seq, chain: link(prev, value) };
    this.countersDirty = true;
    this.ops.push({ type: 'put', key: eventKey(ev.seq), value });
    this.events.push(ev);
    this.eventTexts.push(jsonOf(value));
    return ev;
  }

  /**
   * Stores the snapshot and keeps the indexes in step with it: `previous` is the snapshot it
   * replaces (none for a new transaction, which also gets its fixed indexes). The open index
   * changes only when the transaction becomes final or is reopened by an action. When an event of
   * this batch carries this very snapshot, `t:` only names that event (the snapshot is stored once).
   */
  putTxn(txn: TxnRecord, previous?: Pick<TxnRecord, 'terminal'>): void {
    const carrier = this.events.findLast((ev) => 'txn' in ev && ev.txn === txn && ev.serial === txn.serial);
    const value = carrier ? encodeTxnPointer(carrier.seq) : encodeValue(txn);
    this.ops.push({ type: 'put', key: txnKey(txn.serial), value });
    this.txnsWritten.push(txn);
    if (!previous) {
      this.txnsCreated.add(txn.serial);
      this.ops.push({ type: 'put', key: dayIndexKey(txn.businessDate, txn.serial), value: '' });
      this.ops.push({ type: 'put', key: serviceIndexKey(txn.service, txn.serial), value: '' });
      this.ops.push({ type: 'put', key: operatorIndexKey(txn.operator, txn.serial), value: '' });
    }
    if (previous && previous.terminal === txn.terminal) return;
    if (txn.terminal) this.ops.push({ type: 'del', key: openIndexKey(txn.serial) });
    else this.ops.push({ type: 'put', key: openIndexKey(txn.serial), value: '' });
  }

  /**
   * Stores an order with its `order` event and keeps the open-order index in step: an order is
   * open until its status is final.
   */
  putOrder(order: OrderRecord, info?: Record<string, unknown>): JournalEvent {
    this.ops.push({ type: 'put', key: orderKey(order.id), value: encodeValue(order) });
    this.ordersWritten.set(order.id, order);
    if (isFinalOrder(order)) this.ops.push({ type: 'del', key: openOrderKey(order.id) });
    else this.ops.push({ type: 'put', key: openOrderKey(order.id), value: '' });
    return this.event({ type: 'order', order, ...(info ? { info } : {}) });
  }

  /**
   * Applies a ledger operation to the working balance and records its entry (and a `ledger`
   * event). Throws KIOSK_E_INSUFFICIENT_BALANCE without recording anything.
   */
  ledger(op: LedgerOp): LedgerEntry {
    const { state, entry } = applyLedgerOp(this.balance, op);
    this.balance = state;
    this.balanceDirty = true;
    this.counters = { ...this.counters, ledger: this.counters.ledger + 1 };
    this.countersDirty = true;
    const full: LedgerEntry = {
      seq: this.counters.ledger,
      at: this.at,
      ...entry,
      balanceAfterFen: state.balanceFen,
      heldAfterFen: state.heldFen,
    };
    this.ops.push({ type: 'put', key: ledgerKey(full.seq), value: encodeValue(full) });
    if (op.kind === 'hold')
      this.ops.push({ type: 'put', key: holdKey(op.serial), value: encodeValue({ fen: op.fen }) });
    if (op.kind === 'capture' || op.kind === 'release')
      this.ops.push({ type: 'del', key: holdKey(op.serial) });
    this.ledgerEntries.push(full);
    return full;
  }

  put(key: string, body: unknown): void {
    this.ops.push({ type: 'put', key, value: encodeValue(body) });
  }

  del(key: string): void {
    this.ops.push({ type: 'del', key });
  }

  /** Final op list, with the counters and balance records when they changed. */
  finish(): BatchOp[] {
    if (this.countersDirty)
      this.ops.push({ type: 'put', key: COUNTERS_KEY, value: encodeValue(this.counters) });
    if (this.balanceDirty) {
      const rec: BalanceRecord = { balanceFen: this.balance.balanceFen, heldFen: this.balance.heldFen };
      this.ops.push({ type: 'put', key: BALANCE_KEY, value: encodeValue(rec) });
    }
    return this.ops;
  }
}
