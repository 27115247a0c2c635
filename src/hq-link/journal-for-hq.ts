import type { ServiceDefinition } from '../core/transaction/types.ts';
import type { JournalBatch } from '../protocol/schemas/index.ts';
import { maskFields, replaceKnown, type ServiceLookup, secretsOf } from '../reports/mask-txn.ts';

type WireEvent = JournalBatch['events'][number];

/**
 * A journal batch as it leaves for HQ: the input fields of every transaction and order masked by
 * their service's declared sensitivity, and every other occurrence of those full values in the
 * event (inquiry answers, biller data, reasons) replaced by the masked form. HQ keeps the record of
 * what happened, never the customer's number: the number reaches HQ only in the biller request
 * that needs it. The kiosk's own journal keeps the full values (retries and status queries use
 * them). Pure.
 */
export function journalForHq(batch: JournalBatch, lookup: ServiceLookup): JournalBatch {
  return { ...batch, events: batch.events.map((ev) => eventForHq(ev, lookup)) };
}

function eventForHq(ev: WireEvent, lookup: ServiceLookup): WireEvent {
  const e = ev as WireEvent & {
    txn?: { service?: unknown; fields?: unknown };
    order?: { service?: unknown; fields?: unknown };
  };
  let out: WireEvent = ev;
  for (const key of ['txn', 'order'] as const) {
    const rec = e[key];
    if (!rec || typeof rec.service !== 'string' || !isRecord(rec.fields)) continue;
    const def: ServiceDefinition | undefined = lookup(rec.service);
    const secrets = secretsOf(def, rec.fields);
    out = replaceKnown(
      { ...out, [key]: { ...rec, fields: maskFields(def, rec.fields) } },
      secrets,
    ) as WireEvent;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
