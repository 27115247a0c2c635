import { EventEmitter } from 'node:events';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import { CPL } from '../../src/receipts/layout.ts';
import type { DeviceHealth } from '../device.ts';
import { decodeEscPos, renderText } from './escpos-decoder.ts';
import {
  healthFromStatus,
  type PaperWidth,
  PrintError,
  type Printer,
  type PrinterEvents,
  type PrinterStatus,
  type PrintResult,
  reason,
  sameHealth,
  sameStatus,
} from './printer.ts';
import { renderDecodedSvg } from './sim-preview.ts';

/**
 * Simulated receipt printer. Keeps the raw bytes of its last SIM_JOBS_KEPT jobs (and how many of them were printed
 * before a failure), renders what is on the paper as text or SVG, and has test controls that
 * reproduce the real failures: paper out (also part-way through a receipt), paper low, cover open,
 * unplug/replug and a slow printer. Timing uses setTimeout, so vitest fake timers drive it.
 */
export interface SimJob {
  jobId: string;
  /** Every byte the printer received for this job. */
  bytes: Uint8Array;
  /** How many of them were printed (less than bytes.length when the job failed part-way). */
  printed: number;
  complete: boolean;
  /** Epoch ms when the job arrived. */
  at: number;
}

/** Jobs the simulator keeps for inspection, newest last (older ones are forgotten: a long run stays small). */
export const SIM_JOBS_KEPT = 200;

export interface SimPrinterOptions {
  paperWidth: PaperWidth;
}

export interface SimPrinterDeps {
  clock?: Clock;
}

