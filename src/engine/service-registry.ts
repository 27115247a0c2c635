import { KioskError } from '../core/errors.ts';
import type { ServiceDefinition } from '../core/transaction/types.ts';

/** The catalogue of services the engine can run, by id. */
export class ServiceRegistry {
  private readonly byId = new Map<string, ServiceDefinition>();

  constructor(defs: Iterable<ServiceDefinition> = []) {
    for (const d of defs) this.add(d);
  }

  add(def: ServiceDefinition): void {
    if (this.byId.has(def.id)) throw new Error(`service ${def.id} registered twice`);
    if (!(def.initial in def.states))
      throw new Error(`service ${def.id}: initial state ${def.initial} is not defined`);
    for (const [name, st] of Object.entries(def.states)) {
      if (st.type !== 'effect') continue;
      for (const next of Object.values(st.on)) {
        if (next && !(next in def.states))
          throw new Error(`service ${def.id}: ${name} goes to undefined ${next}`);
      }
    }
    for (const [name, a] of Object.entries(def.actions ?? {})) {
      if (!(a.to in def.states))
        throw new Error(`service ${def.id}: action ${name} goes to undefined ${a.to}`);
    }
    this.byId.set(def.id, def);
  }

  get(id: string): ServiceDefinition {
    const d = this.byId.get(id);
    if (!d) {
      throw new KioskError('KIOSK_E_UNKNOWN_SERVICE', {
        field: 'service',
        zh: `未知业务：${id}`,
        en: `unknown service: ${id}`,
      });
    }
    return d;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  list(): ServiceDefinition[] {
    return [...this.byId.values()];
  }
}
