/**
 * ESC/POS status bytes, pure. Real-time status requests (DLE EOT n, answered at once, even while
 * the printer is offline or its buffer is full) and the GS r 1 answer that receiptline asks for at
 * the end of every job (answered only when the printer reaches it, i.e. after the job printed).
 *
 * Every DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear ((b & 0x93) === 0x12). A GS r
 * answer has bit 4 and bit 7 clear, so the two can be told apart in one read stream.
 */
export const DLE_EOT = {
  /** n = 1: printer status (bit 3: offline). */
  printer: Uint8Array.of(0x10, 0x04, 0x01),
  /** n = 2: offline cause (bit 2: cover open, bit 5: stopped by paper end, bit 6: error). */
  offline: Uint8Array.of(0x10, 0x04, 0x02),
  /** n = 4: roll paper sensor (bits 2–3: near end, bits 5–6: paper end). */
  paper: Uint8Array.of(0x10, 0x04, 0x04),
} as const;

export function isRealtimeStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** A GS r 1 answer (paper sensor status, bit 4 and bit 7 fixed to 0). */
export function isTransmitStatusByte(b: number): boolean {
  return (b & 0x90) === 0x00;
}

export interface OfflineCause {
  coverOpen: boolean;
  paperFeedButton: boolean;
  stoppedByPaperEnd: boolean;
  error: boolean;
}

export function parseOfflineCause(b: number): OfflineCause {
  return {
    coverOpen: (b & 0x04) !== 0,
    paperFeedButton: (b & 0x08) !== 0,
    stoppedByPaperEnd: (b & 0x20) !== 0,
    error: (b & 0x40) !== 0,
  };
}

export function parsePaperSensor(b: number): 'ok' | 'low' | 'out' {
  if ((b & 0x60) !== 0) return 'out';
  if ((b & 0x0c) !== 0) return 'low';
  return 'ok';
}

/** Paper state from a GS r 1 answer (bits 0–1 near end, bits 2–3 paper end). */
export function parseTransmitStatus(b: number): 'ok' | 'low' | 'out' {
  if ((b & 0x0c) !== 0) return 'out';
  if ((b & 0x03) !== 0) return 'low';
  return 'ok';
}

/** The answers a printer in this state gives; used by the simulator and test stand-ins. */
export interface PrinterPanel {
  paper: 'ok' | 'low' | 'out';
  coverOpen: boolean;
  error?: boolean;
}

export function answerRealtime(n: number, p: PrinterPanel): number {
  const offline = p.coverOpen || p.paper === 'out' || p.error === true;
  switch (n) {
    case 1:
      return 0x12 | (offline ? 0x08 : 0);
    case 2:
      return 0x12 | (p.coverOpen ? 0x04 : 0) | (p.paper === 'out' ? 0x20 : 0) | (p.error ? 0x40 : 0);
    case 3:
      return 0x12 | (p.error ? 0x40 : 0);
    default:
      return 0x12 | (p.paper === 'low' ? 0x0c : 0) | (p.paper === 'out' ? 0x6c : 0);
  }
}

export function answerTransmitStatus(p: PrinterPanel): number {
  return (p.paper === 'low' ? 0x03 : 0) | (p.paper === 'out' ? 0x0f : 0);
}
