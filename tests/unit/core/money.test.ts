import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FEN, Money, parseMoney } from '../../../src/core/money.ts';

describe('Money parsing', () => {
  it.each([
    ['50', '50.00'],
    ['0.5', '0.50'],
    ['12.34', '12.34'],
    ['  7.1 ', '7.10'],
    ['００５０', '50.00'],
    ['５０．５', '50.50'],
    ['1.', '1.00'],
    ['.5', '0.50'],
    ['9999999.99', '9999999.99'],
  ])('accepts %j as %s', (input, out) => {
    expect(parseMoney(input).toString()).toBe(out);
  });

  it.each([
    ['', 'amount is required'],
    ['   ', 'amount is required'],
    ['-5', 'must not be negative'],
    ['0', 'greater than zero'],
    ['0.00', 'greater than zero'],
    ['1.234', 'at most 2 decimals'],
    ['1e3', 'exponent'],
    ['1E-2', 'exponent'],
    ['12a', 'only digits'],
    ['1,000', 'only digits'],
    ['+5', 'only digits'],
    ['¥5', 'only digits'],
    ['.', 'only digits'],
    ['1.2.3', 'only digits'],
    ['10000000', 'must not exceed'],
    ['123456789012345678901234567890', 'too large'],
  ])('refuses %j naming the field', (input, why) => {
    let err: unknown;
    try {
      parseMoney(input, { field: 'amount' });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'KIOSK_E_INVALID_AMOUNT', field: 'amount' });
    expect((err as Error).message).toContain(why);
    expect((err as { zh: string }).zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('allows zero only when asked and honours a maximum', () => {
    expect(parseMoney('0', { allowZero: true }).isZero()).toBe(true);
    expect(() => parseMoney('500.01', { max: Money.of('500.00') })).toThrow(/500.00/);
    expect(() => parseMoney(undefined)).toThrow(/required/);
    expect(() => parseMoney(Number.NaN)).toThrow(/number/);
  });

  it('round-trips every fen amount through text and integer fen exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_FEN }), (fen) => {
        const m = Money.fromFen(fen);
        expect(m.toFen()).toBe(fen);
        expect(parseMoney(m.toString()).toFen()).toBe(fen);
        expect(Number.isInteger(m.toFen())).toBe(true);
      }),
    );
  });

  it('formats integer fen in integer arithmetic exactly as the decimal type does', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(Money.fenString(fen)).toBe(Money.fromFen(fen).toString());
      }),
    );
    for (const fen of [0, 1, -1, 5, -5, 99, 100, -100, 101, 123456, -123456])
      expect(Money.fenString(fen)).toBe(Money.fromFen(fen).toString());
  });

  it('adds without binary floating point error', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_00 }), { maxLength: 50 }), (fens) => {
        const sum = Money.sum(fens.map((f) => Money.fromFen(f)));
        expect(sum.toFen()).toBe(fens.reduce((a, b) => a + b, 0));
      }),
    );
    expect(Money.of('0.10').add(Money.of('0.20')).toString()).toBe('0.30');
  });

  it('refuses non-integer fen and formats with the full-width yuan sign', () => {
    expect(() => Money.fromFen(1.5)).toThrow();
    expect(Money.of('12.5').format()).toBe('￥12.50');
    expect(Money.of('30').isMultipleOf(Money.of('10'))).toBe(true);
    expect(Money.of('35').isMultipleOf(Money.of('10'))).toBe(false);
  });
});
