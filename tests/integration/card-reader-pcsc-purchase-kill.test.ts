/**
 * A smart-meter card purchase in the real kiosk process (started at the chosen time through
 * libfaketime), with the card on real pcscd + vpcd (the Node virtual card, in this process: the
 * card outlives the kiosk) and the reference HQ over a real Mosquitto with mutual TLS. The kiosk is
 * SIGKILLed at each step of the purchase — its intent journaled, HQ paid, the card mid-write (the
 * card takes the write, the kiosk never hears back), the write verified, the card pulled mid-write
 * and the kiosk waiting for it — and started again (the card back in the reader): the
 * purchase ends by itself, the card credited once, the biller paid once, the kiosk's balance equal
 * to HQ's to the fen, and nothing left on either side's unconfirmed list.
 *
 * Runs only inside scripts/pcsc-harness.sh (private network namespace, KIOSK_PCSC_NETNS=1), started
 * by card-reader-pcsc.test.ts; skipped anywhere else.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INS_PURCHASE } from '../../devices/card-reader/electricity-card-format.ts';
import {
  demoElectricityCard,
  type VirtualElectricityCard,
} from '../../devices/card-reader/virtual-electricity-card.ts';
import { Money } from '../../src/core/money.ts';
import { type CardPurchase, powerCardKeys } from '../../src/reference-hq/billers/power-card.ts';
import type { HqServer } from '../../src/reference-hq/server.ts';
import type { HqStore } from '../../src/reference-hq/store.ts';
import type { CardStep } from '../support/card-kiosk-child.ts';
import { atChosenTime, clockStartingAt } from '../support/chosen-time.ts';
import { openStore, startHqInstance, testSigningKey } from '../support/hq-instance.ts';
import { callJson } from '../support/json-api.ts';
import { freePort, Mosquitto, makePki, type Pki } from '../support/mosquitto.ts';
import { PCSCD_SOCKET, PcscDaemon, VPCD_PORT, VPCD_READER } from '../support/pcsc-daemon.ts';
import { VpcdCard } from '../support/vpcd-card.ts';
import { until } from '../support/wait.ts';

const STATION = '33010031';
const CUSTOMER = '3301000123';
const OPENING_FEN = 1000_00;
const CHILD = join(import.meta.dirname, '../support/card-kiosk-child.ts');

interface Kiosk {
  child: ChildProcess;
  /** Tells the process to SIGKILL itself right after `step` (it answers once armed). */
  arm(step: CardStep): Promise<void>;
  url: string;
  token: string;
  exited: Promise<NodeJS.Signals | null>;
}

