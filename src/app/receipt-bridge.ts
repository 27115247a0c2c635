import type { PrintQueue } from '../../devices/printer/print-queue.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { ServiceRegistry } from '../engine/service-registry.ts';
import type { Journal } from '../journal/journal.ts';
import type { JournalEvent } from '../journal/records.ts';
import type { Logger } from '../platform/logger.ts';
import { type ReceiptStation, receiptFor } from '../reports/receipt-data.ts';

/**
 * Prints the receipt of every transaction that reaches a state with a receipt (succeeded,
 * reversed). The engine records the receipt as due in the same batch as that transition; the mark
 * is removed only once the print queue has the receipt (printed, or kept for reprint), so a crash
 * in between is made good at the next start. The printer never decides a transaction: a missing
 * or empty printer queues the receipt and tells the operator (`needs-reprint`).
 */
export class ReceiptBridge {
  private readonly onTxn = (txn: TxnRecord, ev: JournalEvent): void => {
    if (ev.type !== 'txn.transition' || !txn.terminal || ev.from === txn.state) return;
    const state = this.services.get(txn.service).states[txn.state];
    if (state?.type !== 'terminal' || !state.receipt) return;
    this.printDue(txn).catch((e: unknown) =>
      this.logger.error({ err: e, serial: txn.serial }, 'receipt not printed'),
    );
  };

  constructor(
    private readonly engine: Engine,
    private readonly journal: Journal,
    private readonly services: ServiceRegistry,
    private readonly queue: PrintQueue,
    private readonly station: () => ReceiptStation,
    private readonly logger: Logger,
    private readonly clock: { now(): number },
  ) {}

  /** Starts following transactions and prints receipts left due by an interrupted run. */
  async start(): Promise<void> {
    this.engine.on('txn', this.onTxn);
    for (const serial of await this.journal.receiptsDue()) {
      // A receipt that cannot be printed (its record unreadable: safe mode reports that) stays due.
      try {
        const txn = await this.journal.getTxn(serial);
        if (txn) await this.printDue(txn);
      } catch (e) {
        this.logger.error({ err: e, serial }, 'due receipt not printed');
      }
    }
  }

  stop(): void {
    this.engine.off('txn', this.onTxn);
  }

  /**
   * Prints the receipt of a final transaction again (补打收据), with the 补打 / REPRINT mark,
   * through the print queue (a printer out of paper keeps it for later), and journals who asked.
   */
  async reprint(serial: string, operator: string): Promise<{ serial: string; outcome: string; at: number }> {
    const txn = await this.engine.get(serial);
    const at = this.clock.now();
    const receipt = receiptFor(txn, this.services.get(txn.service), { ...this.station(), reprint: true, at });
    await this.journal.commit((b) => {
      b.event({ type: 'operator', serial, info: { kind: 'receipt-reprint', serial, operator } });
    });
    const r = await this.queue.print(receipt);
    this.logger.info({ serial, outcome: r.outcome, reprint: true, operator }, 'receipt');
    return { serial, outcome: r.outcome, at };
  }

  private async printDue(txn: TxnRecord): Promise<void> {
    const receipt = receiptFor(txn, this.services.get(txn.service), this.station());
    const r = await this.queue.print(receipt);
    await this.journal.receiptQueued(txn.serial);
    this.logger.info({ serial: txn.serial, outcome: r.outcome }, 'receipt');
  }
}
