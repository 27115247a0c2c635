import { describe, expect, it } from 'vitest';
import { KioskValidationError } from '../../../src/core/errors.ts';
import { parseReceipt } from '../../../src/receipts/receipt.ts';
import { sampleReceipt } from '../../../src/receipts/sample-receipt.ts';

function issuesOf(input: unknown): Array<{ code: string; field: string | undefined }> {
  try {
    parseReceipt(input);
  } catch (e) {
    expect(e).toBeInstanceOf(KioskValidationError);
    return (e as KioskValidationError).issues.map((i) => ({ code: i.code, field: i.field }));
  }
  throw new Error('expected parseReceipt to throw');
}

describe('parseReceipt', () => {
  it('accepts the sample and returns a copy', () => {
    const input = sampleReceipt();
    const r = parseReceipt(input);
    expect(r).toEqual(input);
    expect(r.lines).not.toBe(input.lines);
  });

  it('refuses an unmasked phone number in a body line, naming the line', () => {
    const input = sampleReceipt({ lines: [{ label: '手机号', value: '13800138000' }] });
    expect(issuesOf(input)).toEqual([{ code: 'KIOSK_E_INVALID_INPUT', field: 'receipt.lines.0.value' }]);
  });

  it('refuses a phone number in a label and a card number in the footer', () => {
    const input = sampleReceipt({
      lines: [
        { label: '户号', value: '***4567' },
        { label: '13800138000', value: 'x' },
      ],
      footer: ['还款卡 6222 0212 3456 7890'],
    });
    expect(issuesOf(input).map((i) => i.field)).toEqual(['receipt.lines.1.label', 'receipt.footer.0']);
  });

  it('never puts the offending number into the error message', () => {
    try {
      parseReceipt(sampleReceipt({ lines: [{ label: '手机号', value: '13800138000' }] }));
    } catch (e) {
      expect(JSON.stringify((e as KioskValidationError).toJSON())).not.toContain('13800138000');
      return;
    }
    throw new Error('expected a refusal');
  });

  it('refuses a total that is not amount + fee', () => {
    const input = sampleReceipt({ amount: '50.00', fee: '1.00', total: '50.00' });
    expect(issuesOf(input)).toEqual([{ code: 'KIOSK_E_INVALID_AMOUNT', field: 'receipt.total' }]);
  });

  it('refuses money as a number or with the wrong number of decimals', () => {
    const input = { ...sampleReceipt(), amount: 50, fee: '0.0' };
    expect(issuesOf(input).map((i) => i.field)).toEqual(['receipt.amount', 'receipt.fee']);
  });

  it('refuses control characters, which would reach the printer as commands', () => {
    const input = sampleReceipt({ stationName: 'A\u001b@B', lines: [{ label: '户名', value: '张\n三' }] });
    expect(issuesOf(input).map((i) => i.field)).toEqual(['receipt.stationName', 'receipt.lines.0.value']);
  });

  it('refuses a bad serial, station number and business date', () => {
    const input = sampleReceipt({ serial: 'ab c', stationId: '123', businessDate: '20261332' });
    expect(issuesOf(input).map((i) => i.field)).toEqual([
      'receipt.stationId',
      'receipt.serial',
      'receipt.businessDate',
    ]);
  });

  it('refuses unknown keys', () => {
    expect(issuesOf({ ...sampleReceipt(), phone: '13800138000' })).toEqual([
      { code: 'KIOSK_E_INVALID_INPUT', field: 'receipt.phone' },
    ]);
  });
});
