import { z } from 'zod';
import type { KioskConfig } from '../../config/schema.ts';
import { Money } from '../../core/money.ts';
import type { FieldEntry, ServiceDefinition, StateLabel } from '../../core/transaction/types.ts';
import { pickFields } from '../../core/transaction/validate-input.ts';
import { type Bilingual, stateLabel } from '../../reports/state-labels.ts';

export type JsonSchema = Record<string, unknown>;

export interface FieldView extends Bilingual {
  name: string;
  required: boolean;
  /** How the value is masked wherever it is shown. */
  sensitive: 'phone' | 'account' | 'card' | null;
  /** How it is entered on the touchscreen (keypad kind, longest value, quick amounts). */
  entry: FieldEntry | null;
  /** Taken from the card in the reader when the request sends `cardToken` (GET /api/card). */
  fromCard: boolean;
}

export interface ServiceView {
  id: string;
  title: Bilingual;
  enabled: boolean;
  selfService: boolean;
  /** Largest total (amount + fee) a customer may pay alone, yuan; null when self-service is off. */
  selfServiceCap: string | null;
  /** Fee per transaction from HQ configuration, yuan. */
  fee: string;
  /** `hold`: paid from the prepaid balance; `none`: brings money in. */
  funding: 'hold' | 'none';
  fields: FieldView[];
  /** JSON Schema (2020-12) of the create/quote body, from the service's zod schema. */
  schema: JsonSchema;
  /** The inquiry: its body's schema and the schema of the answer it gives. */
  inquiry: { fields: string[]; schema: JsonSchema; answer: JsonSchema } | null;
  actions: Array<{
    name: string;
    title: Bilingual;
    /** The states the action may start from. */
    from: string[];
    role: 'teller' | 'supervisor';
    confirmFields: string[];
    schema: JsonSchema;
  }>;
  states: Array<{
    name: string;
    label: StateLabel;
    kind: 'final' | 'step' | 'polling';
    result: string | null;
  }>;
}

const cache = new WeakMap<ServiceDefinition, Map<string, JsonSchema>>();

function memo(def: ServiceDefinition, key: string, build: () => JsonSchema): JsonSchema {
  const m = cache.get(def) ?? new Map<string, JsonSchema>();
  cache.set(def, m);
  const s = m.get(key) ?? build();
  m.set(key, s);
  return s;
}

/** The create/quote body schema: exactly z.toJSONSchema of the service's fields, input side. */
export function inputSchema(def: ServiceDefinition): JsonSchema {
  return memo(def, 'input', () => z.toJSONSchema(def.fields, { io: 'input' }) as JsonSchema);
}

export function inquirySchema(def: ServiceDefinition): JsonSchema | null {
  const fields = def.inquiry?.fields;
  if (!fields) return null;
  return memo(
    def,
    'inquiry',
    () => z.toJSONSchema(pickFields(def.fields, fields), { io: 'input' }) as JsonSchema,
  );
}

/**
 * The answer an inquiry gives (after the kiosk checked HQ's answer with the service's schema of it):
 * z.toJSONSchema of that schema, output side. Null for a service that asks nothing.
 */
export function answerSchema(def: ServiceDefinition): JsonSchema | null {
  const answer = def.inquiry?.answer;
  if (!answer) return null;
  return memo(def, 'answer', () => z.toJSONSchema(answer, { io: 'output' }) as JsonSchema);
}

/** The body of an action: the fields it asks to be entered again (none: an empty object). */
export function actionSchema(def: ServiceDefinition, action: string): JsonSchema {
  const names = def.actions?.[action]?.confirmFields ?? [];
  return memo(
    def,
    `action:${action}`,
    () => z.toJSONSchema(pickFields(def.fields, names), { io: 'input' }) as JsonSchema,
  );
}

export function feeOf(def: ServiceDefinition, config: KioskConfig): Money {
  const text = config.services.fees[def.id];
  return text ? Money.of(text) : Money.ZERO;
}

export function selfServiceAllowed(def: ServiceDefinition, config: KioskConfig): boolean {
  return config.selfService.enabled && config.selfService.services.includes(def.id);
}

/** Everything a client needs to build the service's form and flow, from the one definition. */
export function serviceView(def: ServiceDefinition, config: KioskConfig): ServiceView {
  const self = selfServiceAllowed(def, config);
  const shape = def.fields.shape as Record<string, z.ZodType>;
  return {
    id: def.id,
    title: { ...def.title },
    enabled: config.services.enabled.includes(def.id),
    selfService: self,
    selfServiceCap: self
      ? Money.of(config.selfService.perService[def.id] ?? config.selfService.maxAmount).toString()
      : null,
    fee: feeOf(def, config).toString(),
    funding: def.funding ?? 'hold',
    fields: Object.keys(shape).map((name) => ({
      name,
      zh: def.fieldMeta[name]?.zh ?? name,
      en: def.fieldMeta[name]?.en ?? name,
      required: !shape[name]!.safeParse(undefined).success,
      sensitive: def.fieldMeta[name]?.sensitive ?? null,
      entry: def.fieldMeta[name]?.entry ?? null,
      fromCard: def.fieldMeta[name]?.fromCard !== undefined,
    })),
    schema: inputSchema(def),
    inquiry: def.inquiry
      ? { fields: [...def.inquiry.fields], schema: inquirySchema(def)!, answer: answerSchema(def)! }
      : null,
    actions: Object.entries(def.actions ?? {}).map(([name, a]) => ({
      name,
      title: a.title ? { ...a.title } : { zh: name, en: name },
      from: [...a.from],
      role: a.role ?? 'teller',
      confirmFields: [...(a.confirmFields ?? [])],
      schema: actionSchema(def, name),
    })),
    states: Object.entries(def.states).map(([name, s]) => ({
      name,
      label: stateLabel(name, def),
      kind: s.type === 'terminal' ? 'final' : s.delayMs ? 'polling' : 'step',
      result: s.type === 'terminal' ? s.result : null,
    })),
  };
}
