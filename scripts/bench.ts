/**
 * `npm run bench`: prints one JSON line per figure, each with the baseline measured in the same
 * run on the same machine. Figures, not pass/fail: targets are printed for comparison.
 */
import { existsSync } from 'node:fs';
import {
  benchBarePut,
  benchChainHead,
  benchJournalCommit,
  benchRecovery,
  benchStepAgainstBare,
  WARM_UP_TRANSACTIONS,
} from './bench-journal.ts';

function emit(figure: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

const quick = process.argv.includes('--quick');
const steps = quick ? 300 : 2000;

const bare = await benchBarePut(steps * 3);
const head = await benchChainHead(steps * 3);
const commit = await benchJournalCommit(steps * 3);
emit({
  figure: 'journal.commit_vs_bare_sync_put',
  unit: 'us/op',
  value: Number(commit.toFixed(1)),
  baseline: Number(bare.toFixed(1)),
  ratio: Number((commit / bare).toFixed(3)),
});
emit({
  figure: 'journal.chain_head_write_vs_bare_sync_put',
  unit: 'us/op',
  value: Number(head.toFixed(1)),
  baseline: Number(bare.toFixed(1)),
  ratio: Number((head / bare).toFixed(3)),
  note: "a durable (O_DSYNC) head write, as measured here, is made once the last durable one is 100 ms old during back-to-back commits, and after a pause; the others go to the page cache; each is written beside its group's batch, not after it",
});
const seq = await benchStepAgainstBare(steps);
emit({
  figure: 'journal.step_vs_bare_sync_put',
  unit: 'us/op',
  value: Number(seq.stepUs.toFixed(1)),
  baseline: Number(seq.bareUs.toFixed(1)),
  ratio: Number((seq.stepUs / seq.bareUs).toFixed(3)),
  target: '<= 1.3',
  note: `one transaction at a time (three steps: created+hold and the first intent share one durable write, then the outcome), timed after ${WARM_UP_TRANSACTIONS} transactions (the JIT has settled); step and baseline measured in alternating rounds`,
});
const conc = await benchStepAgainstBare(steps, 8);
emit({
  figure: 'journal.step_vs_bare_sync_put_concurrent8',
  unit: 'us/op',
  value: Number(conc.stepUs.toFixed(1)),
  baseline: Number(conc.bareUs.toFixed(1)),
  ratio: Number((conc.stepUs / conc.bareUs).toFixed(3)),
  note: '8 transactions in flight: their steps share synced batches (group commit)',
});

const { benchWriteCost } = await import('./bench-write-cost.ts');
for (const f of benchWriteCost(quick ? 100 : 500)) emit(f);

const n = quick ? 10_000 : 100_000;
const rec = await benchRecovery(n, 100);
emit({
  figure: 'journal.open_and_recover',
  transactions: n,
  open: 100,
  unit: 'ms',
  value: Number(rec.openMs.toFixed(1)),
  target: '< 2000',
});
emit({
  figure: 'journal.full_verify',
  transactions: n,
  events: rec.events,
  unit: 'ms',
  value: Number(rec.verifyMs.toFixed(1)),
  problems: rec.problems,
  note: 'the start-up check: the kiosk sells nothing until it has passed',
});
emit({
  figure: 'journal.startup_check_per_1000_events',
  unit: 'ms',
  value: Number(((rec.verifyMs / rec.events) * 1000).toFixed(2)),
});

const outbox = new URL('./bench-outbox.ts', import.meta.url);
if (existsSync(outbox)) {
  const mod = (await import(outbox.href)) as {
    benchOutbox?: (rounds: number) => Promise<Record<string, unknown> | Record<string, unknown>[]>;
  };
  if (mod.benchOutbox) for (const f of [await mod.benchOutbox(quick ? 6 : 20)].flat()) emit(f);
}

const { benchStartup } = await import('./bench-startup.ts');
for (const f of await benchStartup(quick ? 3 : 5)) emit(f);

const { benchUi } = await import('./bench-ui.ts');
for (const f of await benchUi(quick ? 3 : 7, quick ? 20 : 60)) emit(f);

const { benchTimeToResult } = await import('./bench-result.ts');
emit(await benchTimeToResult(quick ? 3 : 9));

const { benchReports } = await import('./bench-reports.ts');
for (const f of await benchReports(quick ? 5000 : 50_000)) emit(f);

const { benchMemory } = await import('./bench-memory.ts');
emit(await benchMemory(quick ? 1000 : 10_000));
