import type { Receipt } from './receipt.ts';

/**
 * A fixed, realistic receipt (mobile top-up at a Hangzhou kiosk) for previews, golden files and
 * the simulator demo. Numbers are already masked as the services would pass them.
 */
export function sampleReceipt(overrides: Partial<Receipt> = {}): Receipt {
  return {
    title: { zh: '便民服务缴费凭条', en: 'Payment receipt' },
    stationId: '33010001',
    stationName: '西湖区文三路便民服务亭',
    serial: '20261126330100010042',
    businessDate: '20261126',
    // 2026-11-26 10:05:09 in Asia/Shanghai
    time: Date.UTC(2026, 10, 26, 2, 5, 9),
    operator: '0012',
    serviceName: '移动直充',
    lines: [
      { label: '手机号', value: '138****8000' },
      { label: '归属地', value: '浙江杭州' },
      { label: '充值面额', value: '50元' },
      { label: '状态', value: '充值成功' },
    ],
    amount: '50.00',
    fee: '0.00',
    total: '50.00',
    reprint: false,
    footer: ['服务热线 11185', '谢谢惠顾 Thank you'],
    ...overrides,
  };
}
