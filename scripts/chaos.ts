/**
 * Fault injection over the production shape (`npm run chaos`, `-- --short` for CI): the kiosk and
 * the reference HQ as real processes over a real Mosquitto, a mixed operator load, SIGKILLs of
 * either at random moments, a hostile kiosk certificate on the broker during the load; then, with
 * everything settled, the write-ahead log and a table of copies of the journal damaged, and a hostile
 * local client on the embedded broker, and a full then freed disk (root only). Prints ONE JSON line:
 * `{kills, corruptions, fullDisks, forged, violations, diffFen}`; exits 1 unless violations and diffFen are 0.
 * What each violation was goes to stderr.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { Journal } from '../src/journal/journal.ts';
import { verifyJournal } from '../src/journal/verify.ts';
import {
  attackEmbeddedBroker,
  attackMosquitto,
  corruptCopy,
  type FaultTally,
  fillAndFreeDisk,
} from '../tests/support/chaos-faults.ts';
import { ChaosStack, STACK_STATION } from '../tests/support/chaos-stack.ts';
import { until } from '../tests/support/wait.ts';

const short = process.argv.includes('--short');
const ROUNDS = short ? 3 : 40;
const SALES: Array<{ service: string; fields: Record<string, string> }> = [
  { service: 'water-bill', fields: { account: '55501234' } },
  { service: 'gas-bill', fields: { account: '66601234' } },
  { service: 'mobile-topup', fields: { phone: '13800138000' } },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const log = (s: string) => process.stderr.write(`chaos: ${s}\n`);

const tally = { kills: 0, corruptions: 0, fullDisks: 0, forged: 0, violations: [] as string[], diffFen: 0 };
const add = (t: FaultTally) => {
  tally.corruptions += t.corruptions;
  tally.forged += t.forged;
  tally.violations.push(...t.violations);
};

const dir = await mkdtemp(join(tmpdir(), 'kiosk-chaos-'));
const stack = new ChaosStack(dir);
const serials = new Set<string>();
let loading = true;

/** One operator selling in a loop; refusals and connection errors during kills are expected. */
async function seller(): Promise<void> {
  while (loading) {
    const s = SALES[rand(0, SALES.length - 1)]!;
    const r = await stack.kiosk
      .api('POST', `/api/services/${s.service}/transactions`, { ...s.fields, amount: `${rand(1, 20)}.00` })
      .catch(() => null);
    if (r?.status === 201 && typeof r.body?.serial === 'string') serials.add(r.body.serial);
    if (r?.status === 401) await stack.kiosk.login().catch(() => undefined);
    await sleep(rand(20, 150));
  }
}

try {
  await stack.start();
  await until(
    async () => (await stack.kiosk.api('GET', '/api/balance').catch(() => null))?.body?.balance === '1000.00',
    60_000,
    'the opening balance',
  );
  const sellers = [seller(), seller()];
  for (let i = 0; i < ROUNDS; i++) {
    await sleep(rand(300, 1500));
    if (i % 3 === 2) {
      await stack.killHq();
      tally.kills++;
      await sleep(rand(100, 800));
      await stack.startHq();
    } else {
      await stack.kiosk.kill();
      tally.kills++;
      await stack.kiosk.start();
    }
    if (i === 1) add(await attackMosquitto(stack));
  }
  loading = false;
  await Promise.all(sellers);
  log(`${serials.size} sales accepted; settling`);

  // Settled: every sale final, nothing held, the journal relayed.
  const final = async (serial: string) => (await stack.kiosk.api('GET', `/api/transactions/${serial}`)).body;
  for (const serial of serials) {
    await until(async () => (await final(serial))?.terminal === true, 120_000, `${serial} to finish`).catch(
      () => tally.violations.push(`transaction ${serial} never finished`),
    );
  }
  const balance = (await stack.kiosk.api('GET', '/api/balance')).body;
  if (balance?.held !== '0.00') tally.violations.push(`money still held: ${balance?.held}`);
  const kioskFen = Math.round(Number(balance?.balance) * 100);
  await stack.kiosk.stop();
  await stack.stopHq();
  tally.diffFen = kioskFen - (await stack.hqBalanceFen());
  // The young write-ahead log as the last process left it (opening the journal here compacts it).
  add(await corruptCopy(stack, '.log', 1));

  const journal = new Journal({
    path: join(dir, 'data'),
    stationId: STACK_STATION,
    clock: systemClock,
  });
  await journal.open();
  const report = await verifyJournal(journal);
  await journal.close();
  for (const p of report.problems) tally.violations.push(`journal: ${p.kind} ${p.message}`);

  log(`journal verified: ${report.counts.events} events`);
  add(await corruptCopy(stack, '.ldb', 2));
  add(await attackEmbeddedBroker());
  const disk = await fillAndFreeDisk(dir);
  add(disk);
  tally.fullDisks = disk.fullDisks;
} catch (e) {
  tally.violations.push(`the run itself failed: ${(e as Error).message}`);
} finally {
  loading = false;
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
}

for (const v of tally.violations) log(`VIOLATION ${v}`);
const line = {
  kills: tally.kills,
  corruptions: tally.corruptions,
  fullDisks: tally.fullDisks,
  forged: tally.forged,
  violations: tally.violations.length,
  diffFen: tally.diffFen,
};
process.stdout.write(`${JSON.stringify(line)}\n`);
process.exit(line.violations === 0 && line.diffFen === 0 ? 0 : 1);
