import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../src/core/errors.ts';
import { createLogger } from '../../../src/platform/logger.ts';

/** Logs one line through the kiosk's logger and returns it parsed. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the line field by field
async function logLine(write: (log: ReturnType<typeof createLogger>) => void): Promise<Record<string, any>> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const log = createLogger({ destination: out });
  write(log);
  log.flush();
  await new Promise((r) => setImmediate(r));
  return JSON.parse(Buffer.concat(chunks).toString('utf8').trim().split('\n')[0] ?? '{}');
}

describe('logger: errors', () => {
  it('logs an Error with its type, message, code and stack, not as {}', async () => {
    const err = Object.assign(new Error('disk gone'), { code: 'EIO' });
    const line = await logLine((log) => log.error({ err }, 'write failed'));
    expect(line.err).toMatchObject({ type: 'Error', message: 'disk gone', code: 'EIO' });
    expect(line.err.stack).toContain('disk gone');
    expect(line.err.stack).toContain('logger-errors.test.ts');
  });

  it("keeps a KioskError's code, field and cause, with long digit runs masked", async () => {
    const err = new KioskError('KIOSK_E_JOURNAL_WRITE', {
      field: 'phone',
      en: 'write for 13800138000 failed',
      cause: new Error('card 6222021234567890123 refused'),
    });
    const line = await logLine((log) => log.error({ err }, 'failed'));
    expect(line.err).toMatchObject({ type: 'KioskError', code: 'KIOSK_E_JOURNAL_WRITE', field: 'phone' });
    expect(line.err.message).toContain('138****8000');
    expect(line.err.cause.message).toBe('card 622202*********0123 refused');
    const text = JSON.stringify(line);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('6222021234567890123');
  });
});
