import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonePrinter } from '../../../devices/printer/none-printer.ts';
import { type NeedsReprint, PrintQueue } from '../../../devices/printer/print-queue.ts';
import {
  JsonFilePrintQueueStore,
  MemoryPrintQueueStore,
  type PendingReceipt,
  type PrintQueueStore,
} from '../../../devices/printer/queue-store.ts';
import { SimPrinter } from '../../../devices/printer/sim-printer.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { KioskValidationError } from '../../../src/core/errors.ts';
import { REPRINT_MARK } from '../../../src/receipts/layout.ts';
import type { Receipt } from '../../../src/receipts/receipt.ts';
import { sampleReceipt } from '../../../src/receipts/sample-receipt.ts';
import { decodeEscPos, printedText } from '../../support/escpos-decoder.ts';
import { receiptBytes } from './helpers.ts';

const T0 = Date.UTC(2026, 10, 26, 2, 10, 0);

function setup(opts: { store?: PrintQueueStore; autoReprint?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const printer = new SimPrinter({ paperWidth: 58 }, { clock });
  const store = opts.store ?? new MemoryPrintQueueStore();
  const queue = new PrintQueue({
    printer,
    store,
    clock,
    encode: (r: Receipt) => receiptBytes(r),
    autoReprint: opts.autoReprint ?? false,
  });
  const needs: NeedsReprint[] = [];
  queue.on('needs-reprint', (n) => needs.push(n));
  return { clock, printer, store, queue, needs };
}

function printedOf(printer: SimPrinter, jobId: string): string {
  const job = printer.job(jobId);
  if (!job) throw new Error(`no job ${jobId}`);
  return printedText(decodeEscPos(job.bytes.subarray(0, job.printed), { partial: true }));
}

describe('PrintQueue', () => {
  it('prints the receipt as described when the printer is fine', async () => {
    const { printer, queue, needs } = setup();
    await printer.start();
    await queue.start();
    const printed: string[] = [];
    queue.on('printed', (p) => printed.push(p.jobId));
    const r = sampleReceipt();
    await expect(queue.print(r)).resolves.toEqual({
      outcome: 'printed',
      jobId: r.serial,
      serial: r.serial,
      reprint: false,
    });
    expect(printed).toEqual([r.serial]);
    expect(needs).toEqual([]);
    expect(printedOf(printer, r.serial)).not.toContain('补打');
  });

  it('keeps the transaction successful when the paper runs out mid-receipt: queued, operator told', async () => {
    const { printer, queue, needs, store } = setup();
    await printer.start();
    await queue.start();
    printer.paperOut({ afterBytes: 1200 });
    const r = sampleReceipt();
    const outcome = await queue.print(r);
    expect(outcome).toMatchObject({
      outcome: 'queued',
      serial: r.serial,
      partial: true,
      reason: { code: 'DEVICE_E_PAPER_OUT' },
    });
    expect(needs).toEqual([
      {
        jobId: r.serial,
        serial: r.serial,
        partial: true,
        pending: 1,
        reason: { code: 'DEVICE_E_PAPER_OUT', zh: '凭条打印机缺纸', en: 'receipt printer out of paper' },
      },
    ]);
    expect(queue.pending()).toMatchObject([{ serial: r.serial, attempts: 1, queuedAt: T0, partial: true }]);
    expect(await store.load()).toHaveLength(1);
  });

  it('reprints with the reprint mark once paper is back, and clears the queue', async () => {
    const { clock, printer, queue } = setup();
    await printer.start();
    await queue.start();
    const ready: number[] = [];
    queue.on('ready', (e) => ready.push(e.pending));
    printer.paperOut({ afterBytes: 800 });
    const r = sampleReceipt();
    await queue.print(r);
    clock.set(T0 + 5 * 60_000);
    printer.loadPaper();
    expect(ready).toEqual([1]);
    const outcome = await queue.reprint(r.serial);
    expect(outcome).toEqual({ outcome: 'printed', jobId: `${r.serial}-r1`, serial: r.serial, reprint: true });
    const text = printedOf(printer, `${r.serial}-r1`);
    expect(text).toContain(REPRINT_MARK);
    expect(text).toContain('补打时间2026-11-26 10:15:00');
    expect(text).toContain('本凭条不作报销凭证');
    expect(queue.pending()).toEqual([]);
  });

  it('queues without printing anything when the printer is unplugged, and keeps the first queue time', async () => {
    const { clock, printer, queue, needs } = setup();
    await printer.start();
    await queue.start();
    printer.unplug();
    const r = sampleReceipt();
    expect(await queue.print(r)).toMatchObject({
      outcome: 'queued',
      partial: false,
      reason: { code: 'DEVICE_E_DISCONNECTED' },
    });
    clock.advance(1000);
    expect(await queue.reprint(r.serial)).toMatchObject({ outcome: 'queued', jobId: `${r.serial}-r1` });
    expect(queue.pending()).toMatchObject([{ attempts: 2, queuedAt: T0, jobId: `${r.serial}-r1` }]);
    expect(needs.map((n) => n.jobId)).toEqual([r.serial, `${r.serial}-r1`]);
    expect(printer.jobs()).toEqual([]);
  });

  it('remembers that part of a receipt was printed even when a later attempt prints nothing', async () => {
    const { printer, queue } = setup();
    await printer.start();
    await queue.start();
    printer.paperOut({ afterBytes: 500 });
    const r = sampleReceipt();
    await queue.print(r);
    expect(await queue.reprint(r.serial)).toMatchObject({ outcome: 'queued', partial: true });
  });

  it('reprints by itself when autoReprint is on and the printer comes back', async () => {
    const { printer, queue } = setup({ autoReprint: true });
    await printer.start();
    await queue.start();
    printer.unplug();
    const a = sampleReceipt({ serial: 'SERIALA01' });
    const b = sampleReceipt({ serial: 'SERIALB02' });
    await queue.print(a);
    await queue.print(b);
    const reprinted = new Promise<string[]>((resolve) => {
      const seen: string[] = [];
      queue.on('printed', (p) => {
        seen.push(p.jobId);
        if (seen.length === 2) resolve(seen);
      });
    });
    printer.replug();
    expect(await reprinted).toEqual(['SERIALA01-r1', 'SERIALB02-r1']);
    expect(queue.pending()).toEqual([]);
  });

  it('stops a reprint run at the first failure', async () => {
    const { printer, queue } = setup();
    await printer.start();
    await queue.start();
    printer.unplug();
    await queue.print(sampleReceipt({ serial: 'SERIALA01' }));
    await queue.print(sampleReceipt({ serial: 'SERIALB02' }));
    const outcomes = await queue.reprintAll();
    expect(outcomes.map((o) => o.outcome)).toEqual(['queued']);
    expect(queue.pending().map((p) => p.serial)).toEqual(['SERIALB02', 'SERIALA01']);
  });

  it('refuses an invalid receipt without queueing it', async () => {
    const { printer, queue, needs } = setup();
    await printer.start();
    await queue.start();
    const bad = sampleReceipt({ lines: [{ label: '手机号', value: '13800138000' }] });
    expect(() => queue.print(bad)).toThrow(KioskValidationError);
    expect(queue.pending()).toEqual([]);
    expect(needs).toEqual([]);
    expect(printer.jobs()).toEqual([]);
  });

  it('lets the operator dismiss a waiting receipt', async () => {
    const { printer, queue, store } = setup();
    await printer.start();
    await queue.start();
    printer.unplug();
    await queue.print(sampleReceipt());
    expect(await queue.dismiss('20261126330100010042')).toBe(true);
    expect(await queue.dismiss('20261126330100010042')).toBe(false);
    expect(await store.load()).toEqual([]);
    await expect(queue.reprint('20261126330100010042')).rejects.toThrow(RangeError);
  });

  it('still answers and tells the operator when the store cannot save', async () => {
    const failing: PrintQueueStore = {
      load: async () => [],
      save: async () => {
        throw new Error('disk full');
      },
    };
    const { printer, queue, needs } = setup({ store: failing });
    await printer.start();
    await queue.start();
    printer.paperOut();
    expect(await queue.print(sampleReceipt())).toMatchObject({ outcome: 'queued' });
    expect(needs).toHaveLength(1);
    expect(queue.pending()).toHaveLength(1);
  });

  it('queues every receipt when no printer is fitted', async () => {
    const clock = new ManualClock(T0);
    const queue = new PrintQueue({
      printer: new NonePrinter(58, clock),
      store: new MemoryPrintQueueStore(),
      clock,
      encode: (r) => receiptBytes(r),
    });
    await queue.start();
    expect(await queue.print(sampleReceipt())).toMatchObject({
      outcome: 'queued',
      reason: { code: 'DEVICE_E_ABSENT', zh: '本亭未配置凭条打印机' },
    });
  });
});

describe('JsonFilePrintQueueStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-printq-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart: a new queue on the same file reprints what the old one queued', async () => {
    const file = join(dir, 'sub', 'printer-queue.json');
    const first = setup({ store: new JsonFilePrintQueueStore(file) });
    await first.printer.start();
    await first.queue.start();
    first.printer.paperOut({ afterBytes: 100 });
    await first.queue.print(sampleReceipt());
    await first.queue.stop();

    const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number; pending: PendingReceipt[] };
    expect(saved.version).toBe(1);
    expect(saved.pending[0]).toMatchObject({ serial: '20261126330100010042', partial: true });
    expect(JSON.stringify(saved)).not.toContain('13800138000');

    const second = setup({ store: new JsonFilePrintQueueStore(file) });
    await second.printer.start();
    const ready: number[] = [];
    second.queue.on('ready', (e) => ready.push(e.pending));
    await second.queue.start();
    expect(ready).toEqual([1]);
    expect(await second.queue.reprint('20261126330100010042')).toMatchObject({
      outcome: 'printed',
      reprint: true,
    });
    expect(await new JsonFilePrintQueueStore(file).load()).toEqual([]);
  });

  it('starts empty without a file and refuses a file that is not a queue', async () => {
    const file = join(dir, 'q.json');
    expect(await new JsonFilePrintQueueStore(file).load()).toEqual([]);
    await writeFile(file, '{"pending": 3}');
    await expect(new JsonFilePrintQueueStore(file).load()).rejects.toThrow(/not a print queue file/);
  });
});
