import { EventEmitter } from 'node:events';
import { type Clock, systemClock } from '../../src/core/clock.ts';
import type { DeviceHealth } from '../device.ts';
import {
  type PaperWidth,
  PrintError,
  type Printer,
  type PrinterEvents,
  type PrinterStatus,
  type PrintResult,
} from './printer.ts';

const NOT_FITTED = {
  code: 'DEVICE_E_ABSENT',
  zh: '本亭未配置凭条打印机',
  en: 'no receipt printer fitted',
} as const;

/**
 * `driver: none`: the kiosk has no receipt printer. Always offline with that reason, so services
 * keep working and receipts wait in the print queue (an operator can reprint them elsewhere).
 */
export class NonePrinter extends EventEmitter<PrinterEvents> implements Printer {
  readonly kind = 'printer' as const;
  private readonly since: number;

  constructor(
    readonly paperWidth: PaperWidth,
    clock: Clock = systemClock,
  ) {
    super();
    this.since = clock.now();
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Not fitted: nothing to open. */
  async reconnect(): Promise<void> {}

  health(): DeviceHealth {
    return { state: 'offline', reason: { ...NOT_FITTED }, since: this.since, driver: 'none' };
  }

  async status(): Promise<PrinterStatus> {
    return { online: false, paper: 'unknown', cover: 'unknown', at: this.since };
  }

  async print(_bytes: Uint8Array, jobId: string): Promise<PrintResult> {
    throw new PrintError('DEVICE_E_ABSENT', jobId, 0, { zh: NOT_FITTED.zh, en: NOT_FITTED.en });
  }
}
