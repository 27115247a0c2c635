import type { CardTerminal } from '../../app/card-terminal.ts';
import type { DeviceDesk } from '../../app/device-desk.ts';
import type { KioskDevices } from '../../app/device-wiring.ts';
import type { ReceiptBridge } from '../../app/receipt-bridge.ts';
import type { AssistDesk } from '../../assist/assist-desk.ts';
import type { BalanceService } from '../../balance/balance-service.ts';
import type { LowBalanceWatch } from '../../balance/low-balance-watch.ts';
import type { KioskConfig } from '../../config/schema.ts';
import type { Availability } from '../../core/availability.ts';
import type { Clock } from '../../core/clock.ts';
import type { ServiceDefinition } from '../../core/transaction/types.ts';
import type { Engine } from '../../engine/engine.ts';
import type { ServiceRegistry } from '../../engine/service-registry.ts';
import type { JournalProblem } from '../../journal/journal.ts';
import type { JournalReader } from '../../journal/journal-reader.ts';
import type { Operators } from '../../operators/operators.ts';
import type { ClientKeys } from '../../orders/client-keys.ts';
import type { OrderBook } from '../../orders/order-book.ts';
import type { OrderDesk } from '../../orders/order-desk.ts';
import type { SettlementBook } from '../../settlement/settlement-book.ts';

/** The engine operations the local API offers: start, look up and act on transactions, ask HQ. */
export type ServerEngine = Pick<
  Engine,
  'get' | 'create' | 'quote' | 'inquire' | 'list' | 'act' | 'askHq' | 'safeMode' | 'busy'
>;

/**
 * What the local HTTP API uses of the running kiosk, and nothing more: the engine's operations,
 * the journal's read-only queries (never a key or a write), the desks behind each group of routes
 * and the devices a route reads. The kiosk (src/app) provides it.
 */
export interface ServerKiosk {
  readonly clock: Clock;
  readonly config: KioskConfig;
  /** This kiosk's secret for customers' follow tokens (kept in its journal; survives restarts). */
  readonly followKey: Buffer;
  /** When the kiosk started (ms since the epoch). */
  readonly startedAt: number;
  /** Journal problems found since the start (safe mode while any is unresolved). */
  readonly problems: readonly JournalProblem[];
  readonly services: Pick<ServiceRegistry, 'get' | 'has' | 'list'>;
  readonly engine: ServerEngine;
  readonly records: JournalReader;
  readonly balance: Pick<BalanceService, 'summary'>;
  readonly lowBalance: Pick<LowBalanceWatch, 'current'> | undefined;
  readonly operators: Pick<Operators, 'login' | 'list' | 'add' | 'passwd' | 'unlock'>;
  readonly settlements: Pick<SettlementBook, 'record' | 'preview' | 'list' | 'handovers' | 'handover'>;
  readonly orders: Pick<OrderDesk, 'list' | 'create' | 'cashReceived' | 'cancel'>;
  readonly orderBook: Pick<OrderBook, 'find' | 'get'>;
  readonly clientKeys: Pick<ClientKeys, 'once'>;
  readonly cardTerminal: Pick<CardTerminal, 'facts' | 'status' | 'signIn' | 'history'>;
  readonly assist: AssistDesk;
  readonly receipts: Pick<ReceiptBridge, 'reprint'> | undefined;
  readonly devices: Pick<KioskDevices, 'cardReader' | 'printQueue' | 'display' | 'sign'> | undefined;
  /** The operator's device actions; undefined until the devices start. */
  readonly deviceDesk: Pick<DeviceDesk, 'list' | 'testPage' | 'reconnect'> | undefined;
  /** Whether a service can be used now by an operator or (`self`) a customer, and why not. */
  availability(def: ServiceDefinition, self: boolean): Availability;
}
