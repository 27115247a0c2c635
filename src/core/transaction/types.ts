import type { z } from 'zod';
import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../clock.ts';
import type { KioskError } from '../errors.ts';
import type { SensitiveKind } from '../mask.ts';
import type { Money } from '../money.ts';
import type { channelSchema, txnRecordSchema, txnResultSchema } from './txn-record.ts';

/** Devices a service may depend on, by the names the kiosk reports their health under. */
export type DeviceName = 'cardReader' | 'display' | 'printer' | 'gpio';

/** How a transaction was started: by a logged-in operator, or by a customer on their own. */
export type Channel = z.output<typeof channelSchema>;

/** Final result class of a terminal state; used by reports and the special journal. */
export type TxnResult = z.output<typeof txnResultSchema>;

/** The snapshot of one transaction as stored under its serial (see txn-record.ts). */
export type TxnRecord = z.output<typeof txnRecordSchema>;

/** Outcomes an effect can report. `unknown` is never a failure: it means "ask again". */
export type Outcome = 'ok' | 'declined' | 'pending' | 'unknown';

export interface EffectResult {
  outcome: Outcome;
  data?: Record<string, unknown>;
  reason?: { code: string; zh: string; en: string };
}

/** A side effect, described as data; the engine's executors carry it out. */
export type Effect =
  | { type: 'hq'; op: string; payload: Record<string, unknown> }
  | { type: 'device'; device: string; op: string; payload: Record<string, unknown> };

/** Ledger change applied atomically with the transition into a state. */
export type LedgerAction = 'capture' | 'release' | 'reversal-credit';

export interface TerminalState {
  type: 'terminal';
  result: TxnResult;
  ledger?: LedgerAction;
  /**
   * The customer gets a receipt for reaching this state. The engine records the receipt as due in
   * the same batch as the transition, so a crash before printing cannot lose it.
   */
  receipt?: boolean;
}

export interface EffectState {
  type: 'effect';
  effect: (txn: TxnRecord) => Effect;
  /**
   * `safe`: the effect may be repeated (its idempotency key makes a repeat harmless), so after a crash
   * during it the engine sends it again. `never`: after a crash the engine takes `onInterrupted`.
   */
  retry: 'safe' | 'never';
  /** Next state per outcome; an outcome not listed keeps the state and tries again after a delay. */
  on: Partial<Record<Outcome, string>>;
  /** Outcome assumed when the kiosk restarts with this effect in flight and retry is `never`. */
  onInterrupted?: Outcome;
  /**
   * The effect sends the service's `transient` fields. When they are no longer in memory (the kiosk
   * restarted) it is not sent at all: the state takes `onInterrupted` instead.
   */
  transient?: boolean;
  /** Delay before the n-th attempt (n from 1), ms; polling states use it. Defaults to the engine's backoff. */
  delayMs?: (attempt: number, ctx: RuleContext) => number;
  /** Alerts raised once each when due, while the transaction waits in this state. */
  alerts?: readonly AlertRule[];
  /**
   * Pure reading of the effect's answer before the transition, e.g. a reversal pre-check that turns
   * an `ok` arrears query into `declined` when the arrears are too high.
   */
  interpret?: (txn: TxnRecord, result: EffectResult, ctx: RuleContext) => EffectResult;
  /**
   * An alert raised at once, in the same batch as the outcome, when an answer means people must act
   * now (mobile top-up: an error instead of the waiting page). Returns the alert's name or null.
   */
  alertOn?: (result: EffectResult) => string | null;
  /**
   * Checked just before every send, first attempt, retry or resumption after a restart alike: wait
   * until an instant (a time window closed to this request), or take an outcome without sending
   * (a rule that forbids the request now). Null sends. Pure.
   */
  beforeSend?: (txn: TxnRecord, ctx: RuleContext) => SendGate | null;
  ledger?: LedgerAction;
}

/** What `beforeSend` decides instead of sending now. */
export type SendGate = { waitUntil: number } | { outcome: EffectResult };

/** An alert for people (operator and HQ): raised once, at `due` (epoch ms). */
export interface AlertRule {
  name: string;
  due: (txn: TxnRecord, ctx: RuleContext) => number;
}

export type StateDefinition = TerminalState | EffectState;

/**
 * A state's name for people (operator screens, the CLI, receipts) and, where the customer at the
 * kiosk's screen must do something in it (keep the card in, bring it back), what the screen tells
 * them.
 */
