import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HqServer } from '../../src/reference-hq/server.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import { openStore, startHqInstance, testSigningKey } from '../support/hq-instance.ts';
import { Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';

const STATION = '33010009';

interface Child {
  proc: ChildProcess;
  out: string;
}

function spawnKiosk(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/support/outbox-child.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = { proc, out: '' };
  proc.stdout?.on('data', (d: Buffer) => {
    child.out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    child.out += d.toString();
  });
  return child;
}

const wrote = (c: Child): number =>
  Math.max(0, ...[...c.out.matchAll(/wrote (\d+)/g)].map((m) => Number(m[1])));
const peakInFlight = (c: Child): number =>
  Math.max(0, ...[...c.out.matchAll(/peak-in-flight (\d+)/g)].map((m) => Number(m[1])));
const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

describe('journal relay survives a SIGKILLed kiosk and a broker outage', () => {
  let dir: string;
  let pki: Pki;
  let broker: Mosquitto;
  let store: HqStore;
  let hq: HqServer;
  const key = testSigningKey();
  const children: Child[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-outbox-'));
    pki = await makePki(join(dir, 'pki'), [STATION, 'hq']);
    broker = new Mosquitto(pki);
    await broker.start();
    store = await openStore(dir);
    hq = await startHqInstance({ url: broker.hqUrl, pki, store, signingKey: key.privateKey, name: 'outbox' });
  });

  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    await hq?.stop();
    await store?.close();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('HQ ends with every event exactly once, in order', async () => {
    const cert = pki.client(STATION);
    const env = {
      DIR: join(dir, 'kiosk'),
      STATION,
      BROKER: broker.url,
      CA: pki.ca,
      CERT: cert.cert,
      KEY: cert.key,
      HQ_PUB: key.publicPem,
    };
    // 1. A kiosk writing as fast as it can is killed while batches are in flight (up to 8).
    const first = spawnKiosk({ ...env, COUNT: '0' });
    children.push(first);
    await expect
      .poll(async () => (await hq.archive.meta(STATION)).stored, { timeout: 20_000 })
      .toBeGreaterThan(100);
    await expect.poll(() => wrote(first), { timeout: 20_000 }).toBeGreaterThan(400);
    // The relay had more than one batch awaiting HQ's ack at once: the kill lands in a window.
    await expect.poll(() => peakInFlight(first), { timeout: 20_000 }).toBeGreaterThan(1);
    first.proc.kill('SIGKILL');
    await exited(first.proc);
    const beforeOutage = (await hq.archive.meta(STATION)).stored;

    // 2. The broker goes away; a new kiosk process writes more events while it is down.
    await broker.stop();
    const second = spawnKiosk({ ...env, COUNT: '300' });
    children.push(second);
    await expect.poll(() => /total (\d+)/.exec(second.out)?.[1], { timeout: 20_000 }).toBeDefined();
    const total = Number(/total (\d+)/.exec(second.out)?.[1]);
    expect(total).toBeGreaterThan(beforeOutage);

    // 3. The broker comes back: everything the kiosk ever committed reaches HQ.
    await broker.start();
    await expect
      .poll(async () => (await hq.archive.meta(STATION)).contiguous, { timeout: 30_000 })
      .toBe(total);
    const meta = await hq.archive.meta(STATION);
    expect(meta.highest).toBe(total);
    expect(meta.stored).toBe(total);
    const events = await hq.archive.events(STATION);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // Events written by the killed process and by its successor are all there, each once.
    const pids = new Set(events.map((e) => (e.info as { pid: number }).pid));
    expect(pids.size).toBe(2);

    second.proc.kill('SIGTERM');
    await exited(second.proc);
  });
});
