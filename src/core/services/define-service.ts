import type { z } from 'zod';
import type {
  AnswerSchema,
  ChoiceItem,
  FieldsSchema,
  RuleContext,
  ServiceDefinition,
  ServiceList,
  TxnRecord,
} from '../transaction/types.ts';

/**
 * Declares a service with its field types taken from its schema and its inquiry answer's type taken
 * from the answer's schema: `amount`, `check` and the inquiry's `check` receive the schemas' output
 * types (no casts), and the result still fits every consumer of `ServiceDefinition` (the catalogue,
 * the engine, the CLI, the HTTP API, the receipt).
 */
export function defineService<S extends FieldsSchema, A extends AnswerSchema>(
  def: ServiceDefinition<S, A>,
): ServiceDefinition<S, A> {
  return def;
}

/**
 * Declares a list HQ answers (`op`) with the schema of its answer: `items` receives the answer as
 * that schema parsed it. The engine checks HQ's answer against it before `items` sees it.
 */
export function defineList<A extends AnswerSchema>(list: {
  op: string;
  answer: A;
  items(answer: z.output<A>, ctx: RuleContext): ChoiceItem[];
}): ServiceList {
  return list;
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
