import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';

/**
 * The first start of a fresh kiosk on its embedded defaults (in-process broker and reference HQ):
 * the opening balance arrives once, and nothing on the way warns.
 */
describe('a clean first start', () => {
  let kiosk: EmbeddedKiosk | undefined;
  afterAll(async () => {
    await kiosk?.stop();
  });

  it('gets its opening balance once and logs no warning', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const capture = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l));
        done();
      },
    });
    kiosk = await startEmbeddedKiosk({
      prefix: 'kiosk-first-start-',
      logger: createLogger({ destination: capture, format: 'json', level: 'info' }),
    });
    const app = kiosk.app;
    const station = app.config.stationId;
    await expect.poll(() => app.balance.summary().balance, { timeout: 15_000 }).toBe('1000.00');
    // A second command after the opening one: the kiosk handles HQ's commands in order, so once this
    // one is applied any copy of the opening balance would already have been handled (and warned).
    const commands = app.hq.embedded?.server.commands;
    expect(commands).toBeDefined();
    await commands?.send(station, 'balance', { kind: 'topup', fen: 1, ref: 'probe', note: '测试' });
    await expect.poll(() => app.balance.summary().balance, { timeout: 15_000 }).toBe('1000.01');
    await expect.poll(async () => (await commands?.pending(station))?.length, { timeout: 15_000 }).toBe(0);
    const warnings = lines.filter((l) => l.level >= 40).map((l) => l.msg);
    expect(warnings).toEqual([]);
    expect(lines.some((l) => l.level === 30)).toBe(true);
  });
});
