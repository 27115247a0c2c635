import type { LedgerMovement } from '../../reports/ledger-movement.ts';
import type { Settlement } from '../../reports/settlement.ts';
import { printTable } from '../output.ts';
import { localTime } from './api-command.ts';

/** A settlement as a table by business type, then the cash due. */
export function printSettlement(s: Settlement): void {
  const t = (x: { count: number; total: string }) => `${x.count} / ￥${x.total}`;
  process.stdout.write(
    `${s.kind === 'station' ? '网点扎账 station settlement' : `柜员扎账 teller settlement ${s.operator}`}  账务日期 ${s.businessDate}  ${localTime(s.at)}\n`,
  );
  printTable(
    ['业务 service', '缴费 payments', '撤销 reversals', '净额 net', '现金 cash', '扫码 QR', '未完成 open'],
    [
      ...s.rows.map((r) => [
        r.serviceName.zh,
        t(r.payments),
        t(r.reversals),
        t(r.net),
        t(r.cash),
        t(r.qr),
        t(r.open),
      ]),
      [
        '合计 total',
        t(s.totals.payments),
        t(s.totals.reversals),
        t(s.totals.net),
        t(s.totals.cash),
        t(s.totals.qr),
        t(s.totals.open),
      ],
    ],
  );
  process.stdout.write(
    `应有现金 cash due ￥${s.cashDue}   扫码(不入钱箱) QR ￥${s.qrNet}   信誉度净支出 prepaid net ￥${s.prepaidNet}\n`,
  );
}

/** The prepaid balance's movement over a report's window. */
export function printLedger(m: LedgerMovement): void {
  process.stdout.write(
    `期初 opening ￥${m.opening}  续费 top-ups ￥${m.topups}  续费撤销 ￥${m.topupReversals}  消费 consumption ￥${m.consumption}  撤销退回 ￥${m.reversalCredits}  调账 ￥${m.adjustments}  退款 ￥${m.refunds}  期末 closing ￥${m.closing}\n`,
  );
}
