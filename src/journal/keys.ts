/**
 * Key layout of the journal database. Every key is ASCII and sorts in the order it is read.
 *
 *   m:format                 { version }                     on-disk format version
 *   m:counters               { event, serial, ledger }       last numbers handed out
 *   m:balance                { balanceFen, heldFen }         derived; checked against l: by verify
 *   m:outbox                 { ackedThrough }                HQ relay: every event up to here is acknowledged
 *   m:probe                  { at, room }                    written and deleted at once: the disk takes writes again
 *   e:<seq16>                JournalEvent                    append-only log of every transition
 *   t:<serial>               { event } | TxnRecord           latest snapshot: the event holding it (format 3)
 *   l:<seq16>                LedgerEntry                     prepaid balance ledger
 *   h:<serial>               { fen }                         open holds
 *   i:d:<yyyymmdd>:<serial>  ''                              index by business date
 *   i:s:<service>:<serial>   ''                              index by service
 *   i:o:<operator>:<serial>  ''                              index by operator ("~self" for self-service)
 *   i:n:<serial>             ''                              index of non-terminal transactions
 *   p:<code>                 OperatorRecord                  operators
 *   c:<name>                 any                             stored configuration layers (HQ overrides)
 *   r:<ref>                  LedgerEntry                     HQ balance references already applied
 *   q:<serial>               { at }                          receipt due: written with the transition, removed once queued
 *   o:<orderId>              OrderRecord                     self-service orders (tender before any payment)
 *   w:<orderId>              ''                              orders not final yet (resumed at start)
 *   k:<idempotency key>      { order } | { serial }          what a client's idempotency key created
 *   a:n                      AssistCounters                  assisted services' last numbers, per business date
 *   a:r:<id>                 AssistRequest                   assisted service requests (src/assist/assist-store.ts)
 *   a:b:<id>                 Appointment                     appointments
 *   g:<yyyymmdd>             [cut, ledger sums…]             ledger part of a business date's totals (day-totals-codec.ts)
 *   g:<yyyymmdd>:<row>       [recorded, tallies…]            one row (service|who|tender) of that date's totals
 *   m:day-totals             { event, format }               the g: records are maintained through this event
 *   m:follow-key             { key }                         this kiosk's secret for customers' follow tokens (base64url, 32 bytes)
 */
export const FORMAT_KEY = 'm:format';
export const COUNTERS_KEY = 'm:counters';
export const BALANCE_KEY = 'm:balance';
export const OUTBOX_KEY = 'm:outbox';
export const DAY_TOTALS_META_KEY = 'm:day-totals';
export const FOLLOW_KEY_KEY = 'm:follow-key';
export const SELF_OPERATOR = '~self';
export const SERIAL_DIGITS = 10;

export const pad16 = (n: number): string => String(n).padStart(16, '0');
export const formatSerial = (n: number): string => String(n).padStart(SERIAL_DIGITS, '0');

export const eventKey = (seq: number): string => `e:${pad16(seq)}`;
export const txnKey = (serial: string): string => `t:${serial}`;
export const ledgerKey = (seq: number): string => `l:${pad16(seq)}`;
export const holdKey = (serial: string): string => `h:${serial}`;
export const dayIndexKey = (date: string, serial: string): string => `i:d:${date}:${serial}`;
export const serviceIndexKey = (service: string, serial: string): string => `i:s:${service}:${serial}`;
export const operatorIndexKey = (op: string | null, serial: string): string =>
  `i:o:${op ?? SELF_OPERATOR}:${serial}`;
export const openIndexKey = (serial: string): string => `i:n:${serial}`;
export const operatorKey = (code: string): string => `p:${code}`;
export const configKey = (name: string): string => `c:${name}`;
export const refKey = (ref: string): string => `r:${ref}`;
export const receiptDueKey = (serial: string): string => `q:${serial}`;
export const orderKey = (id: string): string => `o:${id}`;
export const openOrderKey = (id: string): string => `w:${id}`;
export const dayTotalsKey = (date: string): string => `g:${date}`;
export const clientKeyKey = (key: string): string => `k:${key}`;
export const ASSIST_COUNTERS_KEY = 'a:n';
export const assistRequestKey = (id: string): string => `a:r:${id}`;
export const appointmentKey = (id: string): string => `a:b:${id}`;

/** gte/lt bounds for every key starting with `prefix`. */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: `${prefix}\xff` };
}

export const seqFromKey = (key: string): number => Number(key.slice(2));
export const lastSegment = (key: string): string => key.slice(key.lastIndexOf(':') + 1);
