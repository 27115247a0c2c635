import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrintError, type Printer, type PrintJobEvent } from '../../devices/printer/printer.ts';
import { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { UsblpPrinter } from '../../devices/printer/usblp-printer.ts';
import { sampleReceipt } from '../../src/receipts/sample-receipt.ts';
import { receiptBytes } from '../unit/printer/helpers.ts';
import { FifoReader, healthState, mkfifo, startPtyPrinterRig } from '../unit/printer/stand-ins.ts';

/**
 * The Printer contract, run against every implementation:
 * - the simulator (always);
 * - the usblp driver on a FIFO read by `cat` (write-only stand-in; needs coreutils);
 * - the usblp driver on a socat pty with a fake ESC/POS printer answering status (needs socat);
 * - a real printer, when KIOSK_TEST_PRINTER_DEVICE names its node. On a Pi with the printer on
 *   USB and paper loaded (this prints two sample receipts):
 *     KIOSK_TEST_PRINTER_DEVICE=/dev/usb/lp0 KIOSK_TEST_PRINTER_WIDTH=80 \
 *       KIOSK_TEST_PRINTER_STATUS=1 npx vitest run tests/contract/printer.contract.test.ts
 *   KIOSK_TEST_PRINTER_WIDTH defaults to 58; KIOSK_TEST_PRINTER_STATUS=0 for a printer that does
 *   not answer DLE EOT. The user running it must be in group `lp`.
 */
interface Harness {
  printer: Printer;
  driver: string;
  /** What the device received so far, when the stand-in can tell. */
  received?: () => Buffer;
  cleanup(): Promise<void>;
}

const harnesses: Array<[string, () => Promise<Harness>]> = [
  [
    'simulator',
    async () => {
      const printer = new SimPrinter({ paperWidth: 58 });
      return {
        printer,
        driver: 'sim',
        received: () => Buffer.concat(printer.jobs().map((j) => Buffer.from(j.bytes.subarray(0, j.printed)))),
        cleanup: async () => {},
      };
    },
  ],
  [
    'usblp on a FIFO',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'kiosk-contract-'));
      const node = join(dir, 'lp0');
      await mkfifo(node);
      const reader = new FifoReader(node).start();
      const printer = new UsblpPrinter({
        device: node,
        paperWidth: 58,
        realtimeStatus: false,
        statusPollMs: 20,
        statusTimeoutMs: 200,
        stallTimeoutMs: 2000,
      });
      return {
        printer,
        driver: 'usblp',
        received: () => reader.captured(),
        cleanup: async () => {
          await reader.kill();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'usblp on a pty with status',
    async () => {
      const { printer, fake, stop } = await startPtyPrinterRig('kiosk-contract-', 2000);
      return {
        printer,
        driver: 'usblp',
        // Status queries are interleaved between jobs: drop DLE EOT n sequences.
        received: () => withoutStatusQueries(fake.bytes()),
        cleanup: stop,
      };
    },
  ],
];

const realDevice = process.env.KIOSK_TEST_PRINTER_DEVICE;
if (realDevice) {
  harnesses.push([
    `real printer at ${realDevice}`,
    async () => ({
      printer: new UsblpPrinter({
        device: realDevice,
        paperWidth: process.env.KIOSK_TEST_PRINTER_WIDTH === '80' ? 80 : 58,
        realtimeStatus: process.env.KIOSK_TEST_PRINTER_STATUS !== '0',
        statusPollMs: 1000,
        statusTimeoutMs: 500,
        stallTimeoutMs: 15_000,
      }),
      driver: 'usblp',
      cleanup: async () => {},
    }),
  ]);
}

/** The stream minus the DLE EOT n queries the driver interleaves between jobs. */
function withoutStatusQueries(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x10 && b[i + 1] === 0x04 && (b[i + 2] ?? 0) >= 1 && (b[i + 2] ?? 0) <= 4) i += 2;
    else out.push(b[i] as number);
  }
  return Buffer.from(out);
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe.each(harnesses)('Printer contract: %s', (_name, make) => {
  let h: Harness;
  beforeEach(async () => {
    h = await make();
  });
  afterEach(async () => {
    await h.printer.stop();
    await h.cleanup();
  });

  it('is offline until started, then ok', async () => {
    expect(h.printer.kind).toBe('printer');
    expect(h.printer.health().state).toBe('offline');
    await h.printer.start();
    await healthState(h.printer, 'ok');
    expect(h.printer.health()).toMatchObject({ state: 'ok', driver: h.driver });
    const s = await h.printer.status();
    expect(s.online).toBe(true);
    expect(['ok', 'low', 'unknown']).toContain(s.paper);
    expect(['closed', 'unknown']).toContain(s.cover);
  });

  it('prints jobs one at a time, in order, and reports each', async () => {
    await h.printer.start();
    await healthState(h.printer, 'ok');
    const width = h.printer.paperWidth;
    const a = receiptBytes(sampleReceipt({ title: { zh: '测试凭条', en: 'Test receipt 1' } }), width);
    const b = receiptBytes(
      sampleReceipt({ title: { zh: '测试凭条', en: 'Test receipt 2' }, reprint: true }),
      width,
    );
    const events: PrintJobEvent[] = [];
    h.printer.on('job', (e) => events.push(e));
    const results = await Promise.all([h.printer.print(a, 'contract-a'), h.printer.print(b, 'contract-b')]);
    expect(results).toEqual([
      { jobId: 'contract-a', bytes: a.length },
      { jobId: 'contract-b', bytes: b.length },
    ]);
    expect(events.map((e) => [e.jobId, e.outcome, e.bytesWritten])).toEqual([
      ['contract-a', 'printed', a.length],
      ['contract-b', 'printed', b.length],
    ]);
    if (h.received) {
      const expected = Buffer.concat([a, b]);
      await until(() => (h.received?.().length ?? 0) >= expected.length);
      expect(h.received().equals(expected)).toBe(true);
    }
  });

  it('refuses jobs once stopped, with nothing sent', async () => {
    await h.printer.start();
    await healthState(h.printer, 'ok');
    await h.printer.stop();
    expect(h.printer.health().state).toBe('offline');
    const job = h.printer.print(Uint8Array.of(0x1b, 0x40), 'after-stop');
    await expect(job).rejects.toBeInstanceOf(PrintError);
    await expect(job).rejects.toMatchObject({ jobId: 'after-stop', bytesWritten: 0 });
  });
});
