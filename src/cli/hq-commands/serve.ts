import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.ts';
import { Money } from '../../core/money.ts';
import { createLogger } from '../../platform/logger.ts';
import { loadPrivateKey } from '../../protocol/signed.ts';
import { FaultController, parseFault } from '../../reference-hq/faults.ts';
import { ensureSigningKey } from '../../reference-hq/keys.ts';
import { HqServer } from '../../reference-hq/server.ts';
import { isPostgresUrl, openHqStore } from '../../reference-hq/store-open.ts';
import { out } from './print.ts';

interface ServeOptions {
  broker: string;
  protocol: string;
  ca?: string;
  cert?: string;
  key?: string;
  data: string;
  store?: string;
  signingKey?: string;
  instance: string;
  share: string;
  prefix: string;
  fault: string[];
  latency: string;
  settle: string;
  reversalInterval: string;
  openingBalance: string;
  dayCut: string;
  json?: boolean;
}

export function registerServe(program: Command, run: (fn: () => Promise<number>) => void): void {
  program
    .command('serve')
    .description('run a reference HQ instance (several may share one broker and subscription group)')
    .requiredOption('--broker <url>', 'broker url, e.g. mqtts://broker:8883')
    .option('--protocol <4|5>', 'MQTT protocol version', '5')
    .option('--ca <file>', 'CA certificate (PEM)')
    .option('--cert <file>', 'HQ client certificate (PEM, CN=hq)')
    .option('--key <file>', 'HQ client key (PEM)')
    .option('--data <dir>', 'HQ data folder (LevelDB, signing key)', 'var/hq-serve')
    .option(
      '--store <url>',
      'shared state: a postgres:// URL every instance is given (default: LevelDB in --data, one process)',
      process.env.KIOSK_HQ_STORE,
    )
    .option('--signing-key <file>', 'Ed25519 signing key (PEM); created in --data when absent')
    .option('--instance <id>', 'this instance’s name (MQTT client id hq-<id>)', `${process.pid}`)
    .option('--share <group>', 'shared-subscription group, or "none"', 'hq')
    .option('--prefix <level>', 'topic prefix', 'kiosk')
    .option(
      '--fault <service=mode[:ms]>',
      'inject a biller fault (repeatable)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option('--latency <ms>', 'biller latency', '300')
    .option('--settle <ms>', 'asynchronous billers settle after', '5000')
    .option('--reversal-interval <minutes>', 'manual reversal processing period', '30')
    .option('--opening-balance <yuan>', 'prepaid balance given to a new station', '0')
    .option('--day-cut <HH:MM>', 'day cut (日切) for business dates, as the stations are configured', '21:00')
    .option('--json', 'print start-up facts as JSON')
    .action((o: ServeOptions) =>
      run(async () => {
        const storeUrl = o.store ? parseStore(o.store) : undefined;
        const data = resolve(o.data);
        await mkdir(data, { recursive: true, mode: 0o700 });
        const keyFile = o.signingKey ?? join(data, 'hq-signing.key');
        const key = await ensureSigningKey(keyFile);
        const faults = new FaultController();
        for (const f of o.fault) faults.apply(parseFault(f));
        const read = async (p?: string) => (p ? await readFile(p) : undefined);
        const [ca, cert, tlsKey] = await Promise.all([read(o.ca), read(o.cert), read(o.key)]);
        const store = await openHqStore(storeUrl ?? join(data, 'db'));
        const logger = createLogger({ name: 'kiosk-hq' });
        const server = new HqServer({
          url: o.broker,
          protocolVersion: o.protocol === '4' ? 4 : 5,
          tls: { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(tlsKey ? { key: tlsKey } : {}) },
          clientId: `hq-${o.instance}`,
          topicPrefix: o.prefix,
          shareGroup: o.share === 'none' ? null : o.share,
          signingKey: loadPrivateKey(key.privatePem),
          store,
          clock: systemClock,
          logger,
          faults,
          billerLatencyMs: Number(o.latency),
          settleMs: Number(o.settle),
          reversalIntervalMin: Number(o.reversalInterval),
          openingBalanceFen: Money.of(o.openingBalance).toFen(),
          dayCut: parseDayCut(o.dayCut),
        });
        await server.start();
        out(
          o.json,
          {
            broker: o.broker,
            clientId: `hq-${o.instance}`,
            publicKey: key.publicBase64,
            data,
            store: o.store ? 'postgresql' : 'leveldb',
          },
          () =>
            [
              `reference HQ hq-${o.instance} serving on ${o.broker}`,
              `HQ public key: ${key.publicBase64}`,
            ].join('\n'),
        );
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        await server.stop();
        await store.close();
        return 0;
      }),
    );
}

/** `--day-cut` as HH:MM (00:00–23:59); anything else is refused naming the option. */
function parseDayCut(v: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v))
    throw new Error(`--day-cut: must be HH:MM (00:00–23:59), got "${v}"`);
  return v;
}

/** `--store` must be a PostgreSQL connection URL; anything else is refused naming the option. */
function parseStore(v: string): string {
  if (!isPostgresUrl(v))
    throw new Error(
      `--store: 须为 postgres:// 或 postgresql:// 地址 / must be a postgres:// or postgresql:// URL, got "${v.replace(/:[^:@/]*@/, ':***@')}"`,
    );
  return v;
}
