/**
 * The pieces every part of the kiosk's OpenAPI document is written with: references to its
 * components, JSON bodies, the refusal every operation may answer, who may call, and the
 * idempotency header of the routes that create something.
 */
export type Security = Array<Record<string, string[]>>;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });

/** What any operation may answer instead: a refusal or error, bilingual, naming the field. */
export const errors = {
  default: { description: 'Refusal or error (bilingual, naming the field)', content: json(ref('Error')) },
};

/** Operator routes need a session token; self-service routes take one optionally. */
export const OPERATOR: Security = [{ operator: [] }];
export const OPTIONAL: Security = [{}, { operator: [] }];

/** The `Idempotency-Key` header; `repeats` says what a repeat answers. */
export const idempotencyHeader = (repeats: string) => ({
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: repeats,
  schema: { type: 'string', pattern: '^[\\w-]{8,64}$' },
});
