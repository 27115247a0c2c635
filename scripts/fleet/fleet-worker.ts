/**
 * One process of simulated kiosks for `npm run fleet`: `node --import tsx fleet-worker.ts <json>`,
 * spawned with an IPC channel. Starts its kiosks, says `ready` once every one is online, enabled
 * and funded by HQ, runs the load on `go`, then waits until no transaction is open and sends its
 * latencies, outcomes and every kiosk's balance (fen). `stop` closes the kiosks.
 */
import { join } from 'node:path';
import { clockStartingAt } from '../../tests/support/chosen-time.ts';
import { until } from '../../tests/support/wait.ts';
import { FleetKiosk } from './fleet-kiosk.ts';
import { FLEET_SALES, type WorkerMessage, type WorkerOptions } from './fleet-protocol.ts';

const o = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
// The IPC channel closes when the fleet process dies, however it dies: then so do its kiosks.
process.once('disconnect', () => process.exit(1));
// The process runs at the fleet's chosen time through libfaketime; the clock reads it as it goes.
const clock = clockStartingAt(Date.now());
const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const send = (m: WorkerMessage) => process.send?.(m);
const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const kiosks = o.stations.map(
  (s) =>
    new FleetKiosk({
      station: s.station,
      dir: join(o.dir, s.station),
      brokerUrl: o.brokerUrl,
      tls: { ca: o.ca, cert: s.cert, key: s.key },
      hqPublicKey: o.hqPublicKey,
      clock,
    }),
);

async function inBatches<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += n) await Promise.all(items.slice(i, i + n).map(fn));
}

const funded = (k: FleetKiosk) =>
  k.link.online &&
  FLEET_SALES.every((s) => k.enabled(s.service)) &&
  k.journal.balance.balanceFen >= o.openingFen;

// Ten kiosks at a time, a pause between tens: the broker and HQ see a city's kiosks come online
// over seconds, not all TLS handshakes and first contacts in one instant.
await inBatches(kiosks, 10, async (k) => {
  await k.start();
  await sleep(rand(0, o.startSpreadMs));
});
await until(() => kiosks.every(funded), 600_000, 'every kiosk online, enabled and funded');
send({ type: 'ready' });

const latencies: number[] = [];
const outcomes: Record<string, number> = {};
let done = 0;

/** One kiosk's operator: `txns` sales of the mixed load, with a little time between them. */
async function operator(k: FleetKiosk): Promise<void> {
  for (let i = 0; i < o.txnsPerKiosk; i++) {
    await sleep(rand(0, o.thinkMs));
    const sale = FLEET_SALES[rand(0, FLEET_SALES.length - 1)]!;
    const started = performance.now();
    try {
      const t = await k.engine.create(
        sale.service,
        { ...sale.fields, amount: sale.amount(Math.random()) },
        TELLER,
      );
      const end = await k.engine.waitFor(t.serial, (x) => x.terminal);
      latencies.push(performance.now() - started);
      outcomes[end.state] = (outcomes[end.state] ?? 0) + 1;
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'error';
      outcomes[`refused:${code}`] = (outcomes[`refused:${code}`] ?? 0) + 1;
    }
    done++;
  }
}

process.on('message', (m: { type: string }) => {
  if (m.type === 'go') void load();
  if (m.type === 'stop')
    void inBatches(kiosks, 20, (k) => k.stop()).then(() => {
      send({ type: 'stopped' });
      process.exit(0);
    });
});

async function load(): Promise<void> {
  const progress = setInterval(() => send({ type: 'progress', done }), 200);
  await Promise.all(kiosks.map(operator));
  clearInterval(progress);
  send({ type: 'progress', done });
  // Every transaction resolved: nothing open, nothing held.
  const settled = async () => {
    for (const k of kiosks) if ((await k.journal.openSerials()).length > 0) return false;
    return true;
  };
  await until(settled, 600_000, 'every open transaction to resolve');
  send({
    type: 'result',
    latencies,
    outcomes,
    balances: Object.fromEntries(
      kiosks.map((k) => [
        k.opts.station,
        { balanceFen: k.journal.balance.balanceFen, heldFen: k.journal.balance.heldFen },
      ]),
    ),
  });
}
