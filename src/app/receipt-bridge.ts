import type { PrintQueue } from '../../devices/printer/print-queue.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { ServiceRegistry } from '../engine/service-registry.ts';
import type { JournalEvent } from '../journal/records.ts';
import type { Logger } from '../platform/logger.ts';
import { type ReceiptStation, receiptForTxn } from './receipt-for-txn.ts';

/**
 * Prints a receipt when a transaction succeeds or is reversed. The printer never decides a
 * transaction: a missing or empty printer queues the receipt for reprint and tells the operator
 * (the print queue's `needs-reprint`). Reprints (补打收据) go through `reprint`.
 */
export class ReceiptBridge {
  private readonly onTxn = (txn: TxnRecord, ev: JournalEvent): void => {
    if (ev.type !== 'txn.transition' || !txn.terminal || ev.from === txn.state) return;
    if (txn.state !== 'succeeded' && txn.result !== 'reversed') return;
    this.print(txn, false).catch((e: unknown) =>
      this.logger.error({ err: e, serial: txn.serial }, 'receipt not printed'),
    );
  };

  constructor(
    private readonly engine: Engine,
    private readonly services: ServiceRegistry,
    private readonly queue: PrintQueue,
    private readonly station: () => ReceiptStation,
    private readonly logger: Logger,
    private readonly clock: { now(): number },
  ) {}

  start(): void {
    this.engine.on('txn', this.onTxn);
  }

  stop(): void {
    this.engine.off('txn', this.onTxn);
  }

  /** Prints (again) the receipt of a transaction; reprints carry the 补打 / REPRINT mark. */
  async reprint(serial: string): Promise<void> {
    await this.print(await this.engine.get(serial), true);
  }

  private async print(txn: TxnRecord, reprint: boolean): Promise<void> {
    const def = this.services.get(txn.service);
    const receipt = receiptForTxn(
      def,
      txn,
      this.station(),
      reprint ? { reprint, reprintedAt: this.clock.now() } : {},
    );
    const r = await this.queue.print(receipt);
    this.logger.info({ serial: txn.serial, outcome: r.outcome, reprint }, 'receipt');
  }
}
