import { once } from 'node:events';
import type { CardReader, CardReaderEvents } from '../../devices/card-reader/card-reader.ts';
import { PcscCardReader } from '../../devices/card-reader/pcsc-card-reader.ts';
import type { VirtualCard } from '../../devices/card-reader/virtual-electricity-card.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { PCSCD_SOCKET, PcscDaemon, VPCD_PORT, VPCD_READER } from './pcsc-daemon.ts';
import { VpcdCard } from './vpcd-card.ts';

/**
 * What the card-reader contract suite needs from an implementation under test: the reader, and
 * the physical actions around it (insert/remove a card, unplug/plug the reader, let time pass).
 */
export interface CardReaderFixture {
  readonly name: string;
  readonly reader: CardReader;
  readonly transmitTimeoutMs: number;
  /** Puts a card in the reader; resolves once the reader reported it. */
  insert(card: VirtualCard): Promise<void>;
  /** Pulls the card out; resolves once the reader reported it. */
  remove(): Promise<void>;
  /** Resolves once the reader reported a removal the card itself caused (a torn write). */
  removalSeen(): Promise<void>;
  /** The reader goes away (unplugged); resolves once reported. */
  unplug(): Promise<void>;
  /** The reader comes back; resolves once attached again (and the card, if any, re-reported). */
  plug(): Promise<void>;
  /** Lets `ms` of time pass for timing-dependent cases. */
  elapse(ms: number): Promise<void>;
  /** Back to: started, reader attached, no card. */
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export function waitForEvent<K extends keyof CardReaderEvents>(
  r: CardReader,
  ev: K,
  ms = 8000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(ev)}`)), ms);
    void once(r as never, ev as string).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** PcscCardReader → real pcscd → vpcd → VpcdCard → the shared virtual card logic. */
export async function createVpcdFixture(): Promise<CardReaderFixture> {
  const transmitTimeoutMs = 800;
  const daemon = new PcscDaemon();
  const vpcd = new VpcdCard({ port: VPCD_PORT });
  const reader = new PcscCardReader(
    {
      readerNamePattern: `^${VPCD_READER}$`,
      transmitTimeoutMs,
      retryIntervalMs: 100,
      removalSettleMs: 2000,
      pcscdSocket: PCSCD_SOCKET,
      simCard: null,
    },
    { clock: systemClock, logger: silentLogger() },
  );
  await daemon.start();
  let attached = waitForEvent(reader, 'reader-attached');
  await reader.start();
  await attached;
  let plugged = true;

  const fixture: CardReaderFixture = {
    name: 'pcsc+vpcd',
    reader,
    transmitTimeoutMs,
    async insert(card) {
      const seen = waitForEvent(reader, 'card-inserted');
      await vpcd.insert(card);
      await seen;
    },
    async remove() {
      if (!vpcd.inserted()) return;
      const seen = reader.cardPresent() ? waitForEvent(reader, 'card-removed') : Promise.resolve();
      vpcd.remove();
      await seen;
    },
    async removalSeen() {
      if (reader.cardPresent()) await waitForEvent(reader, 'card-removed');
    },
    async unplug() {
      const seen = waitForEvent(reader, 'reader-detached');
      await daemon.stop();
      plugged = false;
      await seen;
    },
    async plug() {
      attached = waitForEvent(reader, 'reader-attached', 15_000);
      const card = vpcd.inserted() ? waitForEvent(reader, 'card-inserted', 15_000) : Promise.resolve();
      await daemon.start();
      plugged = true;
      await attached;
      await card;
    },
    elapse: (ms) => new Promise((r) => setTimeout(r, ms)),
    async reset() {
      await fixture.remove();
      if (!plugged) await fixture.plug();
      if (reader.readerName() === null) {
        // The reader was stopped by the test: start it again.
        attached = waitForEvent(reader, 'reader-attached');
        await reader.start();
        await attached;
      }
    },
    async dispose() {
      await reader.stop();
      await vpcd.stop();
      await daemon.dispose();
    },
  };
  return fixture;
}
