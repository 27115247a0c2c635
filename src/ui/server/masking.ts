import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normaliseWidth } from '../../core/money.ts';
import type { ServiceDefinition } from '../../core/transaction/types.ts';
import { maskKnown, secretsOf } from '../../reports/mask-txn.ts';

const requestSecrets = new WeakMap<FastifyRequest, Array<[string, string]>>();

/**
 * Remembers the full numbers a request carried (by the service's sensitive field kinds), so that
 * every answer to it, errors included, shows them only masked even where they are echoed back
 * under another name (a biller's answer, a reason text).
 */
export function noteSecrets(req: FastifyRequest, def: ServiceDefinition | undefined, input: unknown): void {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return;
  const found: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    // As typed, and as the service normalises it (full-width digits, separators dropped).
    const typed = normaliseWidth(String(v)).trim();
    for (const form of new Set([typed, typed.replace(/[\s-]/g, '')]))
      found.push(...secretsOf(def, { [k]: form }));
  }
  if (found.length === 0) return;
  const all = [...(requestSecrets.get(req) ?? []), ...found].sort((a, b) => b[0].length - a[0].length);
  requestSecrets.set(req, all);
}

export function secretsOfRequest(req: FastifyRequest): Array<[string, string]> {
  return requestSecrets.get(req) ?? [];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer is published documentation (OpenAPI), not data: it is sent unchanged. */
    unmasked?: boolean;
  }
}

/**
 * The last line of defence: every JSON answer passes through the shared masking (sensitive keys)
 * and the request's own known numbers, whatever the route built. Routes mask their records by
 * the service's field kinds before this.
 */
export function installMasking(app: FastifyInstance): void {
  app.addHook('preSerialization', async (req, _reply, payload) => {
    if (req.routeOptions.config?.unmasked) return payload;
    return maskKnown(payload, secretsOfRequest(req));
  });
}