export interface StateLabel {
  zh: string;
  en: string;
  customer?: {
    zh: string;
    en: string;
    /** The customer's part is done (the card holds the units): the kiosk finishes alone. */
    mayLeave?: boolean;
  };
}

export interface RuleContext {
  clock: Clock;
  config: KioskConfig;
  /** What HQ set for the station; absent means nothing was set. */
  facts?: StationFacts;
}

export const NO_FACTS: StationFacts = { terminal: null, signIn: null };

export interface ActionDefinition {
  from: readonly string[];
  to: string;
  /** The action's name for people (screens, receipts, the CLI); the action's key when absent. */
  title?: { zh: string; en: string };
  /** Role needed; self-service may never run actions. */
  role?: 'teller' | 'supervisor';
  /** Returns why the action is refused now, or null when allowed. Pure. */
  guard?: (txn: TxnRecord, ctx: RuleContext) => KioskError | null;
  /**
   * Fields the operator must enter again and that must equal the original transaction's (the
   * source's reversal "by number + serial + amount").
   */
  confirmFields?: readonly string[];
}

/**
 * How a person enters a field on the touchscreen (there is no keyboard): `digits` 0–9, `amount`
 * digits and one decimal point, `alnum` letters A–Z and digits, `choice` picked from a list the
 * screen shows (the inquiry's answer), `confirm` an explicit tick.
 */
export interface FieldEntry {
  keypad: 'digits' | 'amount' | 'alnum' | 'choice' | 'confirm';
  /** Longest value the keypad accepts, characters. */
  maxLength?: number;
  /** Amounts offered as one-tap choices, yuan (only values the service's rules accept). */
  quick?: readonly string[];
  /** `choice` from one of the service's `lists` (the places a coach serves, travel dates). */
  list?: string;
  /** `choice` from the inquiry answer's array of this name (a timetable's trips). */
  answer?: string;
  /** Fields filled from the chosen item's keys of the same name (a trip fills its fare). */
  fills?: readonly string[];
}

/** One thing to choose on the screen: the value sent, the words shown, an optional filter group. */
export interface ChoiceItem {
  value: string;
  zh: string;
  en?: string;
  /** Groups the screen filters by (the initial letter of a place's pinyin). */
  group?: string;
}

/**
 * A list a `choice` field is picked from: answered by HQ (`op`, asked with no fields, read-only,
 * its answer checked against `answer` like an inquiry's) or made by the kiosk itself from its clock
 * and config. `items` turns the answer into choices. Declare one with `defineList`.
 */
export type ServiceList =
  | { op: string; answer: AnswerSchema; items(answer: InquiryAnswer, ctx: RuleContext): ChoiceItem[] }
  | { op?: undefined; items(answer: InquiryAnswer, ctx: RuleContext): ChoiceItem[] };

export interface FieldMeta {
  zh: string;
  en: string;
  /** How the value is masked outside the journal. */
  sensitive?: SensitiveKind;
  /** How it is entered on the touchscreen; without it, free text. */
  entry?: FieldEntry;
  /**
   * The journal keeps only the masked form (bank cards: first 6 / last 4). The full value lives in
   * memory until the effects that need it (states marked `transient`) have been sent; after a
   * restart it is gone. Requires `sensitive`.
   */
  transient?: boolean;
  /**
   * Filled by the kiosk from the card in its reader: a client that read the card (`GET /api/card`)
   * sends the read's `cardToken` instead of the value, which it only ever sees masked.
   */
  fromCard?: 'cardSerial' | 'customerNo';
}

/** Facts about the station that HQ sets by signed command, for services that depend on them. */
export interface StationFacts {
  /** The credit-card repayment terminal bound to the station (信用卡还款终端), or null. */
  terminal: { terminalNo: string | null; status: 'enabled' | 'disabled'; reason?: string | undefined } | null;
  /** The terminal's last successful daily sign-in (签到): business date and terminal number. */
  signIn: { date: string; terminalNo: string } | null;
}

/**
 * The schema of a service's input: every field parses to a string (as stored in `TxnRecord.fields`
 * and sent to HQ), so rules receive the parsed fields without casts.
 */
export type FieldsSchema = z.ZodObject<{ [field: string]: z.ZodType<string, unknown> }>;

/** HQ's answer to an inquiry once its service's schema has parsed it: an object of declared fields. */
export type InquiryAnswer = Record<string, unknown>;

/** The schema of HQ's answer to an inquiry: an object, whatever its fields. */
export type AnswerSchema = z.ZodType<InquiryAnswer>;

