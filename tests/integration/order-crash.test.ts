import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Money } from '../../src/core/money.ts';
import { SERVICE_CATALOGUE } from '../../src/core/services/catalogue.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { PaymentRecord } from '../../src/reference-hq/billers/payment-biller.ts';
import { payQrOrder, type QrOrder } from '../../src/reference-hq/billers/payment-qr.ts';
import type { BrokerLogin } from '../../src/reference-hq/broker-credentials.ts';
import { type EmbeddedHq, startEmbeddedHq } from '../../src/reference-hq/embedded.ts';
import { atChosenTime, suiteClock } from '../support/chosen-time.ts';
import { callJson } from '../support/json-api.ts';
import type { OrderStep } from '../support/order-kiosk-child.ts';
import { until } from '../support/wait.ts';

const CHILD = join(import.meta.dirname, '../support/order-kiosk-child.ts');

interface Kiosk {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | null>;
}

/**
 * A real kiosk process (started at the chosen time through libfaketime) SIGKILLed right after each
 * step of a customer's order became durable — placed, paid (QR) or confirmed at the counter, its
 * transaction created, the biller's request about to go, the biller answered — then started again.
 * The order resumes by itself (the runner re-tracks every open order), the customer is never
 * charged twice, the biller is paid once, and the order's status (what the screen follows) ends
 * with the truth. HQ and its acquirer run in this process over MQTT, so they outlive the kiosk.
 */
