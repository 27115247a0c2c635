import { describe, expect, it } from 'vitest';
import { maskCard, maskPhone } from '../../../src/core/mask.ts';
import { findUnmaskedNumber } from '../../../src/receipts/guard.ts';

describe('findUnmaskedNumber', () => {
  it.each([
    ['13800138000', 'phone'],
    ['手机 13800138000 已充值', 'phone'],
    ['138 0013 8000', 'phone'],
    ['138-0013-8000', 'phone'],
    ['１３８００１３８０００', 'phone'],
    ['13800138000 2026', 'phone'],
    ['6222021234567890', 'card'],
    ['6222021234567890123', 'card'],
    ['6222 0212 3456 7890 123', 'card'],
    ['卡号:6222-0212-3456-7890', 'card'],
  ])('flags %s as %s', (text, kind) => {
    expect(findUnmaskedNumber(text)?.kind).toBe(kind);
  });

  it.each([
    maskPhone('13800138000'),
    maskCard('6222021234567890123'),
    '0571-88886666', // landline with area code: 12 digits
    '3301234567', // electricity customer number, 10 digits
    '20261126330100010042', // 20-digit serial
    '23800138000', // 11 digits not starting with 1
    '2026-11-26 10:05:09',
    '50.00',
    '',
  ])('lets %s pass', (text) => {
    expect(findUnmaskedNumber(text)).toBeUndefined();
  });
});
