import { randomBytes } from 'node:crypto';
import { cp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { systemClock } from '../../src/core/clock.ts';
import { Journal } from '../../src/journal/journal.ts';
import { verifyJournal } from '../../src/journal/verify.ts';
import type { ChaosStack } from './chaos-stack.ts';
import { HOSTILE_STATION, STACK_STATION } from './chaos-stack.ts';
import { canMount, startDiskKiosk } from './disk-kiosk.ts';
import { startEmbeddedHqRig } from './embedded-hq-rig.ts';
import { FileHq } from './file-hq.ts';
import { forgedControl, forgedJournal, forgedPay, forgedTopup } from './forged-messages.ts';
import { KioskProcess } from './kiosk-process.ts';
import { until } from './wait.ts';

/** What one fault did: how many it injected and how many broken promises it found (0 wanted). */
export interface FaultTally {
  corruptions: number;
  forged: number;
  violations: string[];
}

/** Overwrites 16 bytes in the middle of `file` with random ones (returns false for a tiny file). */
export async function flipMiddle(file: string): Promise<boolean> {
  const { size } = await stat(file);
  if (size < 64) return false;
  const fh = await open(file, 'r+');
  try {
    await fh.write(randomBytes(16), 0, 16, Math.floor(size / 2) - 8);
  } finally {
    await fh.close();
  }
  return true;
}

/** The journal's LevelDB files ending in `ext`, newest first (`.log`) or largest first (`.ldb`). */
async function levelFiles(dir: string, ext: '.log' | '.ldb'): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(ext));
  const withStat = await Promise.all(
    names.map(async (n) => ({ p: join(dir, n), s: await stat(join(dir, n)) })),
  );
  withStat.sort((a, b) => (ext === '.log' ? b.s.mtimeMs - a.s.mtimeMs : b.s.size - a.s.size));
  return withStat.map((x) => x.p);
}

/**
 * Damages a copy of the stopped kiosk's data folder — 16 bytes in the middle of the young
 * write-ahead log, or of the largest table — and starts a kiosk process on it without HQ. It must
 * fail closed: refuse to start, or start in safe mode and sell nothing.
 */
export async function corruptCopy(stack: ChaosStack, kind: '.log' | '.ldb', n: number): Promise<FaultTally> {
  const tally: FaultTally = { corruptions: 0, forged: 0, violations: [] };
  const copy = join(stack.dir, `corrupt-${n}`);
  await cp(join(stack.dir, 'data'), copy, { recursive: true });
  const journalDir = copy;
  let damaged = false;
  for (const f of await levelFiles(journalDir, kind)) {
    damaged = await flipMiddle(f);
    if (damaged) break;
  }
  if (!damaged) {
    process.stderr.write(`chaos: no ${kind} file to damage in ${copy}: ${(await readdir(copy)).join(' ')}\n`);
    return tally;
  }
  tally.corruptions = 1;
  // What the damage destroyed: LevelDB skips superseded versions of a key without reading them, so
  // bytes flipped there lose nothing and need not stop the kiosk; damage to anything live must.
  const found = await verifyCopy(copy, join(stack.dir, `corrupt-${n}-verify`));
  const k = new KioskProcess(join(stack.dir, `corrupt-${n}.json`), stack.kioskConfig(copy, { mode: 'off' }));
  await k.prepare({ teller: false });
  try {
    await k.start(60_000);
  } catch (e) {
    // Refused to start: failed closed.
    process.stderr.write(
      `chaos: ${kind} damaged: the kiosk refused to start (${(e as Error).message.slice(0, 200)})\n`,
    );
    return tally;
  }
  try {
    const health = await k.api('GET', '/api/health', undefined, false);
    const sale = await k.api('POST', '/api/services/water-bill/transactions', {
      account: '55501234',
      amount: '1.00',
    });
    process.stderr.write(
      `chaos: ${kind} damaged: safe mode ${JSON.stringify(health.body?.safeMode)}, a sale answered ${sale.status}\n`,
    );
    if (found.length === 0) {
      process.stderr.write(`chaos: ${kind} damaged only superseded records: journal verify finds nothing\n`);
      return tally;
    }
    if (sale.status === 201) tally.violations.push(`${kind} damaged (${found[0]}): a sale was accepted`);
    if (!health.body?.safeMode && sale.status !== 503)
      tally.violations.push(
        `${kind} damaged (${found.join('; ').slice(0, 300)}): not in safe mode (${JSON.stringify(health.body?.problems)})`,
      );
  } finally {
    await k.kill();
  }
  return tally;
}

