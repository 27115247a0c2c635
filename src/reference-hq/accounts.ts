import { type HqStore, KeyExistsError, type StoreOp } from './store.ts';

export interface StationAccount {
  balanceFen: number;
  updatedAt: number;
}

/**
 * HQ's side of each station's prepaid account (信誉度). Billers debit it when they accept a payment
 * and credit it back on reversal or refund; counter top-ups credit it. Zero credit line: a debit
 * that would go below zero is refused. Every change is one durable batch with its reference.
 */
export class Accounts {
  constructor(
    private readonly store: HqStore,
    private readonly now: () => number,
    private readonly openingFen: number,
  ) {}

  async get(station: string): Promise<StationAccount> {
    return (await this.store.get<StationAccount>(`a:${station}`)) ?? { balanceFen: 0, updatedAt: 0 };
  }

  async exists(station: string): Promise<boolean> {
    return (await this.store.get<StationAccount>(`a:${station}`)) !== undefined;
  }

  /**
   * Opens the account of a station seen for the first time with the opening credit (fen), in one
   * batch with `withOps` (the command that tells the kiosk). Returns false when it exists already.
   */
  async openIfNew(station: string, withOps: readonly StoreOp[] = []): Promise<boolean> {
    return this.store.withLock(`account:${station}`, async () => {
      if (await this.exists(station)) return false;
      try {
        await this.store.batch([
          {
            type: 'insert',
            key: `a:${station}`,
            value: { balanceFen: this.openingFen, updatedAt: this.now() },
          },
          ...withOps,
        ]);
      } catch (e) {
        if (e instanceof KeyExistsError) return false;
        throw e;
      }
      return true;
    });
  }

  /** Opening credit of a new station, fen. */
  get openingCredit(): number {
    return this.openingFen;
  }

  /**
   * Applies a signed change once per `ref`, in one atomic batch with `withOps` (the biller record
   * that the money moves for), so a crash never leaves one without the other. Returns false, writing
   * nothing, when the ref was applied before; throws RangeError when a debit would take the balance
   * below zero.
   */
  async change(
    station: string,
    deltaFen: number,
    ref: string,
    note: string,
    withOps: readonly StoreOp[] = [],
  ): Promise<boolean> {
    return this.store.withLock(`account:${station}`, async () => {
      if ((await this.store.get(`ar:${ref}`)) !== undefined) return false;
      const stored = await this.store.get<StationAccount>(`a:${station}`);
      const next = (stored?.balanceFen ?? 0) + deltaFen;
      if (next < 0) throw new RangeError(`station ${station} prepaid balance too low`);
      try {
        // The account as read (compare-and-set), the reference unique: a second HQ instance that
        // moved the same money first makes this write nothing.
        await this.store.batch([
          { type: 'expect', key: `a:${station}`, value: stored },
          { type: 'put', key: `a:${station}`, value: { balanceFen: next, updatedAt: this.now() } },
          { type: 'insert', key: `ar:${ref}`, value: { station, deltaFen, note, at: this.now() } },
          ...withOps,
        ]);
      } catch (e) {
        if (e instanceof KeyExistsError && e.key === `ar:${ref}`) return false;
        throw e;
      }
      return true;
    });
  }
}
