import type { Command } from 'commander';
import type { KioskApiClient } from '../api-client.ts';
import { withApi } from './api-command.ts';
import { registerReportBalance } from './report-balance.ts';
import { registerReportDaily } from './report-daily.ts';
import { registerReportHandover } from './report-handover.ts';
import type { ReportOpts } from './report-options.ts';
import { registerReportReconcile } from './report-reconcile.ts';
import { registerReportSettlement } from './report-settlement.ts';

/**
 * `kiosk report settlement|daily|handover|balance|reconcile`: settlement (柜员扎账 / 网点扎账), daily
 * and historical reports (营业日报), cross-day settlement (网点隔日扎账), the balance views and the
 * credit-card reconciliation, from the running kiosk's API; `--json` prints its answer, `--csv FILE`
 * saves the export.
 */
export function registerReport(program: Command, run: (fn: () => Promise<number>) => void): void {
  const report = program.command('report').description('扎账与报表 / settlement and reports');
  const action = (opts: ReportOpts, fn: (c: KioskApiClient) => Promise<number>) =>
    run(() => withApi(program, opts, 'operator', fn));
  registerReportSettlement(report, action);
  registerReportDaily(report, action);
  registerReportHandover(report, action);
  registerReportBalance(report, action);
  registerReportReconcile(report, action);
}
