import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/platform/logger.ts';
import { formatLogLine, resolveLogFormat } from '../../../src/platform/pretty-log.ts';

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & { isTTY?: boolean };
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('log format', () => {
  it('is readable on a terminal and JSON under systemd, into files and pipes', () => {
    expect(resolveLogFormat('auto', { isTTY: true }, {})).toBe('pretty');
    expect(resolveLogFormat('auto', { isTTY: false }, {})).toBe('json');
    expect(resolveLogFormat('auto', { isTTY: true }, { JOURNAL_STREAM: '8:1234' })).toBe('json');
    expect(resolveLogFormat('json', { isTTY: true }, {})).toBe('json');
    expect(resolveLogFormat('pretty', { isTTY: false }, {})).toBe('pretty');
  });

  it('writes readable lines with the same masking as the JSON lines', async () => {
    const pretty = sink(false);
    createLogger({ destination: pretty.stream, format: 'pretty', name: 'kiosk' }).info(
      { phone: '13800138000', serial: '0000000001' },
      'transaction created',
    );
    await flush();
    const line = pretty.text();
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[kiosk\] transaction created {2}/);
    expect(line).toContain('phone=138****8000');
    expect(line).toContain('serial=0000000001');
    expect(line).not.toContain('13800138000');
    expect(line).not.toContain('{"level"');

    const json = sink(false);
    createLogger({ destination: json.stream, format: 'json' }).info({ phone: '13800138000' }, 'x');
    await flush();
    expect(JSON.parse(json.text())).toMatchObject({ level: 30, msg: 'x', phone: '138****8000' });
  });

  it('keeps an error stack readable and passes a line that is not JSON through', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 50,
        time: '2026-12-01T02:00:00.000Z',
        msg: 'failed',
        err: { message: 'boom', stack: 'Error: boom\n    at x' },
      }),
    );
    expect(line).toContain('ERROR failed');
    expect(line).toContain('err={"message":"boom"}');
    expect(line).toContain('\n    Error: boom');
    expect(formatLogLine('plain text')).toBe('plain text');
  });
});
