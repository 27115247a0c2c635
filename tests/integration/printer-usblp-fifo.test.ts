import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrintError } from '../../devices/printer/printer.ts';
import { UsblpPrinter, type UsblpPrinterOptions } from '../../devices/printer/usblp-printer.ts';
import { sampleReceipt } from '../../src/receipts/sample-receipt.ts';
import { until } from '../support/wait.ts';
import { receiptBytes } from '../unit/printer/helpers.ts';
import { FifoReader, healthState, mkfifo } from '../unit/printer/stand-ins.ts';

/**
 * The usblp driver against a FIFO read by `cat`: the same open/write calls the driver makes on
 * /dev/usb/lp0, with every byte captured. The FIFO is write-only (no status answers), so these
 * runs use realtimeStatus: false; tests/integration/printer-usblp-pty.test.ts covers status.
 * Needs `mkfifo` and `cat` (coreutils).
 */
let dir: string;
let node: string;
const readers: FifoReader[] = [];
const printers: UsblpPrinter[] = [];

function printer(opts: Partial<UsblpPrinterOptions> = {}): UsblpPrinter {
  const p = new UsblpPrinter({
    device: node,
    paperWidth: 58,
    realtimeStatus: false,
    statusPollMs: 20,
    statusTimeoutMs: 200,
    stallTimeoutMs: 2000,
    ...opts,
  });
  printers.push(p);
  return p;
}

function reader(): FifoReader {
  const r = new FifoReader(node).start();
  readers.push(r);
  return r;
}

async function failure(promise: Promise<unknown>): Promise<PrintError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PrintError);
    return e as PrintError;
  }
  throw new Error('expected the print to fail');
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-lp-'));
  node = join(dir, 'lp0');
});

afterEach(async () => {
  await Promise.all(printers.splice(0).map((p) => p.stop()));
  await Promise.all(readers.splice(0).map((r) => r.kill()));
  await rm(dir, { recursive: true, force: true });
});

describe('UsblpPrinter on a FIFO', () => {
  it('writes each job byte for byte, in order', async () => {
    await mkfifo(node);
    const r = reader();
    const p = printer({ chunkSize: 512 });
    await p.start();
    await healthState(p, 'ok');
    const a = receiptBytes(sampleReceipt());
    const b = receiptBytes(sampleReceipt({ serial: 'SERIAL0002', reprint: true }), 80);
    const results = await Promise.all([p.print(a, 'a'), p.print(b, 'b')]);
    expect(results).toEqual([
      { jobId: 'a', bytes: a.length },
      { jobId: 'b', bytes: b.length },
    ]);
    await p.stop();
    const captured = await r.ended();
    expect(captured.equals(Buffer.concat([a, b]))).toBe(true);
  });

  it('reports a missing node as absent and recovers when it appears, without a restart', async () => {
    const p = printer();
    await p.start();
    expect(p.health()).toMatchObject({
      state: 'offline',
      reason: { code: 'DEVICE_E_ABSENT' },
      driver: 'usblp',
    });
    const err = await failure(p.print(Uint8Array.of(0x1b, 0x40), 'x'));
    expect(err).toMatchObject({ code: 'DEVICE_E_ABSENT', bytesWritten: 0 });

    await mkfifo(node);
    const r = reader();
    await healthState(p, 'ok');
    await p.print(Uint8Array.of(0x1b, 0x40, 0x0a), 'y');
    await p.stop();
    expect(Array.from(await r.ended())).toEqual([0x1b, 0x40, 0x0a]);
  });

  it('reports a node nobody is behind as disconnected', async () => {
    await mkfifo(node);
    const p = printer();
    await p.start();
    expect(p.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_DISCONNECTED' } });
  });

  it('follows an unplug (node removed) and a replug (new node) without a restart', async () => {
    await mkfifo(node);
    const first = reader();
    const p = printer();
    await p.start();
    await healthState(p, 'ok');
    await p.print(Uint8Array.of(0x41, 0x0a), 'before');
    // The bytes are in the FIFO once print resolves; let `cat` pass them on before it is killed.
    await until(() => first.captured().length === 2, 5000, 'the first reader to get the job');

    await unlink(node);
    await first.kill();
    await healthState(p, 'offline', 'DEVICE_E_DISCONNECTED');
    expect((await p.status()).online).toBe(false);

    await mkfifo(node);
    const second = reader();
    await healthState(p, 'ok');
    await p.print(Uint8Array.of(0x42, 0x0a), 'after');
    await p.stop();
    expect(first.captured().toString('latin1')).toBe('A\n');
    expect((await second.ended()).toString('latin1')).toBe('B\n');
  });

  it('fails a job whose reader went away and recovers when a reader is back', async () => {
    await mkfifo(node);
    const first = reader();
    const p = printer();
    await p.start();
    await healthState(p, 'ok');
    await first.kill();
    const err = await failure(p.print(receiptBytes(sampleReceipt()), 'lost'));
    expect(err).toMatchObject({ code: 'DEVICE_E_DISCONNECTED', bytesWritten: 0 });
    expect(p.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_DISCONNECTED' } });

    const second = reader();
    await healthState(p, 'ok');
    await p.print(Uint8Array.of(0x43), 'back');
    await p.stop();
    expect((await second.ended()).toString('latin1')).toBe('C');
  });

  it('gives up on a stalled printer with the bytes that got out, and is not left blocked', async () => {
    await mkfifo(node);
    const r = reader();
    const p = printer({ stallTimeoutMs: 300 });
    await p.start();
    await healthState(p, 'ok');
    r.signal('SIGSTOP');
    const big = new Uint8Array(512 * 1024).fill(0x41);
    const err = await failure(p.print(big, 'big'));
    expect(err.code).toBe('DEVICE_E_TIMEOUT');
    expect(err.partial).toBe(true);
    expect(err.bytesWritten).toBeLessThan(big.length);
    expect(p.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_TIMEOUT' } });
    r.signal('SIGCONT');
    // A write-only printer cannot be asked: it stays offline until a job gets through.
    expect((await p.status()).online).toBe(false);
    expect(p.health().reason?.code).toBe('DEVICE_E_TIMEOUT');
    await p.print(Uint8Array.of(0x0a), 'probe');
    expect(p.health().state).toBe('ok');
  });
});
