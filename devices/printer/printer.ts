import type {
  Device,
  DeviceErrorCode,
  DeviceEvents,
  DeviceHealth,
  DeviceState,
  Reconnectable,
} from '../device.ts';
import { DeviceError } from '../device.ts';

/**
 * The receipt printer contract. Implementations: UsblpPrinter (device node of the kernel usblp
 * driver), SimPrinter (simulator with test controls), NonePrinter (not fitted).
 *
 * - `print(bytes, jobId)` resolves once every byte was handed to the printer (and, where the
 *   printer can answer, once it reports the job processed); it rejects with a PrintError that says
 *   how many bytes got out, so a receipt cut short by paper-out can be reprinted. Jobs run one at
 *   a time in call order.
 * - `status()` reads the paper and cover state now (ESC/POS real-time status where supported).
 * - Health: `ok`; `degraded` when it prints but needs attention (paper low);
 *   `offline` when it cannot print (absent, unplugged, paper out, cover open, not answering).
 */
export type PaperWidth = 58 | 80;

export interface PrinterStatus {
  /** The device is present and usable (open, and answering where it can answer). */
  online: boolean;
  /** Paper roll sensor; `unknown` when the printer cannot report it. */
  paper: 'ok' | 'low' | 'out' | 'unknown';
  cover: 'closed' | 'open' | 'unknown';
  /** Epoch ms of the reading. */
  at: number;
}

export interface PrintResult {
  jobId: string;
  /** Bytes handed to the printer. */
  bytes: number;
}

export interface PrintJobEvent {
  jobId: string;
  outcome: 'printed' | 'failed';
  bytesWritten: number;
  error?: PrintError;
}

export interface PrinterEvents extends DeviceEvents {
  /** Emitted when the paper, cover or online state changes. */
  status: [PrinterStatus];
  job: [PrintJobEvent];
}

export interface Printer extends Device<PrinterEvents>, Reconnectable {
  readonly kind: 'printer';
  readonly paperWidth: PaperWidth;
  print(bytes: Uint8Array, jobId: string): Promise<PrintResult>;
  status(): Promise<PrinterStatus>;
}

/** A failed print job: `bytesWritten` > 0 means part of the receipt may be on paper. */
export class PrintError extends DeviceError {
  constructor(
    code: DeviceErrorCode,
    readonly jobId: string,
    readonly bytesWritten: number,
    options?: { cause?: unknown; zh?: string; en?: string },
  ) {
    const text = PRINTER_REASONS[code] ?? { zh: '打印失败', en: 'printing failed' };
    super(code, options?.zh ?? text.zh, options?.en ?? text.en, options);
    this.name = 'PrintError';
  }

  /** Part of the job reached the printer before it failed. */
  get partial(): boolean {
    return this.bytesWritten > 0;
  }
}

/** Bilingual reasons for the operator screen and telemetry. */
export const PRINTER_REASONS: Partial<Record<DeviceErrorCode, { zh: string; en: string }>> = {
  DEVICE_E_ABSENT: { zh: '未找到凭条打印机', en: 'receipt printer not found' },
  DEVICE_E_DISCONNECTED: { zh: '凭条打印机已断开', en: 'receipt printer disconnected' },
  DEVICE_E_TIMEOUT: { zh: '凭条打印机无响应', en: 'receipt printer not responding' },
  DEVICE_E_IO: { zh: '凭条打印机读写错误', en: 'receipt printer I/O error' },
  DEVICE_E_PAPER_OUT: { zh: '凭条打印机缺纸', en: 'receipt printer out of paper' },
  DEVICE_E_COVER_OPEN: { zh: '凭条打印机纸仓盖未合上', en: 'receipt printer cover open' },
  DEVICE_E_BUSY: { zh: '凭条打印机忙', en: 'receipt printer busy' },
  DEVICE_E_PROTOCOL: { zh: '凭条打印机状态应答有误', en: 'bad status answer from the receipt printer' },
};

export const PAPER_LOW_REASON = { zh: '凭条纸将尽，请及时更换', en: 'receipt paper low' } as const;

export function reason(code: DeviceErrorCode): { code: DeviceErrorCode; zh: string; en: string } {
  const text = PRINTER_REASONS[code] ?? { zh: '凭条打印机故障', en: 'receipt printer fault' };
  return { code, ...text };
}

/**
 * Health from a status reading: offline when it cannot print, degraded on paper low, ok otherwise.
 * `offlineCode` names why an offline printer is offline when the status alone does not say.
 */
export function healthFromStatus(
  s: PrinterStatus,
  driver: string,
  since: number,
  offlineCode: DeviceErrorCode = 'DEVICE_E_ABSENT',
): DeviceHealth {
  const make = (state: DeviceState, r?: DeviceHealth['reason']): DeviceHealth =>
    r ? { state, reason: r, since, driver } : { state, since, driver };
  if (!s.online) return make('offline', reason(offlineCode));
  if (s.cover === 'open') return make('offline', reason('DEVICE_E_COVER_OPEN'));
  if (s.paper === 'out') return make('offline', reason('DEVICE_E_PAPER_OUT'));
  if (s.paper === 'low') return make('degraded', { code: 'DEVICE_E_PAPER_LOW', ...PAPER_LOW_REASON });
  return make('ok');
}

/** Same state and reason code: no event needed. */
export function sameHealth(a: DeviceHealth, b: DeviceHealth): boolean {
  return a.state === b.state && a.reason?.code === b.reason?.code && a.reason?.zh === b.reason?.zh;
}

export function sameStatus(a: PrinterStatus, b: PrinterStatus): boolean {
  return a.online === b.online && a.paper === b.paper && a.cover === b.cover;
}
