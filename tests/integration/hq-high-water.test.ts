import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedHqRig, RIG_STATION, startEmbeddedHqRig } from '../support/embedded-hq-rig.ts';

const STATION = RIG_STATION;

describe('HQ’s acknowledged high-water mark at connect', () => {
  let rig: EmbeddedHqRig;
  let dir: string;

  beforeAll(async () => {
    rig = await startEmbeddedHqRig('hq-high-water-');
    dir = rig.dir;
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const kiosk = () => rig.kiosk({ dir: join(dir, 'kiosk') });

  it('a kiosk whose whole store went back in time (head file too) stops selling once HQ says more', async () => {
    let k = await kiosk();
    await k.link.start();
    await expect.poll(() => k.balance.summary().balance).toBe('100.00');
    await expect.poll(async () => (await k.journal.outboxSeqs()).length).toBe(0);
    await k.stop();
    // An old but self-consistent copy of the data folder, as a restored backup would be.
    await cp(join(dir, 'kiosk'), join(dir, 'kiosk-copy'), { recursive: true });

    k = await kiosk();
    await k.link.start();
    await k.link.whenOnline();
    const admin = await rig.admin();
    await admin.request('topup', { station: STATION, amount: '50.00' });
    await expect.poll(() => k.balance.summary().balance).toBe('150.00');
    await expect.poll(async () => (await k.journal.outboxSeqs()).length).toBe(0);
    const committed = k.journal.lastCounters.event;
    await k.stop();

    await rm(join(dir, 'kiosk'), { recursive: true, force: true });
    await cp(join(dir, 'kiosk-copy'), join(dir, 'kiosk'), { recursive: true });
    k = await kiosk();
    expect(k.journal.startupProblems).toEqual([]);
    expect(k.journal.lastCounters.event).toBeLessThan(committed);
    const problems: string[] = [];
    k.journal.on('integrity', (p) => problems.push(p.message));
    await k.link.start();
    await expect.poll(() => problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain(`HQ holds event ${committed}`);
    expect(k.journal.sealed?.code).toBe('KIOSK_E_SAFE_MODE');
    await k.stop();
  });
});
