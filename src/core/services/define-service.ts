import type { z } from 'zod';
import type { ServiceDefinition } from '../transaction/types.ts';

/**
 * Declares a service with its field types taken from its schema: `amount`, `check` and the other
 * rules receive the schema's output type (no casts), and the result still fits every consumer of
 * `ServiceDefinition` (the catalogue, the engine, the CLI, the HTTP API, the receipt).
 */
export function defineService<S extends z.ZodObject>(def: ServiceDefinition<S>): ServiceDefinition<S> {
  return def;
}
