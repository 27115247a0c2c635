/**
 * A real kiosk process for the card purchase kill suite: `node --import tsx card-kiosk-child.ts <json>`.
 * It runs the whole KioskApp on the given configuration file (its journal on disk, the local
 * server, the PC/SC card reader, the link to HQ over MQTT), prints `{"url": …}` once it serves, and
 * once told a step on stdin (a line `{"killAt": step}`) SIGKILLs itself right after that step of a
 * card purchase became durable.
 */

import { createInterface } from 'node:readline';
import { KioskApp } from '../../src/app/kiosk-app.ts';
import { type JournalEvent, txnOf } from '../../src/journal/records.ts';
import { silentLogger } from '../../src/platform/logger.ts';

/** Steps of a card purchase a kill may follow (the write itself is cut from the card's side). */
export type CardStep = 'intent' | 'paid' | 'written';

interface Options {
  configFile: string;
}

/** Whether `ev` is the durable record of `step`. */
function isStep(step: CardStep, ev: JournalEvent): boolean {
  if (txnOf(ev)?.service !== 'power-card') return false;
  switch (step) {
    // The purchase request to HQ is journaled and about to go.
    case 'intent':
      return ev.type === 'txn.intent' && ev.txn.state === 'purchasing';
    // HQ took the money and answered with the card's write data.
    case 'paid':
      return ev.type === 'txn.transition' && ev.from === 'purchasing' && ev.txn.state === 'writing';
    // The write is verified on the card; the confirmation to HQ is not sent yet.
    case 'written':
      return ev.type === 'txn.transition' && ev.txn.state === 'confirming';
  }
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const app = new KioskApp({ configFile: o.configFile, logger: silentLogger() });
await app.start();
let step: CardStep | undefined;
app.journal.on('event', (ev: JournalEvent) => {
  if (step && isStep(step, ev)) process.kill(process.pid, 'SIGKILL');
});
createInterface({ input: process.stdin }).on('line', (line) => {
  step = (JSON.parse(line) as { killAt?: CardStep }).killAt;
  process.stdout.write(`${JSON.stringify({ armed: step ?? null })}\n`);
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
