import { toLocal } from '../core/business-day.ts';
import { Money } from '../core/money.ts';
import type {
  Channel,
  RuleContext,
  ServiceDefinition,
  ServiceLine,
  StateLabel,
  TxnRecord,
  TxnResult,
} from '../core/transaction/types.ts';
import { maskFields, maskKnown, type ServiceLookup, secretsOf } from './mask-txn.ts';
import { type Bilingual, describeStatus, stateLabel, type TxnStatus } from './state-labels.ts';

/**
 * A transaction as people and clients see it: masked, money as yuan strings, the state in words
 * and what the kiosk is doing about it. Never contains a full phone, account or card number.
 */
export interface TxnView {
  serial: string;
  service: string;
  serviceName: Bilingual;
  businessDate: string;
  /** Local (Asia/Shanghai) time of creation, hhmmss. */
  time: string;
  createdAt: number;
  updatedAt: number;
  channel: Channel;
  operator: string | null;
  state: string;
  stateLabel: StateLabel;
  terminal: boolean;
  result: TxnResult | null;
  amount: string;
  fee: string;
  /** amount + fee: what the customer pays. */
  total: string;
  fields: Record<string, unknown>;
  data: Record<string, unknown>;
  alerts: string[];
  reason: { code: string; zh: string; en: string } | null;
  status: TxnStatus;
  /** What the customer got (the service's receipt lines), once it succeeded; empty before. */
  details: ServiceLine[];
}

/** The service's lines of what the customer got, once the transaction succeeded. Pure. */
export function detailsOf(txn: TxnRecord, def: ServiceDefinition | undefined): ServiceLine[] {
  if (!def?.receipt || !txn.terminal || txn.result !== 'succeeded') return [];
  return def.receipt(txn).filter((l) => l.value !== '');
}

export function yuan(fen: number): string {
  return Money.fenString(fen);
}

/** Builds the masked view of one transaction. Pure. */
export function txnView(txn: TxnRecord, services: ServiceLookup, ctx?: RuleContext): TxnView {
  const def = services(txn.service);
  const secrets = secretsOf(def, txn.fields);
  const view: TxnView = {
    serial: txn.serial,
    service: txn.service,
    serviceName: def ? { ...def.title } : { zh: txn.service, en: txn.service },
    businessDate: txn.businessDate,
    time: toLocal(txn.createdAt).hhmmss,
    createdAt: txn.createdAt,
    updatedAt: txn.updatedAt,
    channel: txn.channel,
    operator: txn.operator,
    state: txn.state,
    stateLabel: stateLabel(txn.state, def),
    terminal: txn.terminal,
    result: txn.result ?? null,
    amount: yuan(txn.amountFen),
    fee: yuan(txn.feeFen),
    total: yuan(txn.amountFen + txn.feeFen),
    fields: maskFields(def, txn.fields),
    data: txn.data,
    alerts: [...txn.alerts],
    reason: txn.reason ? { ...txn.reason } : null,
    status: describeStatus(txn, def, ctx),
    details: detailsOf(txn, def),
  };
  return maskKnown(view, secrets) as TxnView;
}
