import { localInstant } from '../../../src/core/business-day.ts';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import type { ServiceLookup } from '../../../src/reports/mask-txn.ts';

export const lookup: ServiceLookup = (id) => SERVICE_CATALOGUE.find((d) => d.id === id);

/** Epoch ms of a local (Asia/Shanghai) date yyyymmdd and time hh:mm:ss. */
export function at(date: string, hhmmss: string): number {
  return (
    localInstant(date, `${hhmmss.slice(0, 2)}:${hhmmss.slice(2, 4)}`) + Number(hhmmss.slice(4, 6)) * 1000
  );
}

let n = 0;

/** A transaction snapshot as the engine stores it; a mobile top-up that succeeded unless told otherwise. */
export function txn(o: Partial<TxnRecord> = {}): TxnRecord {
  n++;
  const createdAt = o.createdAt ?? at('20261126', '100000');
  return {
    v: 1,
    serial: String(n).padStart(10, '0'),
    idempotencyKey: `key-${n}`,
    stationId: '33010001',
    service: 'mobile-topup',
    channel: 'operator',
    operator: 'A001',
    businessDate: '20261126',
    createdAt,
    updatedAt: createdAt,
    state: 'succeeded',
    stateSince: createdAt,
    terminal: true,
    result: 'succeeded',
    fields: { phone: '13800138000', amount: '50.00' },
    amountFen: 5000,
    feeFen: 50,
    data: {},
    attempts: 1,
    generation: 0,
    alerts: [],
    ...o,
  };
}