describe.skipIf(process.env.KIOSK_PCSC_NETNS !== '1')(
  'a card purchase survives a SIGKILL at each step (real kiosk, pcscd + vpcd, Mosquitto, reference HQ)',
  { timeout: 300_000 },
  () => {
    let dir: string;
    let pki: Pki;
    let broker: Mosquitto;
    let store: HqStore;
    let hq: HqServer;
    let daemon: PcscDaemon;
    let vpcd: VpcdCard;
    let card: VirtualElectricityCard;
    let configFile: string;
    const clock = clockStartingAt();
    const running = new Set<ChildProcess>();
    /** Set while the card should cut the kiosk off in the middle of a purchase write. */
    let killOnWrite: ChildProcess | null = null;

    const call = (k: Kiosk, method: string, path: string, body?: unknown) =>
      callJson(k.url, method, path, body, k.token);

    async function start(): Promise<Kiosk> {
      const c = atChosenTime(
        process.execPath,
        ['--import', 'tsx', CHILD, JSON.stringify({ configFile })],
        { ...process.env, KIOSK_CONFIG: '' },
        clock.now(),
      );
      const child = spawn(c.cmd, c.args, { env: c.env, stdio: ['pipe', 'pipe', 'inherit'] });
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
      const url = JSON.parse(first).url as string;
      const login = await callJson(url, 'POST', '/api/session', { code: 'A001', password: '123456' });
      expect(login.status, login.text).toBe(201);
      const arm = async (step: CardStep) => {
        const armed = once(lines, 'line');
        child.stdin!.write(`${JSON.stringify({ killAt: step })}\n`);
        expect(JSON.parse(String((await armed)[0]))).toEqual({ armed: step });
      };
      const k: Kiosk = { child, url, token: login.body.token, exited, arm };
      // Ready once HQ's link is up and the card reader holds the card: the service can be sold.
      await until(
        async () =>
          (await call(k, 'GET', '/api/availability')).body?.services?.some(
            (a: { service: string; available: boolean }) => a.service === 'power-card' && a.available,
          ) === true && (await call(k, 'GET', '/api/card')).status === 200,
        120_000,
        'power-card available with the card in the reader',
      );
      return k;
    }

    const hqRecords = async () => (await store.list<CardPurchase>('b:power-card:r:')).map(([, rec]) => rec);

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kiosk-card-kill-'));
      pki = await makePki(join(dir, 'pki'), [STATION, 'hq']);
      broker = new Mosquitto(pki);
      await broker.start();
      store = await openStore(dir);
      const key = testSigningKey();
      hq = await startHqInstance({
        url: broker.hqUrl,
        pki,
        store,
        signingKey: key.privateKey,
        name: 'card-kill',
        clock,
        openingBalanceFen: OPENING_FEN,
      });
      daemon = new PcscDaemon();
      await daemon.start();
      card = demoElectricityCard(CUSTOMER);
      // The card answers the purchase write, and with the kill armed the kiosk dies as it goes.
      const answer = card.process.bind(card);
      card.process = (capdu) => {
        if (killOnWrite && capdu[1] === INS_PURCHASE) {
          killOnWrite.kill('SIGKILL');
          killOnWrite = null;
        }
        return answer(capdu);
      };
      vpcd = new VpcdCard({ port: VPCD_PORT });
      await vpcd.insert(card);
      const port = await freePort();
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
          engine: { requestTimeoutMs: 3000, retryBaseDelayMs: 200, retryMaxDelayMs: 2000 },
          devices: {
            display: { sim: { pngPath: null } },
            cardReader: {
              driver: 'real',
              readerNamePattern: `^${VPCD_READER}$`,
              transmitTimeoutMs: 3000,
              retryIntervalMs: 200,
              removalSettleMs: 1000,
              pcscdSocket: PCSCD_SOCKET,
              simCard: null,
            },
          },
        }),
      );
    });
    afterAll(async () => {
      await Promise.all(
        [...running].map((c) => {
          c.kill('SIGKILL');
          return once(c, 'exit').catch(() => undefined);
        }),
      );
      await vpcd?.stop();
      await daemon?.dispose();
      await hq?.stop();
      await store?.close();
      await broker?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    /** The kiosk now running: each case kills it and leaves the one it started after. */
    let current: Kiosk | undefined;
    const title = {
      intent: 'SIGKILL after the intent',
      paid: 'SIGKILL after HQ was paid',
      'mid-write': 'SIGKILL while the card is written',
      written: 'SIGKILL after the verified write',
      pulled: 'card pulled mid-write, then a SIGKILL while the kiosk waits for it',
    };
    for (const step of ['intent', 'paid', 'mid-write', 'written', 'pulled'] as const)
      it(`${title[step]}: the next process ends the purchase, everything once`, async () => {
        const before = { ...card.purchase, records: (await hqRecords()).length };
        current ??= await start();
        const first = current;
        if (step === 'mid-write') killOnWrite = first.child;
        else if (step === 'pulled') card.tearNextWrite('after-commit');
        else await first.arm(step);
        const read = await call(first, 'GET', '/api/card');
        expect(read.status, read.text).toBe(200);
        // The answer may never come: the process can die before it replies.
        const made = await call(first, 'POST', '/api/services/power-card/transactions', {
          cardToken: read.body.cardToken,
          amount: '50',
        }).catch(() => undefined);
        if (step === 'pulled') {
          // The card took the write and left the reader with the answer: the kiosk must read it back.
          expect(made?.status, made?.text).toBe(201);
          await until(
            async () =>
              !vpcd.inserted() &&
              (await call(first, 'GET', `/api/transactions/${made?.body.serial}`)).body?.state ===
                'verifying',
            120_000,
            'the purchase to wait for the pulled card',
          );
          first.child.kill('SIGKILL');
        }
        expect(await first.exited).toBe('SIGKILL');
        killOnWrite = null;
        const records = await hqRecords();
        const written = step === 'written' || step === 'mid-write' || step === 'pulled';
        // The card took the write only from the write on; HQ then waits for its confirmation.
        expect(card.purchase.purchaseCounter).toBe(before.purchaseCounter + (written ? 1 : 0));
        if (written) expect(records.filter((r) => r.status === 'accepted')).toHaveLength(1);

        // The customer brings the card back.
        if (!vpcd.inserted()) await vpcd.insert(card);
        const next = await start();
        current = next;
        const list = await call(next, 'GET', '/api/transactions?service=power-card');
        expect(list.status, list.text).toBe(200);
        const items = (list.body.items ?? list.body) as Array<{ serial: string }>;
        const serial = items
          .map((t) => t.serial)
          .sort()
          .at(-1)!;
        let txn: { state: string; terminal: boolean } | undefined;
        await until(
          async () => {
            txn = (await call(next, 'GET', `/api/transactions/${serial}`)).body;
            return txn?.terminal === true;
          },
          120_000,
          `purchase ${serial} to end`,
        );
        expect(txn).toMatchObject({ state: 'succeeded' });

        // The biller was paid once and confirmed; the card holds exactly that purchase, once.
        const after = await hqRecords();
        expect(after).toHaveLength(before.records + 1);
        const rec = after.find((r) => r.serial === serial)!;
        expect(rec).toMatchObject({ status: 'confirmed', amountFen: 5000 });
        expect(card.purchase.purchaseCounter).toBe(before.purchaseCounter + 1);
        expect(card.purchase.totalUnits).toBe(before.totalUnits + rec.units);
        expect(await store.get(powerCardKeys.units(CUSTOMER))).toBe(card.purchase.totalUnits);
        // The kiosk's prepaid balance equals HQ's account to the fen; nothing held.
        const paid = after.filter((r) => r.status === 'confirmed').length * 5000;
        const balance = (await call(next, 'GET', '/api/balance')).body;
        expect(balance.held).toBe('0.00');
        expect(Money.of(balance.balance).toFen()).toBe(OPENING_FEN - paid);
        expect((await hq.accounts.get(STATION)).balanceFen).toBe(OPENING_FEN - paid);
        // Nothing unconfirmed, at the kiosk or at HQ.
        const open = await call(next, 'GET', `/api/card/unconfirmed?customerNo=${CUSTOMER}`);
        expect(open.status, open.text).toBe(200);
        expect(open.body.items).toEqual([]);
        expect(open.body.hq?.items).toEqual([]);
      });
  },
);