/**
 * A service's read-only question to HQ and the one schema its answer must match. The engine parses
 * HQ's answer with `answer` before anything uses or stores it: a wrong type, a missing field or a
 * field the schema does not declare is refused as HQ's protocol error naming that field.
 */
export interface InquiryDefinition<A extends AnswerSchema = AnswerSchema> {
  op: string;
  /** The fields the question needs (a subset of the service's `fields`). */
  fields: readonly string[];
  answer: A;
  /**
   * The answer changes while the customer chooses (a coach's free seats): the quote shown for
   * confirmation asks it too and refuses what `check` finds, and `create` asks again.
   */
  atQuote?: boolean;
  /** Rules on the parsed answer (the account's area, the chosen contract, the arrears). Pure. */
  check?(fields: Record<string, string>, answer: z.output<A>, ctx: RuleContext): KioskError[];
}

/**
 * A line of what the customer got. `lead`: the line that identifies it to the customer (an
 * e-ticket's number, which they collect the ticket with); their result screen shows it in the
 * serial's place, first and large.
 */
export interface ServiceLine {
  zh: string;
  en: string;
  value: string;
  lead?: boolean;
}

/**
 * One service, declared once: its input fields, amount rule, fee lookup, state machine, actions and
 * receipt lines. The CLI, the HTTP API, the UI and the receipt are all derived from it.
 */
export interface ServiceDefinition<
  S extends FieldsSchema = FieldsSchema,
  A extends AnswerSchema = AnswerSchema,
> {
  id: string;
  title: { zh: string; en: string };
  /** A valid input for the CLI's help and the API documentation: `field → value`. */
  example?: Readonly<Record<string, string>>;
  /** Rules beyond each field's own (shown in help next to the fields), e.g. amount steps. */
  hints?: ReadonlyArray<{ zh: string; en: string }>;
  fields: S;
  fieldMeta: Record<string, FieldMeta>;
  /**
   * The amount the prepaid balance pays the biller; held before any request is sent. (Rules that
   * take the fields are methods so a service of one schema is also a `ServiceDefinition`.)
   */
  amount(fields: z.output<S>): Money;
  /**
   * Devices the service cannot run without (an IC-card purchase needs the card reader). While one
   * is offline the service is unavailable and refused before anything is written; every other
   * service carries on. A missing printer never makes a service unavailable: receipts queue.
   */
  requires?: readonly DeviceName[];
  /**
   * The field whose value at most one open transaction of this service may hold (e.g. the IC card's
   * serial): a new one is refused, naming the open one, until that one is resolved.
   */
  exclusiveField?: string;
  /**
   * Read-only HQ operations an operator may ask outside any transaction (engine.askHq), each with
   * the schema of HQ's answer: an answer it does not parse is HQ's protocol error, never passed on.
   */
  operatorQueries?: Readonly<Record<string, AnswerSchema>>;
  /**
   * `hold` (default): the amount is paid from the prepaid balance, so it is held at creation.
   * `none`: the transaction brings money in (self top-up from the bound debit card) and holds
   * nothing; the balance rises only through HQ's signed balance event for it, applied once by ref.
   */
  funding?: 'hold' | 'none';
  /**
   * Whether the station may sell the service now, from facts HQ set (a bound, enabled terminal
   * signed in today). A refusal is given at once, before anything is validated or written. Pure.
   */
  ready?: (facts: StationFacts, ctx: RuleContext) => KioskError | null;
  /** Extra cross-field checks with the clock and config (regions, own area). Pure. */
  check?(fields: z.output<S>, ctx: RuleContext): KioskError[];
  /**
   * A read-only question to HQ before the transaction exists (arrears, contract numbers). `create`
   * asks it first and refuses, naming the field, when `check` finds a problem; nothing is held or
   * written until it passes. Its answer, as `answer` parsed it, is kept in the transaction's `data`.
   */
  inquiry?: InquiryDefinition<A>;
  /** Lists that `choice` fields name in their entry (`entry.list`). */
  lists?: Record<string, ServiceList>;
  initial: string;
  states: Record<string, StateDefinition>;
  /**
   * Names of the service's own states (and of shared ones whose meaning differs here). A state not
   * listed takes the shared flows' name (paying, querying, succeeded, reversal states).
   */
  stateLabels?: Readonly<Record<string, StateLabel>>;
  actions?: Record<string, ActionDefinition>;
  /**
   * What the customer got (label, value): the receipt's body lines after the common header, and the
   * lines the customer's result screen shows once the transaction succeeded.
   */
  receipt?: (txn: TxnRecord) => ServiceLine[];
}
