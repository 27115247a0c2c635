import { maskValue } from '../core/mask.ts';
import type { ServiceDefinition } from '../core/transaction/types.ts';
import type { OutboxEntry } from '../journal/journal.ts';
import type { JournalBatch } from '../protocol/schemas/index.ts';
import {
  maskFields,
  replaceKnown,
  type ServiceLookup,
  secretsOf,
  sensitiveKindOf,
} from '../reports/mask-txn.ts';
import type { OutboxBatch } from './relay.ts';

type WireEvent = JournalBatch['events'][number];

/**
 * A journal batch as it leaves for HQ, as the message text: the input fields of every transaction
 * and order masked by their service's declared sensitivity, and every other occurrence of those
 * full values in the event (inquiry answers, biller data, reasons) replaced by the masked form.
 * HQ keeps the record of what happened, never the customer's number: the number reaches HQ only
 * in the biller request that needs it. The kiosk's own journal keeps the full values (retries and
 * status queries use them).
 *
 * An event with nothing to mask goes as the JSON text it was stored as (serialised once, when it
 * was written); one with something to mask is read from that text, masked and serialised again.
 * Pure.
 */
export function journalPayload(batch: OutboxBatch, lookup: ServiceLookup): string {
  const head = JSON.stringify({ v: 1, station: batch.station, ...(batch.resend ? { resend: true } : {}) });
  const events = batch.entries.map((e) => eventText(e, lookup));
  return `${head.slice(0, -1)},"events":[${events.join(',')}]}`;
}

function eventText(entry: OutboxEntry, lookup: ServiceLookup): string {
  if (entry.json !== undefined && !hasMaskedField(entry.event, lookup)) return entry.json;
  const event = entry.json !== undefined ? (JSON.parse(entry.json) as WireEvent) : (entry.event as WireEvent);
  return JSON.stringify(eventForHq(event, lookup));
}

/** The event's transaction or order has a field its declared sensitivity changes when masked. */
function hasMaskedField(ev: object, lookup: ServiceLookup): boolean {
  for (const rec of recordsOf(ev)) {
    const def = lookup(rec.service);
    for (const [k, v] of Object.entries(rec.fields)) {
      const kind = sensitiveKindOf(def, k);
      if (kind && typeof v === 'string' && maskValue(kind, v) !== v) return true;
    }
  }
  return false;
}

/** The event as HQ may see it. Pure. */
export function eventForHq(ev: WireEvent, lookup: ServiceLookup): WireEvent {
  let out: WireEvent = ev;
  for (const [key, rec] of recordsOf(ev).map((r) => [r.key, r] as const)) {
    const def: ServiceDefinition | undefined = lookup(rec.service);
    const secrets = secretsOf(def, rec.fields);
    out = replaceKnown(
      { ...out, [key]: { ...rec.record, fields: maskFields(def, rec.fields) } },
      secrets,
    ) as WireEvent;
  }
  return out;
}

interface FieldRecord {
  key: 'txn' | 'order';
  record: object;
  service: string;
  fields: Record<string, unknown>;
}

/** The transaction and order an event carries, with their service and input fields. */
function recordsOf(ev: object): FieldRecord[] {
  const out: FieldRecord[] = [];
  for (const key of ['txn', 'order'] as const) {
    const rec = (ev as Record<string, unknown>)[key] as { service?: unknown; fields?: unknown } | undefined;
    if (!rec || typeof rec.service !== 'string' || !isRecord(rec.fields)) continue;
    out.push({ key, record: rec, service: rec.service, fields: rec.fields });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
