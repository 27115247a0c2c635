/**
 * A real kiosk process for the order kill tests: `node --import tsx order-kiosk-child.ts <json>`.
 * It runs the whole KioskApp on the given configuration file (its journal on disk, the local
 * server, the link to an HQ over MQTT with the given broker login), prints `{"url": …}` once it
 * serves, and with `killAt` SIGKILLs itself right after the first journal event of that order step
 * (of the order for `account`) became durable. SIGTERM stops it as systemd would.
 */

import { KioskApp } from '../../src/app/kiosk-app.ts';
import { type JournalEvent, orderOf, txnOf } from '../../src/journal/records.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { BrokerLogin } from '../../src/reference-hq/broker-credentials.ts';

/** The steps of an order a kill may follow. */
export type OrderStep = 'placing' | 'placed' | 'paid' | 'created' | 'intent' | 'answered';

interface Options {
  configFile: string;
  login: BrokerLogin;
  killAt?: OrderStep;
  /** Only the steps of the order for this account count (an earlier order may still be open). */
  account?: string;
}

/** Whether `ev` is the durable record of `step`. */
function isStep(step: OrderStep, ev: JournalEvent): boolean {
  switch (step) {
    case 'placing':
      return ev.type === 'order' && ev.order?.status === 'awaiting-payment' && ev.order.qr === null;
    case 'placed':
      return (
        ev.type === 'order' &&
        ev.order?.status === 'awaiting-payment' &&
        (ev.order.tender === 'counter' || ev.order.qr !== null)
      );
    case 'paid':
      return ev.type === 'order' && ev.order?.status === 'paid';
    case 'created':
      return ev.type === 'txn.created';
    case 'intent':
      return ev.type === 'txn.intent';
    case 'answered':
      return ev.type === 'txn.transition' && ev.from === 'paying';
  }
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const app = new KioskApp({
  configFile: o.configFile,
  logger: silentLogger(),
  hqConnection: { login: o.login },
});
await app.start();
const step = o.killAt;
if (step)
  app.journal.on('event', (ev: JournalEvent) => {
    const account = orderOf(ev)?.fields.account ?? txnOf(ev)?.fields.account;
    if (isStep(step, ev) && (!o.account || account === o.account)) process.kill(process.pid, 'SIGKILL');
  });
try {
  await app.operators.add({ code: 'A001', name: '收款员', role: 'teller', password: '123456' });
} catch {
  // Added by an earlier run of this kiosk.
}
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
