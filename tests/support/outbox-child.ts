/**
 * A kiosk process for the outbox crash test: journal + HQ link over mTLS, writing journal events
 * as fast as it can. Prints `wrote <n> peak-in-flight <batches>` lines (the most relay batches
 * awaiting HQ's ack at once so far), and `total <lastSeq>` after a fixed count.
 * Env: DIR, STATION, BROKER, CA, CERT, KEY, HQ_PUB (PEM), COUNT (0 = until killed).
 */
import { join } from 'node:path';
import { BalanceService } from '../../src/balance/balance-service.ts';
import { loadConfig } from '../../src/config/load.ts';
import { systemClock } from '../../src/core/clock.ts';
import { HqLink } from '../../src/hq-link/link.ts';
import { Journal } from '../../src/journal/journal.ts';
import { silentLogger } from '../../src/platform/logger.ts';

const env = (k: string): string => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`missing ${k}`);
  return v;
};
const station = env('STATION');
const dir = env('DIR');
const { config } = await loadConfig({
  overrides: {
    stationId: station,
    dataDir: dir,
    hq: {
      mode: 'broker',
      brokerUrl: env('BROKER'),
      protocolVersion: 5,
      tls: { ca: env('CA'), cert: env('CERT'), key: env('KEY') },
      publicKey: env('HQ_PUB'),
      reconnect: { minDelayMs: 100, maxDelayMs: 500 },
      relay: { batchMax: 20, inflightMax: 8, ackTimeoutMs: 2000 },
    },
  },
});
const journal = new Journal({ path: join(dir, 'journal'), stationId: station, clock: systemClock });
await journal.open();
const logger = silentLogger();
const link = new HqLink({
  config: () => config,
  journal,
  balance: new BalanceService(journal, () => config, logger),
  clock: systemClock,
  logger,
});
await link.start();
process.once('SIGTERM', () => {
  void link
    .stop()
    .then(() => journal.close())
    .then(() => process.exit(0));
});
const count = Number(process.env.COUNT ?? '0');
for (let i = 1; count === 0 || i <= count; i++) {
  await journal.commit((b) => {
    b.event({ type: 'system', info: { n: i, pid: process.pid } });
  });
  if (i % 50 === 0) process.stdout.write(`wrote ${i} peak-in-flight ${link.relayStats?.peakInFlight ?? 0}\n`);
}
process.stdout.write(`total ${journal.lastCounters.event}\n`);
