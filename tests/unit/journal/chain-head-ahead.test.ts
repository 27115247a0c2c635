import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Clock, ManualClock, systemClock } from '../../../src/core/clock.ts';
import { aheadOf, type ChainHead, ChainHeadFile, FROM_DIGITS } from '../../../src/journal/chain.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import type { WriteBatch } from '../../../src/journal/write-batch.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

const STATION = '33010001';
const OTHER_CHAIN = 'f'.repeat(32);

/** A top-up from HQ: a ledger entry and its event, as the balance service writes it. */
function topup(b: WriteBatch, fen: number, ref: string): void {
  b.event({ type: 'ledger', ledger: b.ledger({ kind: 'topup', fen, ref }), info: { source: 'hq' } });
}

/** A journal in `path` holding a top-up and three more ledger commits, closed. */
async function filled(path: string): Promise<ChainHead> {
  const j = new Journal({ path, stationId: STATION, clock: systemClock });
  await j.open();
  await j.commit((b) => topup(b, 100_00, 'slip-1'));
  for (let i = 2; i <= 4; i++) await j.commit((b) => topup(b, 1_00, `slip-${i}`));
  const end = { event: j.lastCounters.event, chain: j.lastCounters.chain as string };
  await j.close();
  return end;
}

/** Both slots of the head file hold `head`, as if it were the last head written before a crash. */
async function crashWithHead(path: string, head: ChainHead): Promise<void> {
  const file = new ChainHeadFile(path);
  await file.reset(head);
  await file.close();
}

async function reopen(path: string, clock: Clock = systemClock): Promise<Journal> {
  const j = new Journal({ path, stationId: STATION, clock });
  await j.open();
  return j;
}

