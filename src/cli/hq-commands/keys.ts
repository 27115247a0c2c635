import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import mqtt from 'mqtt';
import { applyStation } from '../../reference-hq/dynsec-control.ts';
import { ensureCa, generateSigningKey, issueCertificate } from '../../reference-hq/keys.ts';
import { addStationToFile, DYNSEC_ADMIN } from '../../reference-hq/mosquitto-dynsec.ts';
import { out } from './print.ts';

type Run = (fn: () => Promise<number>) => void;

export function registerKeys(program: Command, run: Run): void {
  const keys = program.command('keys').description('HQ signing key and the broker PKI (local CA)');
  keys
    .command('signing')
    .description('create HQ’s Ed25519 signing key pair (hq-signing.key, hq-signing.key.pub)')
    .option('--dir <dir>', 'output folder', 'var/hq-keys')
    .option('--json', 'JSON output')
    .action((o: { dir: string; json?: boolean }) =>
      run(async () => {
        const dir = resolve(o.dir);
        await mkdir(dir, { recursive: true });
        const k = generateSigningKey();
        const file = join(dir, 'hq-signing.key');
        await writeFile(file, k.privatePem, { mode: 0o600, flag: 'wx' });
        await writeFile(`${file}.pub`, k.publicPem);
        const data = { privateKey: file, publicKey: `${file}.pub`, publicKeyBase64: k.publicBase64 };
        out(o.json, data, () =>
          [
            `private key: ${file} (keep it on HQ only)`,
            `kiosk config: "hq": { "publicKey": "${k.publicBase64}" }`,
          ].join('\n'),
        );
        return 0;
      }),
    );
  const certOpts = (c: Command) =>
    c
      .option('--dir <dir>', 'CA folder (ca.key, ca.crt)', 'var/hq-pki')
      .option('--days <n>', 'validity in days', '825')
      .option('--json', 'JSON output');
  certOpts(keys.command('station <stationId>'))
    .description(
      'issue a kiosk’s client certificate (CN = station id) from the local CA and add the station to the broker’s rules: on a running broker through its control topic (--broker), else in <dir>/dynamic-security.json',
    )
    .option(
      '--broker <url>',
      'the running broker’s kiosk listener (mqtts://host:8883): add the station at once, as broker-admin (<dir>/broker-admin.crt)',
    )
    .action((station: string, o: { dir: string; days: string; json?: boolean; broker?: string }) =>
      run(async () => {
        if (!/^\d{8}$/.test(station)) throw new Error('station id must be 8 digits');
        const dir = resolve(o.dir);
        await ensureCa(dir);
        const r = await issueCertificate(dir, `station-${station}`, {
          cn: station,
          kind: 'client',
          days: Number(o.days),
        });
        const dynsec = join(dir, 'dynamic-security.json');
        if (o.broker) {
          // The broker applies it at once and saves its own rules file.
          const admin = await mqtt.connectAsync(o.broker, {
            protocolVersion: 5,
            clientId: DYNSEC_ADMIN,
            ca: await readFile(join(dir, 'ca.crt')),
            cert: await readFile(join(dir, `${DYNSEC_ADMIN}.crt`)),
            key: await readFile(join(dir, `${DYNSEC_ADMIN}.key`)),
            reconnectPeriod: 0,
            connectTimeout: 10_000,
          });
          try {
            await applyStation(admin, station);
          } finally {
            await admin.endAsync(true);
          }
        } else await addStationToFile(dynsec, station);
        const data = { ca: join(dir, 'ca.crt'), ...r, ...(o.broker ? { broker: o.broker } : { dynsec }) };
        out(o.json, data, () =>
          [
            `certificate ${r.cert}\nkey ${r.key}\nCA ${data.ca}`,
            o.broker
              ? `added to the running broker ${o.broker}: the kiosk can connect now`
              : `broker rules ${dynsec} (copy next to mosquitto.conf before the broker starts; a running broker: --broker URL)`,
          ].join('\n'),
        );
        return 0;
      }),
    );
  certOpts(keys.command('broker-admin'))
    .description(
      'issue the broker administrator’s client certificate (CN = broker-admin) from the local CA: the one client allowed on the dynamic-security control topic; keep it on HQ',
    )
    .action((o: { dir: string; days: string; json?: boolean }) =>
      run(async () => {
        const dir = resolve(o.dir);
        await ensureCa(dir);
        const r = await issueCertificate(dir, DYNSEC_ADMIN, {
          cn: DYNSEC_ADMIN,
          kind: 'client',
          days: Number(o.days),
        });
        out(o.json, r, () => `certificate ${r.cert}\nkey ${r.key}`);
        return 0;
      }),
    );
  certOpts(keys.command('hq-client'))
    .description(
      'issue a client certificate for HQ instances and kiosk-hq (CN = hq) from the HQ clients’ own CA (<dir>/hq-ca)',
    )
    .action((o: { dir: string; days: string; json?: boolean }) =>
      run(async () => {
        // A CA of its own: the broker accepts its certificates only on HQ's listener.
        const dir = join(resolve(o.dir), 'hq-ca');
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await ensureCa(dir, 3650, 'newsstand-kiosk-hq-clients-ca');
        const r = await issueCertificate(dir, 'hq', { cn: 'hq', kind: 'client', days: Number(o.days) });
        const data = { hqCa: join(dir, 'ca.crt'), ...r };
        out(o.json, data, () => `certificate ${r.cert}\nkey ${r.key}\nHQ clients' CA ${data.hqCa}`);
        return 0;
      }),
    );
  certOpts(keys.command('server'))
    .description('issue the broker’s server certificate')
    .option('--host <name>', 'host name or IP (repeatable)', (v, acc: string[]) => [...acc, v], [])
    .action((o: { dir: string; days: string; json?: boolean; host: string[] }) =>
      run(async () => {
        const dir = resolve(o.dir);
        await ensureCa(dir);
        const hosts = o.host.length ? o.host : ['localhost', '127.0.0.1'];
        const r = await issueCertificate(dir, 'server', {
          cn: hosts[0] ?? 'localhost',
          kind: 'server',
          days: Number(o.days),
          hosts,
        });
        out(o.json, r, () => `certificate ${r.cert}\nkey ${r.key}`);
        return 0;
      }),
    );
}