describe('orders survive a SIGKILL at each step', () => {
  let dir: string;
  let hq: EmbeddedHq;
  let login: BrokerLogin;
  let configFile: string;
  const running = new Set<ChildProcess>();

  const start = async (killAt?: OrderStep, account?: string): Promise<Kiosk> => {
    const c = atChosenTime(process.execPath, [
      '--import',
      'tsx',
      CHILD,
      JSON.stringify({ configFile, login, ...(killAt ? { killAt, account } : {}) }),
    ]);
    const child = spawn(c.cmd, c.args, { env: c.env, stdio: ['ignore', 'pipe', 'inherit'] });
    running.add(child);
    const exited = once(child, 'exit').then(([, signal]) => {
      running.delete(child);
      return signal as NodeJS.Signals | null;
    });
    const lines = createInterface({ input: child.stdout! });
    const first = await Promise.race([
      once(lines, 'line').then(([l]) => String(l)),
      exited.then((s) => {
        throw new Error(`kiosk exited before serving (${s})`);
      }),
    ]);
    const k = { child, url: JSON.parse(first).url, exited };
    // Ready once the link to HQ is up and the service can be sold to a customer.
    await until(
      async () =>
        (await call(k, 'GET', '/api/availability')).body?.services?.some(
          (a: { service: string; available: boolean }) => a.service === 'water-bill' && a.available,
        ) === true,
      20_000,
      'water-bill available',
    );
    return k;
  };
  /** Nothing of an earlier case holds the journal: whatever still runs is killed. */
  const killLeftovers = async () => {
    await Promise.all(
      [...running].map((c) => {
        c.kill('SIGKILL');
        return once(c, 'exit').catch(() => undefined);
      }),
    );
  };
  const stop = async (k: Kiosk) => {
    k.child.kill('SIGTERM');
    await k.exited;
  };

  const call = (k: Kiosk, method: string, path: string, body?: unknown, token?: string) =>
    callJson(k.url, method, path, body, token);
  /** A request whose answer may never come: the kiosk dies while it is being handled. */
  const mayDie = <T>(p: Promise<T>) => p.catch(() => null);
  const login6 = async (k: Kiosk) =>
    (await call(k, 'POST', '/api/session', { code: 'A001', password: '123456' })).body.token as string;
  const store = () => hq.server.opts.store;
  const billerTook = async (account: string) =>
    (await store().list<PaymentRecord>('b:water-bill:r:')).filter(
      ([, r]) => r.account === account && r.status !== 'declined',
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-order-crash-'));
    hq = await startEmbeddedHq({
      dataDir: join(dir, 'hq'),
      port: 0,
      topicPrefix: 'kiosk',
      logger: silentLogger(),
      billerLatencyMs: 5,
      settleMs: 300,
      openingBalance: '2000.00',
      clock: suiteClock,
      trainedServices: SERVICE_CATALOGUE.map((d) => d.id),
    });
    login = await hq.kioskLogin('33010001');
    configFile = join(dir, 'kiosk.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir: join(dir, 'data'),
        http: { host: '127.0.0.1', port: 0 },
        hq: {
          mode: 'broker',
          brokerUrl: hq.url,
          protocolVersion: 4,
          publicKey: hq.publicKey,
          requestTimeoutMs: 1500,
        },
        selfService: { tender: ['counter', 'qr'], qrPollMs: 100 },
        engine: { requestTimeoutMs: 1000, statusQueryIntervalMs: 200, firstStatusQueryMs: 100 },
        devices: { display: { sim: { pngPath: null } } },
      }),
    );
    // The first start gets the opening balance and HQ's services.
    const k = await start();
    const token = await login6(k);
    await until(
      async () => (await call(k, 'GET', '/api/balance', undefined, token)).body?.balance === '2000.00',
      20_000,
      'the opening balance',
    );
    await until(
      async () => (await call(k, 'GET', '/api/services/water-bill')).body?.enabled === true,
      20_000,
      'HQ enabling the services',
    );
    await stop(k);
  }, 60_000);
  afterAll(async () => {
    for (const c of running) c.kill('SIGKILL');
    await hq?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const CASES: Array<{ tender: 'counter' | 'qr'; step: OrderStep }> = [
    { tender: 'qr', step: 'placing' },
    { tender: 'qr', step: 'placed' },
    { tender: 'qr', step: 'paid' },
    { tender: 'qr', step: 'created' },
    { tender: 'qr', step: 'intent' },
    { tender: 'qr', step: 'answered' },
    { tender: 'counter', step: 'placed' },
    { tender: 'counter', step: 'created' },
    { tender: 'counter', step: 'answered' },
  ];

  CASES.forEach(({ tender, step }, i) => {
    it(`${tender}: killed right after "${step}", restarted, finishes once`, async () => {
      const account = `W88${i + 1}2345`;
      const amount = `${10 + i}.00`;
      const key = `crash-order-${tender}-${step}`;
      const body = { service: 'water-bill', fields: { account, amount }, tender, idempotencyKey: key };
      await killLeftovers();
      let k = await start(step, account);
      const before = (await call(k, 'GET', '/api/balance', undefined, await login6(k))).body;
      // Placing the order; a kill while placing loses the answer, and the screen asks again with its key.
      const placed = await mayDie(call(k, 'POST', '/api/orders', body));
      if (placed) expect(placed.status, JSON.stringify(placed.body)).toBeLessThan(300);
      const pay = async (kiosk: Kiosk, order: { id: string; qr: { payload: string } | null }) => {
        if (tender === 'counter') {
          const token = await login6(kiosk);
          await mayDie(call(kiosk, 'POST', `/api/orders/${order.id}/cash-received`, {}, token));
          return;
        }
        const mine = (await store().list<QrOrder>('qr:'))
          .map(([, o]) => o)
          .find((o) => o.orderId === order.id);
        await payQrOrder(store(), mine!.paymentId, suiteClock.now());
      };
      if (placed && placed.status < 300 && step !== 'placed') await pay(k, placed.body);
      expect(await k.exited, `the kiosk was killed after ${step}`).toBe('SIGKILL');

      k = await start();
      // The screen's retry of the same order (same key) answers the one order there is.
      const again = await call(k, 'POST', '/api/orders', body);
      expect(again.status).toBeLessThan(300);
      const id = again.body.id as string;
      if (placed?.body?.id) expect(id).toBe(placed.body.id);
      if (step === 'placing' || step === 'placed') {
        if (tender === 'qr')
          await expect
            .poll(async () => (await call(k, 'GET', `/api/orders/${id}`)).body.qr, { timeout: 10_000 })
            .toBeTruthy();
        await pay(k, (await call(k, 'GET', `/api/orders/${id}`)).body);
      }
      await expect
        .poll(
          async () => {
            const o = (await call(k, 'GET', `/api/orders/${id}`)).body;
            return `${o.status} final=${o.final}`;
          },
          { timeout: 60_000 },
        )
        .toBe('succeeded final=true');
      const order = (await call(k, 'GET', `/api/orders/${id}`)).body;
      expect(order, JSON.stringify(order)).toMatchObject({ final: true, tender });
      const txn = (await call(k, 'GET', `/api/transactions/${order.serial}`)).body;
      expect(txn).toMatchObject({ service: 'water-bill', state: 'succeeded' });
      // Paid once: one biller payment, one QR payment kept (not refunded), the station charged once.
      expect(await billerTook(account)).toHaveLength(1);
      if (tender === 'qr') {
        const qrs = (await store().list<QrOrder>('qr:')).map(([, o]) => o).filter((o) => o.orderId === id);
        expect(qrs.map((o) => o.status)).toEqual(['paid']);
      }
      const after = (await call(k, 'GET', '/api/balance', undefined, await login6(k))).body;
      expect(Money.of(before.balance).sub(Money.of(after.balance)).toString()).toBe(amount);
      expect(after.held).toBe('0.00');
      await stop(k);
    }, 180_000);
  });
});
