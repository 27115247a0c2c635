import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { LedgerRow } from '../../reports/balance-views.ts';
import type { DailyReport } from '../../reports/daily-report.ts';
import type { LedgerMovement } from '../../reports/ledger-movement.ts';
import type { Settlement } from '../../reports/settlement.ts';
import type { HandoverRecord, SettlementRecord } from '../../settlement/settlement-book.ts';
import type { KioskApiClient } from '../api-client.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type ApiOptions, apiOptions, localTime, withApi } from './api-command.ts';
import { registerReportReconcile } from './report-reconcile.ts';

type Opts = ApiOptions & {
  station?: boolean;
  teller?: string;
  date?: string;
  from?: string;
  to?: string;
  csv?: string;
  print?: boolean;
  record?: boolean;
  group?: string;
  limit?: string;
  after?: string;
  handedIn?: string;
  note?: string;
};

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** --station or --teller CODE as API scope parameters; neither leaves the default of the role. */
const scopeParams = (o: Opts) => ({
  scope: o.station ? 'station' : o.teller ? 'teller' : undefined,
  operator: o.teller?.toUpperCase(),
});

const scoped = (cmd: Command) =>
  cmd
    .option('--station', '网点 (supervisor): the whole station')
    .option('--teller <code>', '柜员: this teller (a teller may only name themself)');

/** Saves a CSV export byte for byte (UTF-8 with BOM) to FILE, or to stdout with "-". */
async function saveCsv(client: KioskApiClient, path: string, file: string): Promise<number> {
  const bytes = await client.bytes(path);
  if (file === '-') process.stdout.write(bytes);
  else {
    await writeFile(file, bytes);
    process.stderr.write(`已导出 exported ${file}\n`);
  }
  return EXIT.OK;
}

