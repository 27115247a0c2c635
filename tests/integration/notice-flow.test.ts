import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskApp } from '../../src/app/kiosk-app.ts';
import type { NoticeCommand } from '../../src/protocol/schemas/index.ts';
import { type EmbeddedKiosk, startEmbeddedKiosk } from '../support/embedded-kiosk.ts';

const POLL = { timeout: 8000, interval: 20 };

/**
 * One notice model from HQ's signed command to the simulated roof sign: a first report (首报), its
 * follow-up (续报) joining the same thread without blanking the sign, an emergency pre-empting both,
 * its withdrawal, and a notice that expires by itself.
 */
describe('HQ notices on the roof sign, end to end', () => {
  let kiosk: EmbeddedKiosk;
  let app: KioskApp;
  const removed: Array<{ id: string; reason: string }> = [];

  const send = (cmd: 'notice' | 'notice-withdraw', body: unknown) =>
    app.hq.embedded!.server.commands.send(app.config.stationId, cmd, body as never);
  const notice = (over: Partial<NoticeCommand> & { id: string; text: string }): NoticeCommand => ({
    priority: 'normal',
    kind: 'first',
    followUpOf: null,
    startAt: null,
    endAt: null,
    ...over,
  });
  const sign = () => app.devices!.sign.snapshot();
  const onSign = () => sign().notices.map((n) => n.id);

  beforeAll(async () => {
    kiosk = await startEmbeddedKiosk({ prefix: 'kiosk-notices-' });
    app = kiosk.app;
    app.devices!.sign.on('removed', (r) => removed.push({ id: r.id, reason: r.reason }));
  });
  afterAll(async () => {
    await kiosk.stop();
  });

  it('first report, then its follow-up in the same thread: the sign keeps both and never blanks', async () => {
    await send('notice', notice({ id: 'flood-1', text: '河道涨水 请远离河岸', priority: 'high' }));
    await expect.poll(() => sign().showing?.id ?? null, POLL).toBe('flood-1');
    await send(
      'notice',
      notice({
        id: 'flood-1b',
        text: '续报：水位回落 仍请注意',
        priority: 'high',
        kind: 'follow-up',
        followUpOf: 'flood-1',
      }),
    );
    await expect.poll(() => app.hq.link!.notices().map((n) => n.id), POLL).toEqual(['flood-1', 'flood-1b']);
    await expect.poll(onSign, POLL).toEqual(['flood-1', 'flood-1b']);
    expect(sign().notices[1]).toMatchObject({ followUpOf: 'flood-1' });
    expect(sign().showing?.kind).toBe('notice');
    expect(removed).toEqual([]);
    // HQ delivers at least once: the same follow-up again is a duplicate, not a withdrawn report.
    expect(app.devices!.sign.publish(app.hq.link!.notices()[1]!)).toBe('duplicate');
  });

  it('an emergency pre-empts the thread at once; withdrawing it brings the thread back', async () => {
    await send('notice', notice({ id: 'storm-1', text: '暴雨红色预警', priority: 'emergency' }));
    await expect.poll(() => sign().showing?.id ?? null, POLL).toBe('storm-1');
    await send('notice-withdraw', { id: 'storm-1' });
    await expect.poll(() => sign().showing?.id ?? null, POLL).toMatch(/^flood-1b?$/);
    expect(onSign()).toEqual(['flood-1', 'flood-1b']);
    expect(removed).toEqual([{ id: 'storm-1', reason: 'withdrawn' }]);
  });

  it('a notice ends by itself at its end time, on the sign and in the kiosk', async () => {
    await send('notice', notice({ id: 'short-1', text: '临时停水通知', endAt: app.clock.now() + 1500 }));
    await expect.poll(onSign, POLL).toContain('short-1');
    await expect.poll(onSign, POLL).toEqual(['flood-1', 'flood-1b']);
    expect(removed).toContainEqual({ id: 'short-1', reason: 'ended' });
    expect(app.hq.link!.notices().map((n) => n.id)).toEqual(['flood-1', 'flood-1b']);
  });

  it('withdrawing the first report takes its whole thread off the sign', async () => {
    await send('notice-withdraw', { id: 'flood-1' });
    await expect.poll(onSign, POLL).toEqual([]);
    expect(app.hq.link!.notices()).toEqual([]);
    expect(sign().showing?.kind ?? 'slogan').toBe('slogan');
  });
});