describe('the chain head written beside its group’s batch', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
    // The pause after which a durable head is written is the timers' time; the disk is real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await dir.cleanup();
  });

  it('writes the head naming the group beside its batch, and a plain durable head after a pause', async () => {
    await filled(dir.path);
    const j = await reopen(dir.path);
    const written: ChainHead[] = [];
    const durable: boolean[] = [];
    const head = j.chainHead;
    const write = head.write.bind(head);
    head.write = async (h, d = true) => {
      written.push(h);
      durable.push(d);
      return write(h, d);
    };
    const before = { event: j.lastCounters.event, chain: j.lastCounters.chain as string };
    // The group's batch is held before it reaches the disk: its head is written meanwhile.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const batch = j.raw.batch.bind(j.raw);
    (j.raw as { batch: unknown }).batch = () => {
      const chained = batch();
      const write = chained.write.bind(chained);
      chained.write = (async (opts: { sync: boolean }) => {
        await held;
        return write(opts);
      }) as typeof chained.write;
      return chained;
    };
    let done = false;
    const commit = j
      .commit((b) => topup(b, 2_00, 'slip-5'))
      .then(() => {
        done = true;
      });
    for (let i = 0; i < 50 && written.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(written).toHaveLength(1);
    expect(done).toBe(false);
    release();
    await commit;
    expect(written[0]).toEqual({
      event: j.lastCounters.event,
      chain: j.lastCounters.chain,
      from: [before.event, before.chain.slice(0, FROM_DIGITS)],
    });
    await j.settled();
    // No commit for a while: a plain durable head names the durable end.
    expect(durable).toEqual([false]);
    await vi.advanceTimersByTimeAsync(20);
    await j.settled();
    expect(written.at(-1)).toEqual({ event: j.lastCounters.event, chain: j.lastCounters.chain });
    // The head beside the batch went to the page cache; the one after it, to the disk.
    expect(durable).toEqual([false, true]);
    expect((await j.chainHead.read()).head).toEqual({
      event: j.lastCounters.event,
      chain: j.lastCounters.chain,
    });
    await j.close();
  });

  it('back-to-back commits: a head beside a batch is durable once the last durable one is 100 ms old, and one after they stop', async () => {
    await filled(dir.path);
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 2, 0, 0));
    const j = await reopen(dir.path, clock);
    const durable: Array<{ d: boolean; ahead: boolean }> = [];
    const head = j.chainHead;
    const write = head.write.bind(head);
    head.write = async (h, d = true) => {
      durable.push({ d, ahead: h.from !== undefined });
      return write(h, d);
    };
    // Each commit is asked for as soon as the one before resolves, 30 ms (the journal's clock)
    // after it: the journal never pauses.
    for (let i = 0; i < 20; i++) {
      clock.advance(30);
      await j.commit((b) => topup(b, 1_00, `run-${i}`));
    }
    await j.settled();
    expect(durable.at(-1)?.ahead).toBe(true);
    await vi.advanceTimersByTimeAsync(20);
    await j.settled();
    const ahead = durable.filter((w) => w.ahead).map((w) => w.d);
    expect(ahead).toHaveLength(20);
    // 120 ms after the opening, then every fourth commit (120 ms after the last durable head).
    expect(ahead.map((d, i) => (d ? i : -1)).filter((i) => i >= 0)).toEqual([3, 7, 11, 15, 19]);
    expect(durable.at(-1)).toEqual({ d: true, ahead: false });
    await j.close();
  });

  it('a clock set back makes the next head beside a batch durable', async () => {
    await filled(dir.path);
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 2, 0, 0));
    const j = await reopen(dir.path, clock);
    const durable: boolean[] = [];
    const head = j.chainHead;
    const write = head.write.bind(head);
    head.write = async (h, d = true) => {
      durable.push(d);
      return write(h, d);
    };
    clock.advance(10);
    await j.commit((b) => topup(b, 1_00, 'before'));
    clock.advance(-3_600_000);
    await j.commit((b) => topup(b, 1_00, 'after'));
    clock.advance(10);
    await j.commit((b) => topup(b, 1_00, 'next'));
    await j.settled();
    expect(durable).toEqual([false, true, false]);
    await j.close();
  });

  it('a crash that kept the head but not its group: the journal opens clean and sells on', async () => {
    const end = await filled(dir.path);
    await crashWithHead(dir.path, aheadOf(end, { event: end.event + 3, chain: OTHER_CHAIN }));
    const j = await reopen(dir.path);
    expect(j.startupProblems).toEqual([]);
    // The head names the durable end again, with nothing ahead.
    expect((await j.chainHead.read()).head).toEqual(end);
    expect((await verifyJournal(j)).problems).toEqual([]);
    await j.commit((b) => topup(b, 1_00, 'slip-after'));
    expect(j.lastCounters.event).toBe(end.event + 1);
    await j.close();
    const again = await reopen(dir.path);
    expect(again.startupProblems).toEqual([]);
    expect((await verifyJournal(again)).problems).toEqual([]);
    await again.close();
  });

  it('verify accepts a head whose group is still being written', async () => {
    const end = await filled(dir.path);
    const j = await reopen(dir.path);
    await crashWithHead(dir.path, aheadOf(end, { event: end.event + 1, chain: OTHER_CHAIN }));
    expect((await verifyJournal(j)).problems).toEqual([]);
    await crashWithHead(dir.path, end);
    await j.close();
  });

  it.each([
    [
      'the log ends before where the group began',
      (end: ChainHead) =>
        aheadOf({ ...end, event: end.event + 1 }, { event: end.event + 4, chain: OTHER_CHAIN }),
    ],
    [
      'the log ends where the group began, but is another log',
      (end: ChainHead) =>
        aheadOf({ ...end, chain: OTHER_CHAIN }, { event: end.event + 2, chain: OTHER_CHAIN }),
    ],
    ['a plain head beyond the log', (end: ChainHead) => ({ event: end.event + 1, chain: OTHER_CHAIN })],
  ])('a lost tail is still caught: %s — safe mode, and verify names it', async (_name, make) => {
    const end = await filled(dir.path);
    await crashWithHead(dir.path, make(end));
    const j = await reopen(dir.path);
    expect(j.startupProblems.map((p) => p.kind)).toContain('chain');
    await expect(j.commit((b) => b.nextSerial())).rejects.toMatchObject({ code: 'KIOSK_E_SAFE_MODE' });
    expect((await verifyJournal(j)).problems.map((p) => p.kind)).toContain('chain');
    await j.close();
  });

  it('a batch the disk refuses leaves a head the next start accepts: nothing acknowledged is missing', async () => {
    const end = await filled(dir.path);
    const j = await reopen(dir.path);
    (j.raw as { batch: typeof j.raw.batch }).batch = (() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as unknown as typeof j.raw.batch;
    await expect(j.commit((b) => topup(b, 1_00, 'slip-full'))).rejects.toMatchObject({
      code: 'KIOSK_E_JOURNAL_WRITE',
    });
    await j.close();
    const head = (await new ChainHeadFile(dir.path).read()).head;
    expect(head?.from?.[0]).toBe(end.event);
    expect(head?.event).toBe(end.event + 1);
    const again = await reopen(dir.path);
    expect(again.startupProblems).toEqual([]);
    expect(again.lastCounters.event).toBe(end.event);
    expect(again.balance.balanceFen).toBe(103_00);
    await again.close();
  });

  it('a head slot holds both event numbers at their largest', async () => {
    const file = new ChainHeadFile(dir.path);
    const max = Number.MAX_SAFE_INTEGER;
    const head = aheadOf({ event: max - 1, chain: 'a'.repeat(32) }, { event: max, chain: 'b'.repeat(32) });
    await file.reset(head);
    expect((await file.read()).head).toEqual(head);
    await file.close();
  });
});
