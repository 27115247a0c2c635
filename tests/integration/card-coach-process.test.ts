import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { HqServer } from '../../src/reference-hq/server.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import { atChosenTime, CHOSEN_TIME, clockStartingAt } from '../support/chosen-time.ts';
import { openStore, startHqInstance, testSigningKey } from '../support/hq-instance.ts';
import { callJson } from '../support/json-api.ts';
import { freePort, Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';
import { until } from '../support/wait.ts';

const STATION = '33010021';
const BIN = join(import.meta.dirname, '../../bin/kiosk.js');
const DEBIT = '6228480012345671';
const CREDIT = '4380881234567894';

/**
 * Credit-card repayment and coach tickets in the real kiosk process (`bin/kiosk.js start`, started
 * at 10:00 through libfaketime) against the reference HQ over Mosquitto with mutual TLS: coach
 * sales with both kinds of one-sided ticket, and a SIGKILL in the middle of a sale and of a
 * repayment, after which a new process finishes each by itself, charged once.
 */
describe('repayment and coach tickets in the real kiosk process', { timeout: 240_000 }, () => {
  let dir: string;
  let pki: Pki;
  let broker: Mosquitto;
  let store: HqStore;
  let hq: HqServer;
  let configFile: string;
  let url: string;
  let child: ChildProcess | undefined;
  let token: string;
  const key = testSigningKey();
  const clock = clockStartingAt();

  async function startKiosk(): Promise<void> {
    const at = atChosenTime(
      process.execPath,
      [BIN, 'start', '--config', configFile],
      process.env,
      clock.now(),
    );
    child = spawn(at.cmd, at.args, {
      env: { ...at.env, KIOSK_CONFIG: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.resume();
    await until(
      async () => (await fetch(`${url}/api/health`).catch(() => null))?.ok === true,
      60_000,
      'the kiosk’s local API',
    );
    // A new process has no sessions: log in again.
    token = (await api('POST', '/api/session', { code: 'A001', password: '123456' }, false)).body.token;
  }
  async function kill(): Promise<void> {
    const c = child!;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }
  function api(method: string, path: string, body?: unknown, auth = true) {
    return callJson(url, method, path, body, auth ? token : undefined);
  }
  const stateOf = async (serial: string) => (await api('GET', `/api/transactions/${serial}`)).body;
  const finalState = async (serial: string) => {
    let t: { state: string; terminal: boolean } | undefined;
    await until(
      async () => {
        t = await stateOf(serial);
        return t?.terminal === true;
      },
      60_000,
      `transaction ${serial} to finish`,
    );
    return t!;
  };
  const records = async (service: string) => (await store.list(`b:${service}:r:`)).length;

  async function sale(phone: string) {
    const q = { from: '杭州', to: '宁波', date: '20261202' };
    const inq = await api('POST', '/api/services/coach-ticket/inquiry', q, false);
    expect(inq.status, JSON.stringify(inq.body)).toBe(200);
    const trip = inq.body.answer.trips[0];
    // Sold at the operator console (a customer alone pays through an order first).
    const r = await api('POST', '/api/services/coach-ticket/transactions', {
      ...q,
      tripId: trip.tripId,
      seats: '1',
      price: trip.price,
      phone,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { serial: r.body.serial as string, price: trip.price as string };
  }

  beforeAll(async () => {
    expect(new Date(CHOSEN_TIME).toISOString()).toBe('2026-12-01T02:00:00.000Z');
    dir = await mkdtemp(join(tmpdir(), 'kiosk-card-coach-'));
    pki = await makePki(join(dir, 'pki'), [STATION, 'hq']);
    broker = new Mosquitto(pki);
    await broker.start();
    store = await openStore(dir);
    hq = await startHqInstance({
      url: broker.hqUrl,
      pki,
      store,
      signingKey: key.privateKey,
      name: 'card-coach',
      clock,
      openingBalanceFen: 1000_00,
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const cert = pki.client(STATION);
    configFile = join(dir, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        stationId: STATION,
        dataDir: join(dir, 'data'),
        http: { host: '127.0.0.1', port },
        log: { level: 'warn' },
        hq: {
          mode: 'broker',
          brokerUrl: broker.url,
          protocolVersion: 5,
          tls: { ca: pki.ca, cert: cert.cert, key: cert.key },
          publicKey: key.publicPem,
          requestTimeoutMs: 3000,
        },
        engine: { requestTimeoutMs: 3000, statusQueryIntervalMs: 200 },
        devices: { display: { sim: { pngPath: null } } },
      }),
    );
    // The first operator is set up with the kiosk stopped, as in production.
    const setup = new KioskApp({ configFile, logger: silentLogger(), http: false });
    await setup.open();
    await setup.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await setup.journal.close();
    await startKiosk();
    await until(
      async () => (await api('GET', '/api/balance')).body?.balance === '1000.00',
      30_000,
      'the opening balance',
    );
  });
  afterAll(async () => {
    if (child) await kill();
    await hq?.stop();
    await store?.close();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('coach: sells with a ticket number; settles both kinds of one-sided ticket', async () => {
    const ok = await sale('13812345678');
    expect(await finalState(ok.serial)).toMatchObject({ state: 'sold' });
    const receipt = await api('GET', `/api/transactions/${ok.serial}/receipt`);
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(200);
    expect(JSON.stringify(receipt.body)).toMatch(/T20261201K\d{8}/);
    const kioskSide = await sale('13812345555');
    expect(await finalState(kioskSide.serial)).toMatchObject({ state: 'refunded' });
    const companySide = await sale('13812346666');
    expect(await finalState(companySide.serial)).toMatchObject({ state: 'failed' });
    // Only the real ticket is paid for, at the kiosk and at HQ.
    const kiosk = (await api('GET', '/api/balance')).body;
    expect(kiosk).toMatchObject({ held: '0.00', balance: (1000 - Number(ok.price)).toFixed(2) });
    expect((await hq.accounts.get(STATION)).balanceFen).toBe(1000_00 - Math.round(Number(ok.price) * 100));
  });

  it('coach: a SIGKILL as soon as HQ took the sale; the next process confirms it, sold once', async () => {
    const before = await records('coach-ticket');
    // A slow coach company: the kiosk is killed the moment HQ has recorded the sale, while the
    // kiosk waits for (or has just had) its answer.
    hq.faults.set('coach-ticket', 'slow', 1500);
    const s = await sale('13812340001');
    await until(async () => (await records('coach-ticket')) === before + 1, 30_000, 'HQ to take the sale');
    await kill();
    hq.faults.set('coach-ticket', 'normal');
    await startKiosk();
    expect(await finalState(s.serial)).toMatchObject({ state: 'sold' });
    expect(await records('coach-ticket')).toBe(before + 1);
    expect((await api('GET', '/api/balance')).body.held).toBe('0.00');
  });

  it('repayment: a SIGKILL mid-repayment; the card numbers are not resent, the query settles it', async () => {
    await hq.stations.setTerminal(STATION, { terminalNo: '12345678', status: 'enabled' });
    await hq.commands.send(STATION, 'terminal', { terminalNo: '12345678', status: 'enabled' });
    await until(
      async () => (await api('GET', '/api/credit-card/terminal')).body?.status === 'enabled',
      30_000,
      'the terminal binding',
    );
    expect((await api('POST', '/api/credit-card/sign-in')).status).toBe(201);
    hq.faults.set('credit-card-repayment', 'silent');
    const r = await api('POST', '/api/services/credit-card-repayment/transactions', {
      debitCard: DEBIT,
      creditCard: CREDIT,
      amount: '300',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await until(async () => (await records('credit-card-repayment')) === 1, 30_000, 'HQ to take it');
    await kill();
    hq.faults.set('credit-card-repayment', 'normal');
    await startKiosk();
    const done = await finalState(r.body.serial);
    expect(done).toMatchObject({ state: 'succeeded', fields: { creditCard: '438088******7894' } });
    expect(await records('credit-card-repayment')).toBe(1);
  });
});
