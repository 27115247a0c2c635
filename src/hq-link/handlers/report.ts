import type { Journal } from '../../journal/journal.ts';
import { transactionsOfPeriod } from '../../journal/transaction-list.ts';
import { reportCommandSchema } from '../../protocol/schemas/index.ts';
import { defineHandler } from './handler.ts';

interface Totals {
  count: number;
  amountFen: number;
  feeFen: number;
}

/** Totals by service and result of the transactions whose business date starts with `period`. */
export async function periodTotals(journal: Journal, period: string): Promise<Record<string, unknown>> {
  const byService: Record<string, Record<string, Totals>> = {};
  let count = 0;
  for await (const t of transactionsOfPeriod(journal, period)) {
    count++;
    const result = t.result ?? 'open';
    const svc = byService[t.service] ?? {};
    byService[t.service] = svc;
    const tot = svc[result] ?? { count: 0, amountFen: 0, feeFen: 0 };
    svc[result] = tot;
    tot.count++;
    tot.amountFen += t.amountFen;
    tot.feeFen += t.feeFen;
  }
  return { period, count, byService };
}

/** Builds a report HQ asked for and publishes it on `up/report`. */
export const reportHandler = defineHandler({
  name: 'report',
  schema: reportCommandSchema,
  async apply(data, ctx, meta) {
    let body: Record<string, unknown>;
    if (data.report === 'open') {
      const items = [];
      for (const serial of await ctx.journal.openSerials()) {
        const t = await ctx.journal.getTxn(serial);
        if (t)
          items.push({
            serial,
            service: t.service,
            state: t.state,
            since: t.stateSince,
            amountFen: t.amountFen,
          });
      }
      body = { count: items.length, items };
    } else {
      body = await periodTotals(ctx.journal, data.period ?? '');
    }
    await ctx.publishReport(meta.seq, data.report, body);
    return { report: data.report, period: data.period };
  },
});
