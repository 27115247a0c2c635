/**
 * End-to-end scenarios of the PC/SC driver against a real pcscd, the vpcd reader driver and the
 * Node virtual card. Run only through the harness, which supplies the private network namespace:
 *
 *   unshare -n bash scripts/pcsc-harness.sh node --import tsx tests/support/pcsc-scenarios.ts
 *
 * Prints one line `RESULT <json>` with what was observed; tests/integration/card-reader-pcsc.test.ts
 * asserts on it. Nothing here decides pass or fail.
 */
import { once } from 'node:events';
import type { CardReaderEvents } from '../../devices/card-reader/card-reader.ts';
import { classifyWriteFailure, ElectricityCardApp } from '../../devices/card-reader/electricity-card.ts';
import { signPurchaseWrite } from '../../devices/card-reader/electricity-card-format.ts';
import { PcscCardReader } from '../../devices/card-reader/pcsc-card-reader.ts';
import {
  VirtualElectricityCard,
  VirtualForeignCard,
} from '../../devices/card-reader/virtual-electricity-card.ts';
import type { DeviceHealth } from '../../devices/device.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { PCSCD_SOCKET, PcscDaemon, VPCD_PORT, VPCD_READER } from './pcsc-daemon.ts';
import { VpcdCard } from './vpcd-card.ts';

const MASTER = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
const results: Record<string, unknown> = {};
const daemon = new PcscDaemon();
const vpcd = new VpcdCard({ port: VPCD_PORT });
const reader = new PcscCardReader(
  {
    readerNamePattern: `^${VPCD_READER}$`,
    transmitTimeoutMs: 500,
    retryIntervalMs: 100,
    removalSettleMs: 2000,
    pcscdSocket: PCSCD_SOCKET,
  },
  { clock: systemClock, logger: silentLogger() },
);
const app = new ElectricityCardApp(reader);
const events: string[] = [];
for (const ev of ['reader-attached', 'reader-detached', 'card-inserted', 'card-removed'] as const) {
  reader.on(ev, () => events.push(ev));
}
const healthLog: string[] = [];
reader.on('health', (h: DeviceHealth) => healthLog.push(h.reason ? `${h.state}:${h.reason.code}` : h.state));

function waitFor<K extends keyof CardReaderEvents>(ev: K, ms = 5000): Promise<unknown> {
  return Promise.race([
    once(reader as never, ev as string),
    new Promise((_, rej) => setTimeout(() => rej(new Error(`timeout waiting for ${String(ev)}`)), ms)),
  ]);
}

async function insert(card: VirtualElectricityCard | VirtualForeignCard): Promise<void> {
  const seen = waitFor('card-inserted');
  await vpcd.insert(card);
  await seen;
}

async function remove(): Promise<void> {
  if (!reader.cardPresent()) return vpcd.remove();
  const seen = waitFor('card-removed');
  vpcd.remove();
  await seen;
}

function errInfo(e: unknown) {
  const x = e as { code?: string; name?: string; message?: string };
  return {
    code: x.code ?? null,
    name: x.name ?? null,
    outcome: classifyWriteFailure(e),
    message: x.message ?? String(e),
  };
}

async function step(name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    results[name] = { ok: true, value: await fn() };
  } catch (e) {
    results[name] = { ok: false, error: errInfo(e) };
  }
}

const card = new VirtualElectricityCard({
  cardSerial: '1122334455667788',
  customerNo: '3301000123',
  masterKey: MASTER,
});
const write = (counter: number, units: number, ref: string) =>
  signPurchaseWrite(MASTER, {
    cardSerial: card.id.cardSerial,
    customerNo: card.id.customerNo,
    purchaseCounter: counter,
    amountFen: units * 1,
    units,
    txnRef: ref,
  });
const noop = async () => {};

async function main(): Promise<void> {
  await daemon.start();
  const attached = waitFor('reader-attached');
  await reader.start();
  await attached;
  results.readerName = reader.readerName();
  results.healthAfterStart = reader.health().state;

  await step('noCard', () => app.read());
  await insert(card);
  await step('read', () => app.read());
  await step('purchase', () =>
    app.writePurchase(write(1, 12_345, 'AA00000000000001'), { beforeWrite: noop }),
  );
  await step('readBackApplied', () =>
    app.readBack({ cardSerial: card.id.cardSerial, purchaseCounter: 1, txnRef: 'AA00000000000001' }),
  );

  card.tearNextWrite('before-commit');
  const removed1 = waitFor('card-removed');
  await step('tearBefore', () => app.writePurchase(write(2, 500, 'AA00000000000002'), { beforeWrite: noop }));
  await removed1.catch(() => undefined);
  await insert(card);
  await step('readBackTearBefore', () =>
    app.readBack({ cardSerial: card.id.cardSerial, purchaseCounter: 2, txnRef: 'AA00000000000002' }),
  );

  card.tearNextWrite('after-commit');
  const removed2 = waitFor('card-removed');
  await step('tearAfter', () => app.writePurchase(write(2, 500, 'AA00000000000002'), { beforeWrite: noop }));
  await removed2.catch(() => undefined);
  await insert(card);
  await step('readBackTearAfter', () =>
    app.readBack({ cardSerial: card.id.cardSerial, purchaseCounter: 2, txnRef: 'AA00000000000002' }),
  );

  card.failNextWrites(1);
  await step('writeError', () => app.writePurchase(write(3, 700, 'AA00000000000003'), { beforeWrite: noop }));
  results.countersAfterWriteError = card.purchase.purchaseCounter;

  card.slowMs = 900;
  await step('slowCard', () => app.read());
  card.slowMs = 0;
  await new Promise((r) => setTimeout(r, 1000));
  await step('afterSlowCard', () => app.read());

  // pcscd stopped and started again: the reader goes away and comes back by itself.
  const detached = waitFor('reader-detached');
  await daemon.stop();
  await detached.catch(() => undefined);
  results.healthWhilePcscdDown = reader.health();
  const back = waitFor('reader-attached', 10_000);
  const cardBack = waitFor('card-inserted', 10_000);
  await daemon.start();
  await back.catch(() => undefined);
  await cardBack.catch(() => undefined);
  results.healthAfterRestart = reader.health().state;
  await step('readAfterRestart', () => app.read());

  await remove();
  await insert(new VirtualForeignCard());
  await step('foreignCard', () => app.read());
  await remove();
  const other = new VirtualElectricityCard({
    cardSerial: '99887766554433AA',
    customerNo: '3301000999',
    masterKey: MASTER,
  });
  await insert(other);
  await step('otherCustomerWrite', () =>
    app.writePurchase(write(3, 100, 'AA00000000000004'), { beforeWrite: noop }),
  );
  results.otherCardCommits = other.commits;
  results.cardCommits = card.commits;
  results.vpcdTears = vpcd.tears;
}

try {
  await main();
} catch (e) {
  results.fatal = errInfo(e);
  results.pcscdLog = daemon.log;
} finally {
  results.events = events;
  results.health = healthLog;
  await reader.stop();
  await vpcd.stop();
  await daemon.dispose();
  process.stdout.write(`RESULT ${JSON.stringify(results)}\n`);
}
