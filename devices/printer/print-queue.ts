import { EventEmitter } from 'node:events';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { type Logger, silentLogger } from '../../src/platform/logger.ts';
import { parseReceipt, type Receipt } from '../../src/receipts/receipt.ts';
import { DeviceError, type DeviceHealth } from '../device.ts';
import { PrintError, type Printer, reason } from './printer.ts';
import type { PendingReceipt, PrintQueueStore } from './queue-store.ts';

/**
 * Receipt printing for the transaction engine. A receipt never makes a transaction fail: when the
 * printer is absent, out of paper or stops part-way through a receipt, `print()` still resolves
 * (outcome `queued`), the receipt is saved for reprint and `needs-reprint` tells the operator.
 * Reprints always carry the 补打 / REPRINT mark, so a second copy is never mistaken for the first.
 * When the printer becomes ready again, `ready` is emitted and, with `autoReprint`, the queue
 * reprints by itself; otherwise the operator starts `reprint()` / `reprintAll()`.
 *
 * Rejections: only an invalid receipt (KioskValidationError, e.g. an unmasked phone number), which
 * is a programming error the caller must log; nothing is queued then.
 */
export type PrintOutcome =
  | { outcome: 'printed'; jobId: string; serial: string; reprint: boolean }
  | { outcome: 'queued'; jobId: string; serial: string; reason: PendingReceipt['reason']; partial: boolean };

export interface NeedsReprint {
  jobId: string;
  serial: string;
  reason: PendingReceipt['reason'];
  partial: boolean;
  /** Receipts waiting, this one included. */
  pending: number;
}

export interface PrintQueueEvents {
  'needs-reprint': [NeedsReprint];
  printed: [{ jobId: string; serial: string; reprint: boolean }];
  /** The printer is usable again and receipts are waiting. */
  ready: [{ pending: number }];
}

export interface PrintQueueDeps {
  printer: Printer;
  store: PrintQueueStore;
  /** Receipt → printer bytes (layout + ESC/POS for the configured paper and command set). */
  encode: (receipt: Receipt) => Uint8Array;
  clock?: Clock;
  logger?: Logger;
  autoReprint?: boolean;
}

export class PrintQueue extends EventEmitter<PrintQueueEvents> {
  private pendingList: PendingReceipt[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;
  private readonly log: Logger;
  private started = false;
  private autoRunning = false;
  private readonly onHealth = (h: DeviceHealth) => this.printerHealth(h);

  constructor(private readonly deps: PrintQueueDeps) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger();
  }

  /** Loads the saved pending receipts and follows the printer's health. */
  async start(): Promise<void> {
    if (this.started) return;
    this.pendingList = await this.deps.store.load();
    this.started = true;
    this.deps.printer.on('health', this.onHealth);
    if (this.pendingList.length > 0) this.printerHealth(this.deps.printer.health());
  }

  /** Stops following the printer and waits for the job in progress. */
  async stop(): Promise<void> {
    this.started = false;
    this.deps.printer.off('health', this.onHealth);
    await this.chain.catch(() => undefined);
  }

  pending(): readonly PendingReceipt[] {
    return this.pendingList.map((p) => ({ ...p }));
  }

  /** Prints a receipt as described (set `reprint` for an operator's 补打 of a past transaction). */
  print(receipt: Receipt): Promise<PrintOutcome> {
    const r = parseReceipt(receipt);
    return this.exclusive(() => this.attempt(r, r.serial, 1));
  }

  /** Reprints one waiting receipt (by serial or job id), with the reprint mark. */
  reprint(serialOrJobId: string): Promise<PrintOutcome> {
    return this.exclusive(async () => {
      const p = this.find(serialOrJobId);
      if (!p) throw new RangeError(`no receipt waiting for reprint: ${serialOrJobId}`);
      return this.attempt(p.receipt, `${p.serial}-r${p.attempts}`, p.attempts + 1);
    });
  }

  /** Reprints every waiting receipt in the order they were queued; stops at the first failure. */
  async reprintAll(): Promise<PrintOutcome[]> {
    const out: PrintOutcome[] = [];
    for (const p of this.pending()) {
      // Another caller may have reprinted or dismissed it meanwhile.
      const o = await this.reprint(p.serial).catch((e: unknown) => {
        if (e instanceof RangeError) return undefined;
        throw e;
      });
      if (!o) continue;
      out.push(o);
      if (o.outcome === 'queued') break;
    }
    return out;
  }

  /** The operator gave up on a receipt (customer left): drop it from the queue. */
  dismiss(serialOrJobId: string): Promise<boolean> {
    return this.exclusive(async () => {
      const p = this.find(serialOrJobId);
      if (!p) return false;
      this.pendingList = this.pendingList.filter((x) => x !== p);
      await this.save();
      return true;
    });
  }

  private find(key: string): PendingReceipt | undefined {
    return this.pendingList.find((p) => p.serial === key || p.jobId === key);
  }

  private async attempt(receipt: Receipt, jobId: string, attempts: number): Promise<PrintOutcome> {
    const queued = this.find(receipt.serial);
    const toPrint: Receipt = queued ? { ...receipt, reprint: true, reprintedAt: this.clock.now() } : receipt;
    try {
      await this.deps.printer.print(this.deps.encode(toPrint), jobId);
    } catch (e) {
      return this.enqueue(receipt, jobId, attempts, e);
    }
    if (queued) {
      this.pendingList = this.pendingList.filter((x) => x !== queued);
      await this.save();
    }
    const done = { jobId, serial: receipt.serial, reprint: toPrint.reprint };
    this.emit('printed', done);
    return { outcome: 'printed', ...done };
  }

  private async enqueue(
    receipt: Receipt,
    jobId: string,
    attempts: number,
    e: unknown,
  ): Promise<PrintOutcome> {
    if (!(e instanceof DeviceError)) this.log.error({ err: e, jobId }, 'receipt print failed unexpectedly');
    const why = e instanceof DeviceError ? { code: e.code, zh: e.zh, en: e.en } : reason('DEVICE_E_IO');
    const previous = this.find(receipt.serial);
    // Once part of a receipt was printed, the operator must hear that, whatever happens next.
    const partial = (e instanceof PrintError && e.partial) || previous?.partial === true;
    const entry: PendingReceipt = {
      jobId,
      serial: receipt.serial,
      receipt,
      reason: why,
      partial,
      queuedAt: previous?.queuedAt ?? this.clock.now(),
      attempts,
    };
    this.pendingList = [...this.pendingList.filter((p) => p.serial !== receipt.serial), entry];
    await this.save();
    this.log.warn({ jobId, serial: receipt.serial, reason: why.code, partial }, 'receipt queued for reprint');
    this.emit('needs-reprint', {
      jobId,
      serial: receipt.serial,
      reason: why,
      partial,
      pending: this.pendingList.length,
    });
    return { outcome: 'queued', jobId, serial: receipt.serial, reason: why, partial };
  }

  /** Saving is awaited; a failing store is logged and the list kept in memory. */
  private async save(): Promise<void> {
    try {
      await this.deps.store.save(this.pendingList);
    } catch (e) {
      this.log.error({ err: e }, 'cannot save the print queue');
    }
  }

  private printerHealth(h: DeviceHealth): void {
    if (!this.started || h.state === 'offline' || this.pendingList.length === 0) return;
    this.emit('ready', { pending: this.pendingList.length });
    if (this.deps.autoReprint && !this.autoRunning) {
      this.autoRunning = true;
      void this.reprintAll()
        .catch((e: unknown) => this.log.error({ err: e }, 'automatic reprint failed'))
        .finally(() => {
          this.autoRunning = false;
        });
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
