import { describe, expect, it } from 'vitest';
import { maskAccount, maskCard, maskDeep, maskPhone } from '../../../src/core/mask.ts';

describe('masking of personal numbers', () => {
  it('masks phones, cards and accounts', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('057187654321')).toBe('057*****4321');
    expect(maskCard('6222021234567890123')).toBe('622202*********0123');
    expect(maskAccount('3300123456')).toBe('******3456');
    expect(maskAccount('12')).toBe('**');
  });

  it('masks sensitive keys at any depth and leaves the rest', () => {
    const out = maskDeep({
      txn: { fields: { phone: '13800138000', amount: '50.00' } },
      cardNo: '6222021234567890123',
      n: 3,
    });
    expect(out).toEqual({
      txn: { fields: { phone: '138****8000', amount: '50.00' } },
      cardNo: '622202*********0123',
      n: 3,
    });
    expect(JSON.stringify(out)).not.toContain('13800138000');
  });
});
