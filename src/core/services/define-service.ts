import type { z } from 'zod';
import type { AnswerSchema, ServiceDefinition, TxnRecord } from '../transaction/types.ts';

/**
 * Declares a service with its field types taken from its schema and its inquiry answer's type taken
 * from the answer's schema: `amount`, `check` and the inquiry's `check` receive the schemas' output
 * types (no casts), and the result still fits every consumer of `ServiceDefinition` (the catalogue,
 * the engine, the CLI, the HTTP API, the receipt).
 */
export function defineService<S extends z.ZodObject, A extends AnswerSchema>(
  def: ServiceDefinition<S, A>,
): ServiceDefinition<S, A> {
  return def;
}

/**
 * The inquiry answer a transaction keeps (`data.inquiry`), read through the schema HQ's answer was
 * checked with when it came: typed by the schema, undefined when there is none or it does not match
 * (a record written by an older build).
 */
export function storedAnswer<A extends z.ZodType>(schema: A, txn: TxnRecord): z.output<A> | undefined {
  const r = schema.safeParse(txn.data.inquiry);
  return r.success ? r.data : undefined;
}
