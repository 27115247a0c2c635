import { describe, expect, it } from 'vitest';
import { telecomBill } from '../../../src/core/services/bill-services.ts';
import { mobileTopup } from '../../../src/core/services/mobile-topup.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { parseReceipt } from '../../../src/receipts/receipt.ts';
import { receiptFor } from '../../../src/reports/receipt-data.ts';

const txn = (over: Partial<TxnRecord>): TxnRecord => ({
  v: 1,
  serial: '0000000042',
  idempotencyKey: 'k',
  stationId: '33010001',
  service: 'mobile-topup',
  channel: 'operator',
  operator: 'A001',
  businessDate: '20261126',
  createdAt: 1,
  updatedAt: Date.parse('2026-11-26T10:00:00+08:00'),
  state: 'succeeded',
  stateSince: 1,
  terminal: true,
  result: 'succeeded',
  fields: { phone: '13800138000', amount: '50.00' },
  amountFen: 5000,
  feeFen: 100,
  data: { billerRef: 'MB123', inquiry: { city: '杭州' } },
  attempts: 1,
  generation: 0,
  alerts: [],
  ...over,
});

describe('receipt of a transaction, from its service definition', () => {
  const station = { stationId: '33010001', stationName: '示例便民服务亭' };

  it('prints labelled, masked fields, the service’s own lines and the total with the fee', () => {
    const r = parseReceipt(receiptFor(txn({}), mobileTopup, station));
    expect(r.lines).toEqual([
      { label: '手机号码', value: '138****8000' },
      { label: '号码归属', value: '杭州' },
      { label: '业务参考号', value: 'MB123' },
      { label: '状态', value: '成功' },
    ]);
    expect(r).toMatchObject({
      serial: '0000000042',
      amount: '50.00',
      fee: '1.00',
      total: '51.00',
      operator: 'A001',
      reprint: false,
    });
    expect(JSON.stringify(r)).not.toContain('13800138000');
  });

  it('titles a reversal and marks a reprint', () => {
    const r = receiptFor(txn({ result: 'reversed', state: 'reversed' }), mobileTopup, {
      ...station,
      reprint: true,
      at: 5,
    });
    expect(r.title.zh).toBe('移动直充撤销');
    expect(r.lines).toContainEqual({ label: '状态', value: '已撤销，款项已退回' });
    expect(r).toMatchObject({ reprint: true, reprintedAt: 5 });
  });

  it('prints the telecom contract number and the arrears of that contract before payment', () => {
    const r = receiptFor(
      txn({
        service: 'telecom-bill',
        fields: { number: '057187654321', contractNo: 'HT0002', amount: '12.00' },
        data: {
          inquiry: {
            arrears: '30.00',
            contracts: [
              { contractNo: 'HT0001', arrears: '18.00' },
              { contractNo: 'HT0002', arrears: '12.00' },
            ],
          },
        },
      }),
      telecomBill,
      station,
    );
    expect(r.lines).toEqual([
      { label: '电信号码（固话含区号）', value: '057*****4321' },
      { label: '合同号', value: 'HT0002' },
      { label: '缴费前欠费', value: '￥12.00' },
      { label: '状态', value: '成功' },
    ]);
  });
});