/** The problems a full journal verify finds in a copy of `dir` made at `dest` (opening failures included). */
async function verifyCopy(dir: string, dest: string): Promise<string[]> {
  await cp(dir, dest, { recursive: true });
  const j = new Journal({ path: dest, stationId: STACK_STATION, clock: systemClock });
  try {
    await j.open();
    const report = await verifyJournal(j);
    return [...j.startupProblems, ...report.problems].map((p) => `${p.kind} ${p.key}: ${p.message}`);
  } catch (e) {
    return [`open: ${(e as Error).message}`];
  } finally {
    await j.close().catch(() => undefined);
  }
}

async function attempt(url: string, opts: IClientOptions): Promise<MqttClient | null> {
  return mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts }).catch(() => null);
}

/** Publishes and reports whether the broker took it (QoS 1 acknowledged, connection kept). */
async function accepted(c: MqttClient, topic: string, payload: string): Promise<boolean> {
  const closed = new Promise<boolean>((r) => c.once('close', () => r(false)));
  const acked = c.publishAsync(topic, payload, { qos: 1 }).then(
    () => c.connected,
    () => false,
  );
  return Promise.race([acked, closed]);
}

/**
 * A hostile local program against the embedded broker: without a login, with the kiosk's client
 * id under another station's login, and with that login publishing a forged top-up, a biller
 * fault, a payment and journal events as the kiosk. Nothing may be accepted or move money.
 */
export async function attackEmbeddedBroker(): Promise<FaultTally> {
  const tally: FaultTally = { corruptions: 0, forged: 0, violations: [] };
  const rig = await startEmbeddedHqRig('chaos-embedded-');
  const kiosk = await rig.kiosk();
  try {
    await kiosk.link.start();
    await kiosk.link.whenOnline();
    // The opening balance is credited once the kiosk is known: wait for it before counting.
    await until(() => kiosk.balance.summary().balance === '100.00', 30_000, 'the opening balance');
    await until(async () => (await kiosk.journal.outboxSeqs()).length === 0, 30_000, 'the relay to settle');
    const other = await rig.hq.kioskLogin('33019999');
    const balance = async () => (await rig.hq.server.accounts.get(STACK_STATION)).balanceFen;
    const before = { fen: await balance(), journal: await rig.hq.server.archive.meta(STACK_STATION) };
    for (const opts of [{ clientId: 'evil' }, { clientId: STACK_STATION, ...other }]) {
      tally.forged++;
      const c = await attempt(rig.hq.url, { protocolVersion: 4, ...opts });
      if (c) {
        tally.violations.push(`embedded broker let ${opts.clientId} in`);
        await c.endAsync(true);
      }
    }
    const sends: Array<[string, string]> = [
      ['hq/v1/admin/req', forgedTopup(STACK_STATION)],
      ['hq/v1/control', forgedControl()],
      [`kiosk/v1/${STACK_STATION}/up/req`, forgedPay(STACK_STATION)],
      [`kiosk/v1/${STACK_STATION}/up/journal`, forgedJournal(STACK_STATION, before.journal.contiguous + 1)],
    ];
    for (const [topic, payload] of sends) {
      tally.forged++;
      const c = await attempt(rig.hq.url, { protocolVersion: 4, clientId: '33019999', ...other });
      if (!c) continue;
      if (await accepted(c, topic, payload)) tally.violations.push(`embedded broker accepted ${topic}`);
      await c.endAsync(true).catch(() => undefined);
    }
    if ((await balance()) !== before.fen) tally.violations.push('a forged message moved money at HQ');
    if (JSON.stringify(await rig.hq.server.archive.meta(STACK_STATION)) !== JSON.stringify(before.journal))
      tally.violations.push('HQ stored forged journal events');
    if (Object.keys(rig.hq.server.faults.list()).length > 0) tally.violations.push('a forged biller fault');
  } finally {
    await kiosk.stop();
    await rig.stop();
  }
  return tally;
}

/**
 * The hostile station certificate against the real Mosquitto while the kiosk sells: HQ's shared
 * subscription, every other tree, publishing as the kiosk and into HQ's channels, taking over the
 * kiosk's session by client id, and a message above the size limit.
 */
