import type { ServiceDefinition } from '../core/transaction/types.ts';

/**
 * The services this build can run. Each definition is the single source of its fields, rules,
 * states and receipt; stations enable them through `services.enabled` in the configuration.
 */
export const SERVICE_CATALOGUE: readonly ServiceDefinition[] = [];
