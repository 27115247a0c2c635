import { checkedDigits, digits, luhnValid, money, pattern } from '../transaction/fields.ts';
import type { FieldEntry } from '../transaction/types.ts';

/** Touchscreen entry of the shared fields, next to the builders whose rules they follow. */
export const ENTRY = {
  mobile: { keypad: 'digits', maxLength: 11 },
  phoneOrLandline: { keypad: 'digits', maxLength: 12 },
  account: { keypad: 'alnum', maxLength: 20 },
  card: { keypad: 'digits', maxLength: 19 },
  amount: { keypad: 'amount', maxLength: 9 },
  choice: { keypad: 'choice' },
  confirm: { keypad: 'confirm' },
} as const satisfies Record<string, FieldEntry>;

/** Field builders shared by the services, with bilingual refusals that name the rule. */
export const mobileNumber = () =>
  digits({ min: 11, max: 11 }, { zh: '必须为11位手机号码', en: 'must be an 11-digit mobile number' });

/** A landline with its area code (0571-87654321 or 057187654321) or an 11-digit mobile number. */
export const phoneOrLandline = () =>
  pattern(
    /^(1\d{10}|0\d{2,3}-?\d{7,8})$/,
    {
      zh: '请输入带区号的固定电话或11位手机号码',
      en: 'must be a landline with its area code or an 11-digit mobile number',
    },
    normaliseLandline,
  );

export const accountNumber = (zh: string, en: string) =>
  pattern(/^[0-9A-Za-z]{6,20}$/, {
    zh: `${zh}为6至20位数字或字母`,
    en: `${en} must be 6 to 20 letters or digits`,
  });

export const cardNumber = () =>
  digits({ min: 16, max: 19 }, { zh: '卡号为16至19位数字', en: 'card number must be 16 to 19 digits' });

export const amount = () => money({ field: 'amount' });

/** Normalises the separator of a landline so it compares equal however it was typed. */
export function normaliseLandline(s: string): string {
  return s.replace('-', '');
}

/**
 * A bank card number (银行卡号): 16 to 19 digits (spaces typed between groups are dropped) with a
 * valid Luhn check digit. Two different refusals, so the customer knows whether a digit is
 * missing or wrong.
 */
export const bankCard = (zh: string, en: string) =>
  checkedDigits(
    { min: 16, max: 19 },
    { zh: `${zh}为16至19位数字`, en: `${en} must be 16 to 19 digits` },
    luhnValid,
    { zh: `${zh}校验位不正确，请核对`, en: `${en} is not a valid card number (check digit)` },
  );
