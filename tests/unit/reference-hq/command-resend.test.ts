import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { CommandSender } from '../../../src/reference-hq/commands.ts';
import type { HqStore } from '../../../src/reference-hq/store.ts';
import { LevelHqStore } from '../../../src/reference-hq/store-level.ts';
import { testSigningKey } from '../../support/hq-instance.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

const STATION = '33010001';

describe('HQ re-sends a signed command only once its result is overdue', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: HqStore;
  let sender: CommandSender;
  let published: string[];
  const clock = new ManualClock(Date.parse('2026-12-01T10:00:00+08:00'));

  beforeEach(async () => {
    dir = await tempDir('hq-commands-');
    store = new LevelHqStore(dir.path);
    await store.open();
    published = [];
    sender = new CommandSender(
      store,
      testSigningKey().privateKey,
      'kiosk',
      async (_topic, payload) => {
        published.push(payload);
      },
      () => clock.now(),
    );
  });
  afterEach(async () => {
    await store.close();
    await dir.cleanup();
  });

  it('does not send a command again while its result can still come', async () => {
    await sender.send(STATION, 'balance', { kind: 'topup', fen: 100_000, ref: 'opening', note: 'x' });
    expect(published).toHaveLength(1);
    // A station coming online right after the command was sent gets it once, not twice.
    expect(await sender.resendPending(STATION, 30_000)).toBe(0);
    clock.advance(29_999);
    expect(await sender.resendPending(STATION, 30_000)).toBe(0);
    expect(published).toHaveLength(1);
  });

  it('sends an overdue command again, then waits another period before the next copy', async () => {
    await sender.send(STATION, 'balance', { kind: 'topup', fen: 100_000, ref: 'opening', note: 'x' });
    clock.advance(30_000);
    expect(await sender.resendPending(STATION, 30_000)).toBe(1);
    expect(published).toEqual([published[0], published[0]]);
    expect(await sender.resendPending(STATION, 30_000)).toBe(0);
    clock.advance(30_000);
    expect(await sender.resendPending(STATION, 30_000)).toBe(1);
  });

  it('never re-sends a command whose result came back', async () => {
    const p = await sender.send(STATION, 'balance', { kind: 'topup', fen: 100, ref: 'r', note: 'x' });
    await sender.result({
      v: 1,
      station: STATION,
      at: clock.now(),
      cmd: 'balance',
      seq: p.seq,
      status: 'applied',
    });
    clock.advance(60_000);
    expect(await sender.resendPending(STATION, 30_000)).toBe(0);
    expect(published).toHaveLength(1);
  });
});
