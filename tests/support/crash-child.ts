/**
 * A kiosk process for crash tests: `node --import tsx crash-child.ts <json options>`.
 * It opens the journal in `dir`, and either starts a transaction (`create`) or only resumes what is
 * open (`resume`), then waits until nothing is open and prints a JSON summary. With `killAfter`,
 * it SIGKILLs itself right after that many journal events became durable.
 */

import { BalanceService } from '../../src/balance/balance-service.ts';
import { systemClock } from '../../src/core/clock.ts';
import { paymentFlow } from '../../src/core/transaction/flows.ts';
import type { ServiceDefinition } from '../../src/core/transaction/types.ts';
import { Engine } from '../../src/engine/engine.ts';
import { ServiceRegistry } from '../../src/engine/service-registry.ts';
import { Journal } from '../../src/journal/journal.ts';
import { verifyJournal } from '../../src/journal/verify.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FileHq } from './file-hq.ts';
import { testConfig } from './kiosk-harness.ts';
import { testBillService } from './test-service.ts';

interface Options {
  dir: string;
  hqFile: string;
  mode: 'create' | 'resume';
  scenario: 'ok' | 'pending' | 'reverse';
  killAfter?: number;
  crashAfterCharge?: boolean;
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const fast: ServiceDefinition = {
  ...testBillService,
  ...paymentFlow({
    queryDelayMs: () => 20,
    reversal: { queryDelayMs: () => 20, guard: () => null },
  }),
};
const config = await testConfig({
  engine: { requestTimeoutMs: 2000, maxAttempts: 3, retryBaseDelayMs: 20, retryMaxDelayMs: 100 },
});
const journal = new Journal({ path: o.dir, stationId: config.stationId, clock: systemClock });
await journal.open();
let events = 0;
journal.on('event', () => {
  events++;
  if (o.killAfter && events === o.killAfter) process.kill(process.pid, 'SIGKILL');
});
const hq = new FileHq(o.hqFile, {
  payOutcome: o.scenario === 'pending' ? 'pending' : 'ok',
  crashAfterCharge: o.crashAfterCharge ?? false,
});
const engine = new Engine({
  journal,
  clock: systemClock,
  config: () => config,
  logger: silentLogger(),
  services: new ServiceRegistry([fast]),
  runners: { hq },
});
const balance = new BalanceService(journal, () => config, silentLogger());
await engine.start();
const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
if (o.mode === 'create') {
  await balance.applyHqEvent({ kind: 'topup', fen: 100_00, ref: 'slip-1' });
  const t = await engine.create('test-bill', { phone: '13800138000', amount: '30' }, TELLER);
  const done = await engine.waitFor(t.serial, (x) => x.terminal);
  if (o.scenario === 'reverse' && done.state === 'succeeded') {
    await engine.act(t.serial, 'reverse', TELLER);
    await engine.waitFor(t.serial, (x) => x.terminal && x.state !== 'succeeded');
  }
}
for (const serial of await journal.openSerials()) await engine.waitFor(serial, (x) => x.terminal);
const txn = await journal.getTxn('0000000001');
const report = await verifyJournal(journal);
await engine.stop();
await journal.close();
process.stdout.write(
  `${JSON.stringify({ state: txn?.state ?? null, balance: balance.summary(), verify: report.problems, hq: FileHq.read(o.hqFile), txnKey: txn?.idempotencyKey })}\n`,
);
