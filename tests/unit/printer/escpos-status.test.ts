import { describe, expect, it } from 'vitest';
import {
  answerRealtime,
  answerTransmitStatus,
  isRealtimeStatusByte,
  isTransmitStatusByte,
  type PrinterPanel,
  parseOfflineCause,
  parsePaperSensor,
  parseTransmitStatus,
} from '../../../devices/printer/escpos-status.ts';

describe('ESC/POS status bytes', () => {
  it('parses the Epson DLE EOT examples', () => {
    // DLE EOT 2 = 0x16: fixed bits + cover open; 0x32: stopped by paper end.
    expect(parseOfflineCause(0x16)).toEqual({
      coverOpen: true,
      paperFeedButton: false,
      stoppedByPaperEnd: false,
      error: false,
    });
    expect(parseOfflineCause(0x32).stoppedByPaperEnd).toBe(true);
    expect(parseOfflineCause(0x52).error).toBe(true);
    // DLE EOT 4: 0x12 ok, 0x1e near end, 0x72 paper end.
    expect(parsePaperSensor(0x12)).toBe('ok');
    expect(parsePaperSensor(0x1e)).toBe('low');
    expect(parsePaperSensor(0x72)).toBe('out');
    expect(parsePaperSensor(0x7e)).toBe('out');
  });

  it('tells real-time answers from GS r answers', () => {
    for (const b of [0x12, 0x16, 0x1e, 0x32, 0x72, 0x7e]) {
      expect(isRealtimeStatusByte(b)).toBe(true);
      expect(isTransmitStatusByte(b)).toBe(false);
    }
    for (const b of [0x00, 0x03, 0x0c, 0x0f]) {
      expect(isTransmitStatusByte(b)).toBe(true);
      expect(isRealtimeStatusByte(b)).toBe(false);
    }
    expect(parseTransmitStatus(0x00)).toBe('ok');
    expect(parseTransmitStatus(0x03)).toBe('low');
    expect(parseTransmitStatus(0x0c)).toBe('out');
  });

  it('answers round-trip through the parsers for every panel state', () => {
    const panels: PrinterPanel[] = [];
    for (const paper of ['ok', 'low', 'out'] as const)
      for (const coverOpen of [false, true]) panels.push({ paper, coverOpen });
    for (const p of panels) {
      const cause = parseOfflineCause(answerRealtime(2, p));
      expect(cause.coverOpen).toBe(p.coverOpen);
      expect(cause.stoppedByPaperEnd).toBe(p.paper === 'out');
      expect(parsePaperSensor(answerRealtime(4, p))).toBe(p.paper);
      expect(parseTransmitStatus(answerTransmitStatus(p))).toBe(p.paper);
      for (const n of [1, 2, 3, 4]) expect(isRealtimeStatusByte(answerRealtime(n, p))).toBe(true);
      expect(isTransmitStatusByte(answerTransmitStatus(p))).toBe(true);
    }
  });
});
