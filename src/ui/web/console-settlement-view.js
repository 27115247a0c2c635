import { table } from './console-kit.js';
import { bi, dl, h } from './dom.js';

/** What became of a report sent to the printer (null: no printer configured). @param {{ outcome: string } | null} p */
export const printedZh = (p) =>
  p === null ? '（未接打印机）' : p.outcome === 'printed' ? '，已打印' : `，打印：${p.outcome}`;
/** @param {{ outcome: string } | null} p */
export const printedEn = (p) =>
  p === null ? ' (no printer)' : p.outcome === 'printed' ? ', printed' : `, printer: ${p.outcome}`;

/**
 * One settlement: by business type the count, net, cash and QR; what the drawer should hold.
 * @param {any} s
 */
export function settlementView(s) {
  return h(
    'div',
    { class: 'settlement', 'data-k': 'settlement' },
    h(
      'h2',
      {},
      bi(
        `${s.kind === 'station' ? '网点' : `柜员 ${s.operator}`} 账务日期 ${s.businessDate}`,
        `${s.kind === 'station' ? 'Station' : `Teller ${s.operator}`}, business date ${s.businessDate}`,
      ),
    ),
    dl(
      [
        [{ zh: '现金应有', en: 'Cash due' }, `￥${s.cashDue}`, 'cashDue'],
        [{ zh: '扫码净额', en: 'QR net' }, `￥${s.qrNet}`, 'qrNet'],
        [{ zh: '信誉度净扣', en: 'Prepaid net' }, `￥${s.prepaidNet}`, 'prepaidNet'],
      ],
      'quote compact',
    ),
    rowsTable([...s.rows, { serviceName: { zh: '合计', en: 'Total' }, ...s.totals }]),
  );
}

/** Rows by business type, the total last. @param {any[]} rows */
export function rowsTable(rows) {
  return table(
    [
      { zh: '业务', en: 'Service' },
      { zh: '笔数', en: 'Count' },
      { zh: '撤销', en: 'Reversed' },
      { zh: '净额', en: 'Net' },
      { zh: '现金', en: 'Cash' },
      { zh: '扫码', en: 'QR' },
      { zh: '未完成', en: 'Open' },
    ],
    rows.map((r) => [
      r.serviceName.zh,
      String(r.payments.count),
      String(r.reversals.count),
      `￥${r.net.total}`,
      `￥${r.cash.total}`,
      `￥${r.qr.total}`,
      String(r.open.count),
    ]),
    'settlement-rows',
  );
}
