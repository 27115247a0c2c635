import type { z } from 'zod';
import type { ServiceDefinition, TxnRecord } from '../transaction/types.ts';

/**
 * Declares a service with its field types taken from its schema: `amount`, `check` and the other
 * rules receive the schema's output type (no casts), and the result still fits every consumer of
 * `ServiceDefinition` (the catalogue, the engine, the CLI, the HTTP API, the receipt).
 */
export function defineService<S extends z.ZodObject>(def: ServiceDefinition<S>): ServiceDefinition<S> {
  return def;
}

/**
 * The inquiry answer a transaction keeps (`data.inquiry`), read through the service's schema of
 * that answer: typed by the schema, undefined when there is none or it does not match.
 */
export function storedAnswer<A extends z.ZodType>(schema: A, txn: TxnRecord): z.output<A> | undefined {
  const r = schema.safeParse(txn.data.inquiry);
  return r.success ? r.data : undefined;
}