function printSettlement(s: Settlement): void {
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

function printLedger(m: LedgerMovement): void {
  process.stdout.write(
    `期初 opening ￥${m.opening}  续费 top-ups ￥${m.topups}  续费撤销 ￥${m.topupReversals}  消费 consumption ￥${m.consumption}  撤销退回 ￥${m.reversalCredits}  调账 ￥${m.adjustments}  退款 ￥${m.refunds}  期末 closing ￥${m.closing}\n`,
  );
}

/**
 * `kiosk report settlement|daily|handover|balance`: settlement (柜员扎账 / 网点扎账), daily and
 * historical reports (营业日报), cross-day settlement (网点隔日扎账) and the balance views, from the
 * running kiosk's API; `--json` prints its answer, `--csv FILE` saves the export.
 */
export function registerReport(program: Command, run: (fn: () => Promise<number>) => void): void {
  const report = program.command('report').description('扎账与报表 / settlement and reports');
  const action = (opts: Opts, fn: (c: KioskApiClient) => Promise<number>) =>
    run(() => withApi(program, opts, 'operator', fn));

  apiOptions(
    scoped(
      report
        .command('settlement')
        .description('柜员扎账 / 网点扎账: totals by business type and the cash the drawer should hold')
        .option('--record', 'record it (journal, HQ digest) and print the slip')
        .option('--no-print', 'with --record: do not print')
        .option('--csv <file>', 'save as CSV (UTF-8 with BOM); "-" for stdout'),
    ),
  ).action((opts: Opts) =>
    action(opts, async (client) => {
      const params = scopeParams(opts);
      if (opts.csv)
        return saveCsv(client, `/api/reports/settlement${query({ ...params, format: 'csv' })}`, opts.csv);
      const s = opts.record
        ? await client.post<Settlement & { record: SettlementRecord }>('/api/reports/settlement', {
            ...params,
            print: opts.print !== false,
          })
        : await client.get<Settlement>(`/api/reports/settlement${query(params)}`);
      if (opts.json) printJson(s);
      else {
        printSettlement(s);
        const rec = (s as { record?: SettlementRecord }).record;
        if (rec) process.stdout.write(`已记录 recorded #${rec.id}  摘要 digest ${rec.digest}\n`);
      }
      return EXIT.OK;
    }),
  );

  apiOptions(
    scoped(
      report
        .command('daily')
        .description('营业日报 / daily report of a date, or the historical report of a range')
        .option('--date <yyyymmdd>', 'business date (default today)')
        .option('--from <yyyymmdd>', 'first business date of a range')
        .option('--to <yyyymmdd>', 'last business date of a range (default today)')
        .option('--print', 'print it through the kiosk’s printer')
        .option('--csv <file>', 'save as CSV (UTF-8 with BOM); "-" for stdout'),
    ),
  ).action((opts: Opts) =>
    action(opts, async (client) => {
      const params = { ...scopeParams(opts), date: opts.date, from: opts.from, to: opts.to };
      if (opts.csv)
        return saveCsv(client, `/api/reports/daily${query({ ...params, format: 'csv' })}`, opts.csv);
      const r = await client.get<DailyReport>(`/api/reports/daily${query(params)}`);
      if (opts.print) await client.post('/api/reports/daily/print', params);
      if (opts.json) {
        printJson(r);
        return EXIT.OK;
      }
      process.stdout.write(
        `${r.kind === 'station' ? '网点营业日报 station' : `柜员营业日报 teller ${r.operator}`}  ${r.from}–${r.to}\n`,
      );
      printTable(
        [
          '账务日期 date',
          '笔数 txns',
          '净额 net',
          '撤销 reversals',
          '失败 failed',
          '应有现金 cash due',
          '扫码 QR',
          '期末余额 closing',
        ],
        r.days.map((d) => [
          d.businessDate,
          d.transactions,
          `${d.settlement.totals.net.count} / ￥${d.settlement.totals.net.total}`,
          `${d.settlement.totals.reversals.count} / ￥${d.settlement.totals.reversals.total}`,
          `${d.failed.count} / ￥${d.failed.total}`,
          d.settlement.cashDue,
          d.settlement.qrNet,
          d.ledger?.closing ?? '',
        ]),
      );
      printSettlement(r.summary);
      if (r.ledger) printLedger(r.ledger);
      return EXIT.OK;
    }),
  );

  apiOptions(
    report
      .command('handover')
      .description(
        '网点隔日扎账 / record the cash handed in for a business date (supervisor); without --handed-in, list them',
      )
      .option('--date <yyyymmdd>', 'business date (default today)')
      .option('--handed-in <yuan>', 'cash handed in')
      .option('--note <text>', 'a remark'),
  ).action((opts: Opts) =>
    action(opts, async (client) => {
      if (opts.handedIn === undefined) {
        const l = await client.get<{ businessDate: string; handovers: HandoverRecord[] }>(
          `/api/reports/handover${query({ date: opts.date })}`,
        );
        if (opts.json) printJson(l);
        else
          printTable(
            ['#', '账务日期 date', '应交 due', '实交 handed in', '差额 difference', '操作员 by'],
            l.handovers.map((h) => [
              h.id,
              h.businessDate,
              h.cashDueFen / 100,
              h.handedInFen / 100,
              h.differenceFen / 100,
              h.by,
            ]),
          );
        return EXIT.OK;
      }
      const h = await client.post<HandoverRecord>('/api/reports/handover', {
        ...(opts.date ? { date: opts.date } : {}),
        handedIn: opts.handedIn,
        ...(opts.note ? { note: opts.note } : {}),
      });
      if (opts.json) printJson(h);
      else
        process.stdout.write(
          `网点隔日扎账 #${h.id} ${h.businessDate}: 应交 due ￥${(h.cashDueFen / 100).toFixed(2)}  实交 handed in ￥${(h.handedInFen / 100).toFixed(2)}  差额 difference ￥${(h.differenceFen / 100).toFixed(2)}\n`,
        );
      return EXIT.OK;
    }),
  );

  apiOptions(
    report
      .command('balance')
      .description(
        '余额明细 / balance views: 续费明细 topups, 交易明细 consumption, 余额变更 changes, 调账 adjustments, 退款通知 refunds',
      )
      .option(
        '--group <view>',
        'topups | consumption | changes | adjustments | refunds | reversalCredits | holds',
      )
      .option('--from <yyyymmdd>', 'first business date')
      .option('--to <yyyymmdd>', 'last business date (default today)')
      .option('--limit <n>', 'entries per page (1–500, default 50)')
      .option('--after <cursor>', 'the page after this cursor (the "next" of the previous page)')
      .option('--print', 'print this page (and the range’s movement) on the kiosk’s printer')
      .option('--csv <file>', 'save the whole range as CSV (UTF-8 with BOM); "-" for stdout'),
  ).action((opts: Opts) =>
    action(opts, async (client) => {
      const params = {
        group: opts.group,
        from: opts.from,
        to: opts.to,
        limit: opts.limit,
        after: opts.after,
      };
      if (opts.csv) return saveCsv(client, `/api/balance${query({ ...params, format: 'csv' })}`, opts.csv);
      if (opts.print) {
        const p = await client.post<{ printed: { outcome: string } | null }>('/api/balance/print', params);
        if (opts.json) printJson(p);
        else process.stdout.write(`打印 printed: ${p.printed?.outcome ?? 'no printer'}\n`);
        return p.printed?.outcome === 'printed' ? EXIT.OK : EXIT.PROBLEMS;
      }
      const b = await client.get<{
        balance: string;
        held: string;
        available: string;
        low: boolean;
        lowWarning: string;
        movement: LedgerMovement | null;
        count: number | null;
        next: string | null;
        entries: LedgerRow[];
      }>(`/api/balance${query(params)}`);
      if (opts.json) {
        printJson(b);
        return EXIT.OK;
      }
      process.stdout.write(
        `余额 balance ￥${b.balance}  冻结 held ￥${b.held}  可用 available ￥${b.available}${b.low ? `  低于预警线 ￥${b.lowWarning} below the warning line` : ''}\n`,
      );
      printTable(
        ['#', '时间 time', '类型 kind', '变动 change', '余额 after', '流水号/参考 ref'],
        b.entries.map((e) => [
          e.seq,
          localTime(e.at),
          e.kindLabel.zh,
          e.delta,
          e.balanceAfter,
          e.serial ?? e.ref ?? '',
        ]),
      );
      if (b.movement) printLedger(b.movement);
      if (b.count !== null) process.stdout.write(`共 ${b.count} 条 entries in the range\n`);
      if (b.next) process.stdout.write(`下一页 next page: --after ${b.next}\n`);
      return EXIT.OK;
    }),
  );

  registerReportReconcile(report, action);
}