export async function attackMosquitto(stack: ChaosStack): Promise<FaultTally> {
  const tally: FaultTally = { corruptions: 0, forged: 0, violations: [] };
  const cert = stack.pki.client(HOSTILE_STATION);
  const tls = {
    ca: await readFile(stack.pki.ca),
    cert: await readFile(cert.cert),
    key: await readFile(cert.key),
  };
  const open = () => attempt(stack.broker.url, { protocolVersion: 5, clientId: STACK_STATION, ...tls });
  const c = await open();
  if (!c) return { ...tally, violations: ['the hostile station could not connect at all'] };
  try {
    const got: string[] = [];
    c.on('message', (t) => got.push(t));
    for (const filter of [
      '$share/hq/kiosk/v1/+/up/req',
      'kiosk/v1/+/up/#',
      `kiosk/v1/${STACK_STATION}/down/#`,
      '#',
    ]) {
      tally.forged++;
      const granted = await c.subscribeAsync(filter, { qos: 1 }).then(
        (g) => (g[0]?.qos ?? 0x80) < 0x80,
        () => false,
      );
      if (granted) tally.violations.push(`mosquitto granted ${filter} to a kiosk certificate`);
    }
    for (const [topic, payload] of [
      [`kiosk/v1/${STACK_STATION}/up/req`, forgedPay(STACK_STATION)],
      ['hq/v1/control', forgedControl()],
    ] as const) {
      tally.forged++;
      const p = await open();
      if (p && (await accepted(p, topic, payload))) tally.violations.push(`mosquitto accepted ${topic}`);
      await p?.endAsync(true).catch(() => undefined);
    }
    tally.forged++;
    const big = await open();
    if (big && (await accepted(big, `kiosk/v1/${HOSTILE_STATION}/up/journal`, ' '.repeat(2 * 1024 * 1024))))
      tally.violations.push('mosquitto accepted a 2 MB message');
    await big?.endAsync(true).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    if (got.length > 0) tally.violations.push(`the hostile station received ${got.length} messages`);
  } finally {
    await c.endAsync(true).catch(() => undefined);
  }
  return tally;
}

/**
 * A full then freed disk (a real 4 MB tmpfs; root only): the sale cut off by the full disk settles
 * once space returns, sales meanwhile are refused, the kiosk resumes by itself, HQ charges once.
 */
export async function fillAndFreeDisk(dir: string): Promise<FaultTally & { fullDisks: number }> {
  const tally = { corruptions: 0, forged: 0, violations: [] as string[], fullDisks: 0 };
  if (!canMount) {
    process.stderr.write('chaos: full disk skipped (a private mount namespace needs root)\n');
    return tally;
  }
  const mnt = join(dir, 'disk-mnt');
  const hqFile = join(dir, 'disk-hq.json');
  const k = await startDiskKiosk(mnt, { dataDir: join(mnt, 'data'), hqFile, fillFile: join(mnt, 'filler') });
  let token = '';
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, k.url), {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : null,
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers of many shapes
    return { status: res.status, body: (await res.json()) as any };
  };
  const sale = { phone: '13800138000', amount: '10.00' };
  try {
    token = (await api('POST', '/api/session', { code: 'A001', password: '123456' })).body.token;
    const first = await api('POST', '/api/services/test-bill/transactions', sale);
    tally.fullDisks = 1;
    await until(
      async () => /disk full/.test((await api('GET', '/api/health')).body.safeMode?.en ?? ''),
      30_000,
      'safe mode naming the full disk',
    );
    if ((await api('POST', '/api/services/test-bill/transactions', sale)).status === 201)
      tally.violations.push('a sale was accepted on a full disk');
    await rm(`/proc/${k.pid}/root${join(mnt, 'filler')}`);
    await until(
      async () => (await api('GET', '/api/health')).body.safeMode === null,
      30_000,
      'the kiosk to resume',
    );
    await until(
      async () => (await api('GET', `/api/transactions/${first.body.serial}`)).body.state === 'succeeded',
      30_000,
      'the cut-off sale to settle',
    );
    const next = await api('POST', '/api/services/test-bill/transactions', sale);
    if (next.status !== 201) tally.violations.push(`no sale after space returned (${next.status})`);
    else
      await until(
        async () => (await api('GET', `/api/transactions/${next.body.serial}`)).body.terminal === true,
        30_000,
        'the next sale',
      );
    const charges = Object.values(FileHq.read(hqFile).charges);
    if (charges.some((n) => n !== 1)) tally.violations.push(`HQ charged a sale more than once: ${charges}`);
    if ((await api('GET', '/api/health')).body.balance?.held !== '0.00')
      tally.violations.push('money held after the full disk');
  } catch (e) {
    tally.violations.push(`full disk: ${(e as Error).message}`);
  } finally {
    const gone = new Promise((r) => k.child.once('exit', r));
    k.child.kill('SIGKILL');
    await gone;
  }
  return tally;
}
