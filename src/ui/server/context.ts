import { CardReads } from '../../app/card-reads.ts';
import { businessDate } from '../../core/business-day.ts';
import { FINAL_ORDER_STATUSES } from '../../core/orders/order.ts';
import type { RuleContext, ServiceDefinition, TxnRecord } from '../../core/transaction/types.ts';
import { StatementDesk } from '../../reconcile/statement-desk.ts';
import { StatementFolders } from '../../reconcile/statement-folders.ts';
import type { ServiceLookup } from '../../reports/mask-txn.ts';
import { type TxnView, txnView } from '../../reports/txn-view.ts';
import { EventHub } from './event-hub.ts';
import { type Followed, FollowTokens, followable } from './follow-tokens.ts';
import type { ServerKiosk } from './server-kiosk.ts';
import type { SessionStore } from './sessions.ts';

/** What every route needs: the kiosk, the sessions and the event hub, and small shared helpers. */
export class ServerContext {
  readonly lookup: ServiceLookup;
  readonly hub: EventHub;
  /** Card reads a screen names by token instead of the card's full numbers. */
  readonly cardReads: CardReads;
  /** Tokens that open a customer's event stream for the one transaction or order they created. */
  readonly follow: FollowTokens;
  /** The statements folders (`reports.statements`) and the reconciliation of their statements. */
  readonly statementFolders: StatementFolders;
  readonly statements: StatementDesk;

  constructor(
    readonly kiosk: ServerKiosk,
    readonly sessions: SessionStore,
  ) {
    this.lookup = (id: string): ServiceDefinition | undefined =>
      kiosk.services.has(id) ? kiosk.services.get(id) : undefined;
    this.hub = new EventHub(kiosk, this.lookup);
    this.follow = new FollowTokens(kiosk.followKey);
    this.cardReads = new CardReads(() => kiosk.devices?.cardReader, kiosk.clock);
    this.statementFolders = new StatementFolders(() => ({
      dataDir: kiosk.config.dataDir,
      ...kiosk.config.reports.statements,
    }));
    this.statements = new StatementDesk({
      folders: this.statementFolders,
      transactionsOfDates: (from, to) => kiosk.records.transactionsOfDates(from, to),
      station: () => kiosk.config.stationId,
      terminal: () => kiosk.cardTerminal.facts().terminal?.terminalNo ?? null,
      maxBytes: () => kiosk.config.reports.statements.maxBytes,
    });
  }

  /** Whether the transaction or order a follow token names is still one to follow (see `followable`). */
  async stillFollowed(what: Followed): Promise<boolean> {
    if (what.kind === 'order') {
      const o = await this.kiosk.orderBook.find(what.id);
      return followable(
        o && { final: FINAL_ORDER_STATUSES.has(o.status), updatedAt: o.updatedAt },
        this.now(),
      );
    }
    const t = await this.kiosk.engine.get(what.id).catch(() => undefined);
    return followable(t && { final: t.terminal, updatedAt: t.updatedAt }, this.now());
  }

  now(): number {
    return this.kiosk.clock.now();
  }

  /** The current business date (账务日期), yyyymmdd. */
  today(): string {
    return businessDate(this.now(), this.kiosk.config.business.dayCut);
  }

  rules(): RuleContext {
    return { clock: this.kiosk.clock, config: this.kiosk.config, facts: this.kiosk.cardTerminal.facts() };
  }

  view(txn: TxnRecord): TxnView {
    return txnView(txn, this.lookup, this.rules());
  }

  /** Transactions of one business date, oldest first. */
  transactionsOn(date: string): Promise<TxnRecord[]> {
    return this.kiosk.records.transactionsOn(date);
  }
}