export class SimPrinter extends EventEmitter<PrinterEvents> implements Printer {
  readonly kind = 'printer' as const;
  readonly paperWidth: PaperWidth;
  private readonly clock: Clock;
  private started = false;
  private plugged = true;
  private paper: 'ok' | 'low' | 'out' = 'ok';
  private coverOpen = false;
  private delayMs = 0;
  private paperOutAfter: number | undefined;
  private unplugAfter: number | undefined;
  private readonly jobList: SimJob[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private current: DeviceHealth;
  private lastStatus: PrinterStatus;

  constructor(opts: SimPrinterOptions, deps: SimPrinterDeps = {}) {
    super();
    this.paperWidth = opts.paperWidth;
    this.clock = deps.clock ?? systemClock;
    this.lastStatus = { online: false, paper: 'unknown', cover: 'unknown', at: 0 };
    this.current = {
      state: 'offline',
      reason: reason('DEVICE_E_ABSENT'),
      since: this.clock.now(),
      driver: 'sim',
    };
  }

  async start(): Promise<void> {
    this.started = true;
    this.update();
  }

  async stop(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.started = false;
    this.update();
  }

  /** As the real driver: the job in progress ends, then the simulated printer is opened again. */
  async reconnect(): Promise<void> {
    await this.stop();
    await this.start();
  }

  health(): DeviceHealth {
    return { ...this.current };
  }

  async status(): Promise<PrinterStatus> {
    return this.readStatus();
  }

  print(bytes: Uint8Array, jobId: string): Promise<PrintResult> {
    const run = this.queue.then(() => this.runJob(bytes, jobId));
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---- test controls -------------------------------------------------------------------------

  /** Paper runs out now, or after `afterBytes` more bytes have been printed (mid-receipt). */
  paperOut(opts: { afterBytes?: number } = {}): void {
    if (opts.afterBytes === undefined) {
      this.paper = 'out';
      this.paperOutAfter = undefined;
      this.update();
    } else {
      this.paperOutAfter = opts.afterBytes;
    }
  }

  /** A new roll: paper ok. */
  loadPaper(): void {
    this.paper = 'ok';
    this.paperOutAfter = undefined;
    this.update();
  }

  paperLow(low = true): void {
    if (this.paper !== 'out') this.paper = low ? 'low' : 'ok';
    this.update();
  }

  openCover(): void {
    this.coverOpen = true;
    this.update();
  }

  closeCover(): void {
    this.coverOpen = false;
    this.update();
  }

  /** USB cable out now, or after `afterBytes` more bytes of the next jobs. */
  unplug(opts: { afterBytes?: number } = {}): void {
    if (opts.afterBytes === undefined) {
      this.plugged = false;
      this.unplugAfter = undefined;
      this.update();
    } else {
      this.unplugAfter = opts.afterBytes;
    }
  }

  replug(): void {
    this.plugged = true;
    this.unplugAfter = undefined;
    this.update();
  }

  /** Every job takes this long before it completes (or fails). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  // ---- inspection ----------------------------------------------------------------------------

  jobs(): readonly SimJob[] {
    return this.jobList.map((j) => ({ ...j }));
  }

  job(jobId: string): SimJob | undefined {
    const j = this.jobList.find((x) => x.jobId === jobId);
    return j ? { ...j } : undefined;
  }

  /** What is on the paper for a job, as text; a job cut short ends with a marker line. */
  preview(jobId: string): string {
    const j = this.mustJob(jobId);
    const decoded = decodeEscPos(j.bytes.subarray(0, j.printed), { partial: true });
    const text = renderText(decoded, CPL[this.paperWidth]);
    return j.complete ? text : `${text}~~~ 打印中断 / printing stopped ~~~\n`;
  }

  /** What is on the paper for a job, as an SVG image (384 or 576 dots wide). */
  previewSvg(jobId: string): string {
    const j = this.mustJob(jobId);
    const decoded = decodeEscPos(j.bytes.subarray(0, j.printed), { partial: true });
    return renderDecodedSvg(decoded, CPL[this.paperWidth], { stopped: !j.complete });
  }

  // ---- internals -----------------------------------------------------------------------------

  private mustJob(jobId: string): SimJob {
    const j = this.jobList.find((x) => x.jobId === jobId);
    if (!j) throw new RangeError(`no simulated job ${jobId}`);
    return j;
  }

  private readStatus(): PrinterStatus {
    const online = this.started && this.plugged;
    return {
      online,
      paper: online ? this.paper : 'unknown',
      cover: online ? (this.coverOpen ? 'open' : 'closed') : 'unknown',
      at: this.clock.now(),
    };
  }

  private update(): void {
    const s = this.readStatus();
    if (!sameStatus(s, this.lastStatus)) {
      this.lastStatus = s;
      this.emit('status', s);
    }
    const code = this.started ? 'DEVICE_E_DISCONNECTED' : 'DEVICE_E_ABSENT';
    const h = healthFromStatus(s, 'sim', this.clock.now(), code);
    if (!sameHealth(h, this.current)) {
      this.current = h;
      this.emit('health', { ...h });
    }
  }

  private async runJob(bytes: Uint8Array, jobId: string): Promise<PrintResult> {
    const fail = (e: PrintError): never => {
      this.emit('job', { jobId, outcome: 'failed', bytesWritten: e.bytesWritten, error: e });
      throw e;
    };
    // A slow printer is busy for delayMs; the state it finds afterwards decides the outcome.
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (!this.started || !this.plugged) {
      return fail(new PrintError(this.started ? 'DEVICE_E_DISCONNECTED' : 'DEVICE_E_ABSENT', jobId, 0));
    }
    if (this.coverOpen) return fail(new PrintError('DEVICE_E_COVER_OPEN', jobId, 0));
    if (this.paper === 'out') return fail(new PrintError('DEVICE_E_PAPER_OUT', jobId, 0));
    const job: SimJob = {
      jobId,
      bytes: Uint8Array.from(bytes),
      printed: 0,
      complete: false,
      at: this.clock.now(),
    };
    this.jobList.push(job);
    if (this.jobList.length > SIM_JOBS_KEPT) this.jobList.splice(0, this.jobList.length - SIM_JOBS_KEPT);

    const paperLimit = this.paperOutAfter;
    const plugLimit = this.unplugAfter;
    if (plugLimit !== undefined && plugLimit < bytes.length) {
      job.printed = plugLimit;
      this.unplugAfter = undefined;
      this.plugged = false;
      this.update();
      return fail(new PrintError('DEVICE_E_DISCONNECTED', jobId, plugLimit));
    }
    if (paperLimit !== undefined && paperLimit < bytes.length) {
      job.printed = paperLimit;
      this.paperOutAfter = undefined;
      this.paper = 'out';
      this.update();
      return fail(new PrintError('DEVICE_E_PAPER_OUT', jobId, paperLimit));
    }
    if (paperLimit !== undefined) this.paperOutAfter = paperLimit - bytes.length;
    if (plugLimit !== undefined) this.unplugAfter = plugLimit - bytes.length;
    job.printed = bytes.length;
    job.complete = true;
    this.emit('job', { jobId, outcome: 'printed', bytesWritten: bytes.length });
    return { jobId, bytes: bytes.length };
  }
}
