import { normaliseWidth } from '../core/money.ts';

/**
 * Defence in depth for privacy on paper: callers mask phone and card numbers before they reach a
 * receipt (src/core/mask.ts); this guard refuses any text that still carries one in full.
 *
 * Digits are read in groups separated by a single space or hyphen ("6222 0212 3456 7890 123"), and
 * every run of consecutive groups is checked:
 * - 11 digits starting with 1 → a mainland mobile number;
 * - 16 to 19 digits → a bank card number.
 * Masked forms (138****8000, 622202*********0123) break the digit runs and pass.
 */
export type UnmaskedKind = 'phone' | 'card';

export interface UnmaskedNumber {
  kind: UnmaskedKind;
  /** The offending digits, for the error message only (never logged by this module). */
  digits: string;
}

const GROUPS = /\d+(?:[ -]\d+)*/g;

export function findUnmaskedNumber(text: string): UnmaskedNumber | undefined {
  const s = normaliseWidth(text);
  for (const m of s.matchAll(GROUPS)) {
    const groups = m[0].split(/[ -]/);
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        digits += groups[j];
        if (digits.length === 11 && digits.startsWith('1')) return { kind: 'phone', digits };
        if (digits.length >= 16 && digits.length <= 19) return { kind: 'card', digits };
        if (digits.length > 19) break;
      }
    }
  }
  return undefined;
}
