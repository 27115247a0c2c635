import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceHealth } from '../../../devices/device.ts';
import { PrintError, type PrinterStatus } from '../../../devices/printer/printer.ts';
import { SimPrinter } from '../../../devices/printer/sim-printer.ts';
import { sampleReceipt } from '../../../src/receipts/sample-receipt.ts';
import { decodeEscPos, printedText } from '../../support/escpos-decoder.ts';
import { receiptBytes } from './helpers.ts';

const bytes = receiptBytes(sampleReceipt());

async function started() {
  const p = new SimPrinter({ paperWidth: 58 });
  const health: DeviceHealth[] = [];
  const status: PrinterStatus[] = [];
  p.on('health', (h) => health.push(h));
  p.on('status', (s) => status.push(s));
  await p.start();
  return { p, health, status };
}

async function rejection(promise: Promise<unknown>): Promise<PrintError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PrintError);
    return e as PrintError;
  }
  throw new Error('expected the print to fail');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SimPrinter', () => {
  it('keeps the raw bytes of each job and previews what was printed', async () => {
    const { p } = await started();
    await expect(p.print(bytes, 'job-1')).resolves.toEqual({ jobId: 'job-1', bytes: bytes.length });
    const job = p.job('job-1');
    expect(Buffer.from(job?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
    expect(job).toMatchObject({ printed: bytes.length, complete: true });
    expect(p.preview('job-1')).toContain('本凭条不作报销凭证');
    expect(p.previewSvg('job-1')).toMatch(/^<svg[^>]+width="384"/);
  });

  it('stops mid-receipt when the paper runs out, and says how much got out', async () => {
    const { p, health } = await started();
    p.paperOut({ afterBytes: 1500 });
    const err = await rejection(p.print(bytes, 'job-1'));
    expect(err).toMatchObject({
      code: 'DEVICE_E_PAPER_OUT',
      jobId: 'job-1',
      bytesWritten: 1500,
      partial: true,
    });
    expect(p.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_PAPER_OUT' } });
    expect(health.at(-1)?.state).toBe('offline');
    const printed = decodeEscPos(p.job('job-1')!.bytes.subarray(0, 1500), { partial: true });
    expect(printedText(printed)).toContain('西湖区文三路便民服务亭');
    expect(printedText(printed)).not.toContain('本凭条不作报销凭证');
    expect(p.preview('job-1')).toMatch(/printing stopped/);

    // No paper: the next job is refused before anything is sent.
    const next = await rejection(p.print(bytes, 'job-2'));
    expect(next).toMatchObject({ code: 'DEVICE_E_PAPER_OUT', bytesWritten: 0, partial: false });
    p.loadPaper();
    expect(p.health().state).toBe('ok');
    await expect(p.print(bytes, 'job-3')).resolves.toMatchObject({ jobId: 'job-3' });
  });

  it('counts the paper left across jobs', async () => {
    const { p } = await started();
    p.paperOut({ afterBytes: bytes.length + 100 });
    await p.print(bytes, 'a');
    const err = await rejection(p.print(bytes, 'b'));
    expect(err.bytesWritten).toBe(100);
  });

  it('reports paper low as degraded and still prints', async () => {
    const { p, status } = await started();
    p.paperLow();
    expect(p.health()).toMatchObject({ state: 'degraded' });
    expect(status.at(-1)).toMatchObject({ paper: 'low', cover: 'closed', online: true });
    await expect(p.print(bytes, 'a')).resolves.toBeDefined();
  });

  it('refuses to print with the cover open', async () => {
    const { p } = await started();
    p.openCover();
    expect(await p.status()).toMatchObject({ cover: 'open' });
    expect(p.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_COVER_OPEN' } });
    expect(await rejection(p.print(bytes, 'a'))).toMatchObject({
      code: 'DEVICE_E_COVER_OPEN',
      bytesWritten: 0,
    });
    p.closeCover();
    await expect(p.print(bytes, 'b')).resolves.toBeDefined();
  });

  it('goes offline when unplugged (also mid-job) and recovers on replug', async () => {
    const { p } = await started();
    p.unplug();
    expect(p.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_DISCONNECTED' } });
    expect(await rejection(p.print(bytes, 'a'))).toMatchObject({
      code: 'DEVICE_E_DISCONNECTED',
      bytesWritten: 0,
    });
    p.replug();
    expect(p.health().state).toBe('ok');
    p.unplug({ afterBytes: 10 });
    expect(await rejection(p.print(bytes, 'b'))).toMatchObject({
      code: 'DEVICE_E_DISCONNECTED',
      bytesWritten: 10,
    });
    expect((await p.status()).online).toBe(false);
    p.replug();
    await expect(p.print(bytes, 'c')).resolves.toBeDefined();
  });

  it('is slow when told, runs jobs in order, and sees a state change during a slow job', async () => {
    vi.useFakeTimers();
    const { p } = await started();
    p.setDelay(2000);
    const done: string[] = [];
    const a = p.print(bytes, 'a').then(() => done.push('a'));
    const b = p.print(bytes, 'b').catch((e: PrintError) => done.push(`b:${e.code}`));
    await vi.advanceTimersByTimeAsync(1999);
    expect(done).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual(['a']);
    p.openCover();
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all([a, b]);
    expect(done).toEqual(['a', 'b:DEVICE_E_COVER_OPEN']);
  });

  it('is offline before start and after stop', async () => {
    const p = new SimPrinter({ paperWidth: 80 });
    expect(p.health().state).toBe('offline');
    expect(await rejection(p.print(bytes, 'a'))).toMatchObject({ code: 'DEVICE_E_ABSENT' });
    await p.start();
    expect(p.health().state).toBe('ok');
    await p.stop();
    expect(p.health().state).toBe('offline');
  });
});
