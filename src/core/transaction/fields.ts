import { z } from 'zod';
import { isKioskError } from '../errors.ts';
import { normaliseWidth, type ParseMoneyOptions, parseMoney } from '../money.ts';

/**
 * Field builders for service definitions. Every field is a string schema whose output is the
 * canonical string sent to HQ; every refusal carries a bilingual reason in `params`, which the
 * input validator turns into a KioskError naming the field.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * The rule each field builder checks, in words, by schema: the CLI's help and the API show it next
 * to the field, from the same builder that enforces it.
 */
export const fieldRules = z.registry<Bilingual>();

function ruled<T extends z.ZodType>(schema: T, rule: Bilingual): T {
  fieldRules.add(schema, rule);
  return schema;
}

/** The rule of a field schema, when its builder declared one. */
export function ruleOf(schema: z.ZodType): Bilingual | undefined {
  return fieldRules.get(schema);
}

const addIssue = (ctx: z.core.$RefinementCtx, msg: Bilingual): void => {
  ctx.addIssue({ code: 'custom', message: msg.en, params: msg });
};

const normalise = (v: unknown): unknown =>
  typeof v === 'number' ? String(v) : typeof v === 'string' ? normaliseWidth(v).trim() : v;

/** A required string field: numbers become text, full-width characters are normalised, spaces trimmed. */
const text = () => z.string({ error: (iss) => (iss.input === undefined ? 'required' : 'must be text') });

/**
 * Wraps a string schema with the normalisation. The checks and transforms live inside the
 * preprocess target, so the field stays required in the generated JSON Schema.
 */
function field<T extends z.ZodType>(inner: T) {
  return z.preprocess(normalise, inner);
}

/** Exactly/at most digits: `digits({ min: 11, max: 11 }, { zh: '手机号码必须为11位数字', en: '...' })`. */
export function digits(len: { min: number; max: number }, msg: Bilingual) {
  const re = new RegExp(`^\\d{${len.min},${len.max}}$`);
  return ruled(
    field(
      text().superRefine((s, ctx) => {
        if (!re.test(s)) addIssue(ctx, msg);
      }),
    ),
    msg,
  );
}

/**
 * Digits with a further check (a card's Luhn digit). Spaces typed between digit groups are
 * dropped. The length refusal and the check's refusal are distinct.
 */
export function checkedDigits(
  len: { min: number; max: number },
  msg: Bilingual,
  check: (s: string) => boolean,
  checkMsg: Bilingual,
) {
  const re = new RegExp(`^\\d{${len.min},${len.max}}$`);
  return field(
    text()
      .transform((s) => s.replace(/\s+/g, ''))
      .superRefine((s, ctx) => {
        if (!re.test(s)) addIssue(ctx, msg);
        else if (!check(s)) addIssue(ctx, checkMsg);
      }),
  );
}

/** Luhn (mod 10) check of a bank card number (digits only). */
export function luhnValid(digitsOnly: string): boolean {
  let sum = 0;
  for (let i = 0; i < digitsOnly.length; i++) {
    let d = digitsOnly.charCodeAt(digitsOnly.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digitsOnly.length > 0 && sum % 10 === 0;
}

/** Free text matching a pattern (account numbers with letters, area-coded landlines). */
export function pattern(re: RegExp, msg: Bilingual, normaliseOut?: (s: string) => string) {
  const checked = text().superRefine((s, ctx) => {
    if (!re.test(s)) addIssue(ctx, msg);
  });
  return ruled(field(normaliseOut ? checked.transform(normaliseOut) : checked), msg);
}

/** One of a fixed set of values. */
export function oneOf(values: readonly string[], msg: Bilingual) {
  return ruled(
    field(
      text().superRefine((s, ctx) => {
        if (!values.includes(s)) addIssue(ctx, msg);
      }),
    ),
    msg,
  );
}

const MONEY_RULE: Bilingual = {
  zh: '金额（元），大于零，最多两位小数',
  en: 'an amount in yuan, more than zero, at most 2 decimals',
};

/** A yuan amount typed by a person; output is the canonical "50.00". */
export function money(opts: ParseMoneyOptions = {}) {
  return ruled(
    field(
      text().transform((s, ctx) => {
        try {
          return parseMoney(s, opts).toString();
        } catch (e) {
          if (!isKioskError(e)) throw e;
          addIssue(ctx, { zh: e.zh, en: e.en });
          return z.NEVER;
        }
      }),
    ),
    MONEY_RULE,
  );
}

/** An explicit yes from the customer (game top-up cannot be reversed). */
export function confirmed(msg: Bilingual) {
  return ruled(
    z.preprocess(
      (v) => (v === true || v === 'true' || v === 'yes' || v === '1' ? 'yes' : String(v ?? '')),
      z.string().superRefine((s, ctx) => {
        if (s !== 'yes') addIssue(ctx, msg);
      }),
    ),
    { zh: `yes：${msg.zh}`, en: `yes: ${msg.en}` },
  );
}
