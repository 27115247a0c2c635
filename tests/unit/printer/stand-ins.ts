import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants, existsSync } from 'node:fs';
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceState } from '../../../devices/device.ts';
import { decodeEscPos } from '../../../devices/printer/escpos-decoder.ts';
import {
  answerRealtime,
  answerTransmitStatus,
  type PrinterPanel,
} from '../../../devices/printer/escpos-status.ts';
import type { Printer } from '../../../devices/printer/printer.ts';
import { UsblpPrinter } from '../../../devices/printer/usblp-printer.ts';

/**
 * Real stand-ins for a usblp printer node, used by the integration and contract tests:
 * - a FIFO (`mkfifo`) read by a `cat` process: a write-only printer that captures every byte;
 * - a pty pair made by `socat`, with FakeEscposPrinter on the far end answering DLE EOT and GS r
 *   like a bidirectional ESC/POS printer.
 */
export async function mkfifo(path: string): Promise<void> {
  const child = spawn('mkfifo', [path], { stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`mkfifo ${path} failed with ${code}`);
}

/** `cat fifo`: reads the FIFO like the printer end of the cable; keeps what it read. */
export class FifoReader {
  private chunks: Buffer[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<unknown> | undefined;

  constructor(private readonly path: string) {}

  start(): this {
    const child = spawn('cat', [this.path], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout?.on('data', (d: Buffer) => this.chunks.push(d));
    this.exited = once(child, 'exit');
    this.child = child;
    return this;
  }

  captured(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Resolves when `cat` saw end of file (the writer closed the node) and exited. */
  async ended(): Promise<Buffer> {
    await this.exited;
    return this.captured();
  }

  signal(sig: NodeJS.Signals): void {
    this.child?.kill(sig);
  }

  async kill(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Two linked ptys: the driver opens `a`, FakeEscposPrinter opens `b`. */
export class SocatPair {
  private child: ChildProcess | undefined;
  private exited: Promise<unknown> | undefined;

  constructor(
    readonly a: string,
    readonly b: string,
  ) {}

  async start(): Promise<void> {
    const child = spawn('socat', [`pty,rawer,link=${this.a}`, `pty,rawer,link=${this.b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    this.child = child;
    this.exited = once(child, 'exit');
    for (let i = 0; i < 200 && !(existsSync(this.a) && existsSync(this.b)); i++) {
      if (child.exitCode !== null) throw new Error(`socat exited: ${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    if (!existsSync(this.a) || !existsSync(this.b))
      throw new Error(`socat did not create the ptys: ${stderr}`);
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
  }
}

/**
 * A bidirectional ESC/POS printer on a pty: answers DLE EOT n at once (even when it stopped
 * printing), answers GS r when it has printed up to it, runs out of paper after `paperOutAt`
 * received bytes, and can hang (stop reading and answering).
 */
export class FakeEscposPrinter {
  panel: PrinterPanel = { paper: 'ok', coverOpen: false };
  /** Received-byte count at which the paper ends; later bytes are buffered, not printed. */
  paperOutAt: number | undefined;
  hung = false;
  private received = Buffer.alloc(0);
  private scanAt = 0;
  private readonly answeredGsr = new Set<number>();
  private fh: FileHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly path: string) {}

  async start(): Promise<void> {
    this.fh = await open(this.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    this.timer = setInterval(() => void this.pump(), 5);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }

  bytes(): Buffer {
    return Buffer.from(this.received);
  }

  private async pump(): Promise<void> {
    if (this.busy || this.hung || !this.fh) return;
    this.busy = true;
    try {
      const buf = Buffer.alloc(8192);
      for (;;) {
        const { bytesRead } = await this.fh.read(buf, 0, buf.length, null).catch(() => ({ bytesRead: 0 }));
        if (bytesRead === 0) break;
        await this.onData(buf.subarray(0, bytesRead));
      }
    } finally {
      this.busy = false;
    }
  }

  private async onData(chunk: Buffer): Promise<void> {
    this.received = Buffer.concat([this.received, chunk]);
    const answers: number[] = [];
    const len = this.received.length;
    for (let p = this.scanAt; p + 2 < len; p++) {
      if (this.received[p] === 0x10 && this.received[p + 1] === 0x04) {
        answers.push(answerRealtime(this.received[p + 2] as number, this.panel));
      }
    }
    this.scanAt = Math.max(this.scanAt, len - 2);
    if (this.paperOutAt !== undefined && len >= this.paperOutAt) this.panel.paper = 'out';
    const printable = Math.min(len, this.paperOutAt ?? len);
    const decoded = decodeEscPos(this.received.subarray(0, printable), { partial: true });
    decoded.ops.forEach((op, i) => {
      const at = decoded.opAt[i] as number;
      if (op === 'GS r' && !this.answeredGsr.has(at)) {
        this.answeredGsr.add(at);
        answers.push(answerTransmitStatus(this.panel));
      }
    });
    if (answers.length > 0) await this.fh?.write(Buffer.from(answers)).catch(() => undefined);
  }
}

/** Resolves when the printer reports `state` (at once if it already does). */
export function healthState(printer: Printer, state: DeviceState, code?: string): Promise<void> {
  const matches = () => {
    const h = printer.health();
    return h.state === state && (code === undefined || h.reason?.code === code);
  };
  if (matches()) return Promise.resolve();
  return new Promise((resolve) => {
    const onHealth = () => {
      if (!matches()) return;
      printer.off('health', onHealth);
      resolve();
    };
    printer.on('health', onHealth);
  });
}

/**
 * The usblp driver on one end of a socat pty pair and a fake ESC/POS printer on the other, in a
 * fresh temp folder; `stop()` tears all of it down.
 */
export interface PtyPrinterRig {
  dir: string;
  pair: SocatPair;
  fake: FakeEscposPrinter;
  printer: UsblpPrinter;
  stop(): Promise<void>;
}

export async function startPtyPrinterRig(prefix: string, stallTimeoutMs = 500): Promise<PtyPrinterRig> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const pair = new SocatPair(join(dir, 'lp0'), join(dir, 'printer'));
  await pair.start();
  const fake = new FakeEscposPrinter(pair.b);
  await fake.start();
  const printer = new UsblpPrinter({
    device: pair.a,
    paperWidth: 58,
    realtimeStatus: true,
    statusPollMs: 30,
    statusTimeoutMs: 1000,
    stallTimeoutMs,
  });
  return {
    dir,
    pair,
    fake,
    printer,
    stop: async () => {
      await printer.stop();
      await fake.stop();
      await pair.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
