import { randomUUID } from 'node:crypto';
import type { KioskConfig } from '../config/schema.ts';
import { businessDate } from '../core/business-day.ts';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import { maskValue } from '../core/mask.ts';
import { Money } from '../core/money.ts';
import type { Actor } from '../core/transaction/machine.ts';
import {
  type InquiryDefinition,
  NO_FACTS,
  type RuleContext,
  type ServiceDefinition,
  type TxnRecord,
} from '../core/transaction/types.ts';
import { pickFields, validateInput } from '../core/transaction/validate-input.ts';

export interface PreparedTxn {
  fields: Record<string, string>;
  amount: Money;
  fee: Money;
}

/** A prepared transaction priced for the customer: whether the available prepaid balance covers it now. */
export interface Quote extends PreparedTxn {
  balanceSufficient: boolean;
}

/**
 * Everything that must hold before a transaction may exist: the service is enabled here, the actor
 * may use it, the input is valid (all problems listed), and self-service caps are kept. Nothing
 * is written; a refusal changes nothing.
 */
export function prepareTransaction(
  def: ServiceDefinition,
  input: unknown,
  actor: Actor,
  ctx: RuleContext,
): PreparedTxn {
  const { config } = ctx;
  checkAccess(def, actor, config);
  const notReady = def.ready?.(ctx.facts ?? NO_FACTS, ctx);
  if (notReady) throw notReady;
  const fields = validateInput(def.fields, def.fieldMeta, input);
  const problems = def.check?.(fields, ctx) ?? [];
  if (problems.length > 0) throw new KioskValidationError('KIOSK_E_INVALID_INPUT', problems);
  const amount = def.amount(fields);
  const feeText = config.services.fees[def.id];
  const fee = feeText ? Money.of(feeText) : Money.ZERO;
  if (actor.channel === 'self') selfServiceCap(def, amount.add(fee), config);
  return { fields, amount, fee };
}

/** The service is enabled at this station and the actor may use it. */
export function checkAccess(def: ServiceDefinition, actor: Actor, config: KioskConfig): void {
  if (!config.services.enabled.includes(def.id)) {
    throw new KioskError('KIOSK_E_SERVICE_DISABLED', {
      field: 'service',
      zh: `本亭未开通${def.title.zh}`,
      en: `${def.title.en} is not enabled at this kiosk`,
    });
  }
  if (
    actor.channel === 'self' &&
    (!config.selfService.enabled || !config.selfService.services.includes(def.id))
  ) {
    throw new KioskError('KIOSK_E_FORBIDDEN', {
      field: 'service',
      zh: `${def.title.zh}不支持自助办理，请联系柜员`,
      en: `${def.title.en} is not available for self-service; ask the operator`,
    });
  }
}

/** The service's inquiry and the input's fields it needs, validated; refused when there is none. */
export function inquiryFields(
  def: ServiceDefinition,
  input: unknown,
): { inquiry: InquiryDefinition; fields: Record<string, string> } {
  const inquiry = def.inquiry;
  if (!inquiry) {
    throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
      field: 'service',
      zh: `${def.title.zh}无需查询`,
      en: `${def.title.en} has no inquiry`,
    });
  }
  const schema = pickFields(def.fields, inquiry.fields);
  const all: object = typeof input === 'object' && input !== null ? input : {};
  const only = Object.fromEntries(
    inquiry.fields.filter((f) => f in all).map((f) => [f, Reflect.get(all, f)]),
  );
  return { inquiry, fields: validateInput(schema, def.fieldMeta, only) };
}

function selfServiceCap(def: ServiceDefinition, total: Money, config: KioskConfig): void {
  const capText = config.selfService.perService[def.id] ?? config.selfService.maxAmount;
  const cap = Money.of(capText);
  if (total.gt(cap)) {
    throw new KioskError('KIOSK_E_SELF_SERVICE_LIMIT', {
      field: 'amount',
      zh: `自助办理${def.title.zh}单笔不能超过 ${cap.toString()} 元`,
      en: `self-service ${def.title.en} is limited to ${cap.toString()} yuan per transaction`,
    });
  }
}

/**
 * Splits validated fields into what the journal keeps (transient fields masked) and the full
 * values of the transient fields, which only live in memory.
 */
export function splitTransient(
  def: ServiceDefinition,
  fields: Record<string, string>,
): { stored: Record<string, string>; transient: Record<string, string> | null } {
  const stored: Record<string, string> = {};
  const transient: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    const meta = def.fieldMeta[k];
    if (meta?.transient && meta.sensitive) {
      stored[k] = maskValue(meta.sensitive, v);
      transient[k] = v;
    } else stored[k] = v;
  }
  return { stored, transient: Object.keys(transient).length > 0 ? transient : null };
}

/** The first snapshot of a new transaction; `serial` comes from the journal batch that stores it. */
export function newTxnRecord(
  def: ServiceDefinition,
  prepared: PreparedTxn,
  actor: Actor,
  serial: string,
  stationId: string,
  now: number,
  dayCut: string,
): TxnRecord {
  return {
    v: 1,
    serial,
    idempotencyKey: randomUUID(),
    stationId,
    service: def.id,
    channel: actor.channel,
    operator: actor.channel === 'operator' ? actor.code : null,
    businessDate: businessDate(now, dayCut),
    createdAt: now,
    updatedAt: now,
    state: def.initial,
    stateSince: now,
    terminal: false,
    fields: prepared.fields,
    amountFen: prepared.amount.toFen(),
    feeFen: prepared.fee.toFen(),
    data: {},
    attempts: 0,
    generation: 0,
    alerts: [],
  };
}
