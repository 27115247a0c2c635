import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { readDemoGuide } from '../../src/reference-hq/demo-guide.ts';
import { suiteClock } from '../support/chosen-time.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const DAY = 86_400_000;
const PHONE = '13912345678';
const ID_NO = '33010219900101123X';

/**
 * The assisted services through the local API of a real kiosk (LevelDB on disk): the guide HQ
 * pushes, a request from registration to its close, the time-limit flags and the erasure of
 * personal data on a clock the test moves, appointments and the monthly statistics.
 */
describe('assisted services over HTTP', () => {
  let k: TestKiosk;
  let shift = 0;
  let token: string;
  const clock = { now: () => suiteClock.now() + shift };
  const printed = () => {
    const p = k.app.devices!.printer as SimPrinter;
    return p.jobs().map((j) => p.preview(j.jobId));
  };

  beforeAll(async () => {
    k = await startTestKiosk({ clock });
    await k.app.operators.add({ code: 'T001', name: '代办员', role: 'teller', password: '123456' });
    token = await k.login('T001', '123456');
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('refuses a bad guide listing every problem, applies a valid one, refuses an older version', async () => {
    const guide = (await readDemoGuide()) as { version: number; matters: Array<Record<string, unknown>> };
    const before = (await k.api('GET', '/api/guide')).body;
    expect(before.matters).toEqual([]);
    const bad = structuredClone(guide);
    bad.matters[0]!.mode = 'by-pigeon';
    bad.matters[1]!.timeLimitDays = -1;
    (bad.matters[2] as Record<string, unknown>).extra = 1;
    const refused = (await k.app.assist.applyGuide(bad).catch((e: unknown) => e)) as {
      issues: Array<{ field: string }>;
    };
    expect(refused.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['guide.matters.0.mode', 'guide.matters.1.timeLimitDays', 'guide.matters.2']),
    );
    expect((await k.api('GET', '/api/guide')).body.version).toBeNull();
    expect(await k.app.assist.applyGuide({ ...guide, version: 2 })).toEqual({ version: 2, previous: null });
    await expect(k.app.assist.applyGuide(guide)).rejects.toMatchObject({ field: 'guide.version' });
    const g = (await k.api('GET', '/api/guide')).body;
    expect(g.version).toBe(2);
    expect(g.matters.map((m: { id: string }) => m.id)).toContain('id-card');
    // 2026-12-01 is a Tuesday: both marriage and bus-card hours are on.
    expect(g.hoursToday).toEqual([
      { from: '09:00', to: '11:00' },
      { from: '12:15', to: '13:30' },
      { from: '14:00', to: '16:00' },
      { from: '16:30', to: '18:00' },
    ]);
    // The roof sign shows the day's appointment hours.
    const onSign = () => {
      const snap = k.app.devices!.sign.snapshot();
      return [snap.showing?.text, ...snap.notices.map((n) => n.text)].join('|');
    };
    await expect.poll(onSign).toContain('今日预约办理时段 09:00-11:00 12:15-13:30 14:00-16:00 16:30-18:00');
    const p = await k.api('POST', '/api/guide/id-card/print');
    expect(p.status).toBe(200);
    await expect
      .poll(() => printed().some((t) => t.includes('办事指南') && t.includes('户口簿原件')))
      .toBe(true);
    expect((await k.api('GET', '/api/guide/no-such')).status).toBe(404);
  });

  it('registers a self-service request once per idempotency key; other matters need the operator', async () => {
    const body = { matter: 'utility-repair', phone: PHONE, details: '路灯不亮', consent: true };
    const headers = { 'idempotency-key': 'self-key-0001' };
    const first = await k.api('POST', '/api/assist/requests', { body, headers });
    expect(first.status).toBe(201);
    expect(first.body.citizen.phone).toBe('139****5678');
    const again = await k.api('POST', '/api/assist/requests', { body, headers });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const counter = await k.api('POST', '/api/assist/requests', { body: { ...body, matter: 'id-card' } });
    expect(counter.status).toBe(403);
    expect(counter.body.field).toBe('matter');
    const bad = await k.api('POST', '/api/assist/requests', {
      body: { matter: 'id-card', phone: '12', idNumber: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'consent',
      'idNumber',
      'phone',
    ]);
  });

  it('follows a request through every state to its close; the operator sees the numbers, nobody else', async () => {
    const reg = await k.api('POST', '/api/assist/requests', {
      token,
      body: {
        matter: 'id-card',
        name: '张三',
        idNumber: ID_NO,
        phone: PHONE,
        materials: [0, 1],
        consent: true,
      },
      headers: { 'idempotency-key': 'op-key-00001' },
    });
    expect(reg.status).toBe(201);
    const id = reg.body.id as string;
    expect(id).toMatch(/^R20261201\d{4}$/);
    expect(reg.body.citizen).toEqual({ name: '张*', idNumber: '3301**********123X', phone: '139****5678' });
    await expect.poll(() => printed().some((t) => t.includes('受理回执') && t.includes(id))).toBe(true);
    expect(printed().join('\n')).not.toContain(PHONE);
    const full = await k.api('GET', `/api/assist/requests/${id}`, { token });
    expect(full.body.citizen).toEqual({ name: '张三', idNumber: ID_NO, phone: PHONE });
    expect(full.body.materials).toEqual(['户口簿原件', '近期一寸彩色照片两张']);
    expect((await k.api('GET', `/api/assist/requests/${id}`)).status).toBe(401);
    const list = await k.api('GET', '/api/assist/requests?open=1', { token });
    expect(list.text).not.toContain(PHONE);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(id);

    const move = (b: Record<string, unknown>) =>
      k.api('POST', `/api/assist/requests/${id}/update`, { token, body: b });
    const skipped = await move({ to: 'submitted' });
    expect(skipped.status).toBe(409);
    expect((await move({ to: 'verified' })).body.state).toBe('verified');
    expect((await move({ to: 'verified' })).body.unchanged).toBe(true);
    expect((await move({ to: 'submitted' })).body.state).toBe('submitted');
    // HQ (the service centre) brings the result.
    const r = await k.app.assist.update(
      { id, to: 'result-received', result: { zh: '已办结，可领取', en: 'done' } },
      { channel: 'hq' },
    );
    expect(r.request.state).toBe('result-received');
    const noNote = await move({ to: 'notified', method: 'phone' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.field ?? noNote.body.issues[0].field).toBe('note');
    expect((await move({ to: 'notified', method: 'phone', note: '已电话告知本人' })).body.notice.method).toBe(
      'phone',
    );
    const closed = await move({ to: 'closed' });
    expect(closed.body.state).toBe('closed');
    expect(closed.body.history.map((s: { state: string }) => s.state)).toEqual([
      'registered',
      'verified',
      'submitted',
      'result-received',
      'notified',
      'closed',
    ]);
    expect((await move({ to: 'refused', reason: { zh: '晚了', en: 'late' } })).status).toBe(409);
  });

  it('hands a found item back only against the owner’s signature; refuses with a reason', async () => {
    const reg = await k.api('POST', '/api/assist/requests', {
      token,
      body: { matter: 'lost-found', phone: '057188886666', details: '黑色钱包', consent: false },
    });
    const id = reg.body.id as string;
    for (const [to, extra] of [
      ['verified', {}],
      ['submitted', {}],
      ['result-received', { result: { zh: '失主已找到', en: 'owner found' } }],
      ['notified', { method: 'print' }],
    ] as const) {
      const r = await k.api('POST', `/api/assist/requests/${id}/update`, { token, body: { to, ...extra } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    await expect.poll(() => printed().some((t) => t.includes('办理结果通知') && t.includes(id))).toBe(true);
    const unsigned = await k.api('POST', `/api/assist/requests/${id}/update`, {
      token,
      body: { to: 'closed' },
    });
    expect(unsigned.status).toBe(409);
    expect(unsigned.body.field).toBe('signed');
    expect(
      (
        await k.api('POST', `/api/assist/requests/${id}/update`, {
          token,
          body: { to: 'closed', signed: true },
        })
      ).body.state,
    ).toBe('closed');

    const other = await k.api('POST', '/api/assist/requests', {
      token,
      body: { matter: 'repair-bicycle', phone: PHONE, details: '链条断', consent: false },
    });
    await expect
      .poll(() => printed().some((t) => t.includes('维修取件凭条') && t.includes(other.body.id)))
      .toBe(true);
    const refused = await k.api('POST', `/api/assist/requests/${other.body.id}/update`, {
      token,
      body: { to: 'refused', reason: { zh: '配件缺货', en: 'no parts' } },
    });
    expect(refused.body.refusal).toEqual({ zh: '配件缺货', en: 'no parts' });
  });

  it('books an appointment slot from the guide, prints the slip, refuses a full slot', async () => {
    const opts = await k.api('GET', '/api/guide/marriage-registration/slots');
    const today = opts.body.days[0];
    expect(today.date).toBe('20261201');
    // 10:00 now: the 09:00 slot has begun.
    expect(today.slots.map((s: { from: string }) => s.from)).toEqual(['14:00']);
    const book = (key: string) =>
      k.api('POST', '/api/appointments', {
        body: { matter: 'marriage-registration', date: '20261201', from: '14:00', phone: PHONE },
        headers: { 'idempotency-key': key },
      });
    const a = await book('book-key-0001');
    expect(a.status).toBe(201);
    expect(a.body.citizen.phone).toBe('139****5678');
    expect((await book('book-key-0001')).body.id).toBe(a.body.id);
    await expect
      .poll(() => printed().some((t) => t.includes('预约凭条') && t.includes('14:00-16:00')))
      .toBe(true);
    for (const n of [2, 3, 4]) expect((await book(`book-key-000${n}`)).status).toBe(201);
    const full = await book('book-key-0005');
    expect(full.status).toBe(409);
    expect((await k.api('GET', '/api/appointments?date=20261201', { token })).body.items).toHaveLength(4);
    expect((await k.api('GET', '/api/guide/id-card/slots')).status).toBe(409);
  });

  it('flags an open request before its time limit and when it passes; counts it in the month', async () => {
    const reg = await k.api('POST', '/api/assist/requests', {
      token,
      body: { matter: 'utility-repair', phone: PHONE, consent: true },
    });
    const id = reg.body.id as string;
    expect(await k.app.assist.tick()).toBe(0);
    shift = 2 * DAY + 1000; // within 24 hours of the 3-day limit
    await k.app.assist.tick();
    expect((await k.app.assist.get(id)).flag).toBe('due-soon');
    shift = 3 * DAY + 1000;
    await k.app.assist.tick();
    expect((await k.app.assist.get(id)).flag).toBe('overdue');
    const events = [];
    for await (const e of k.app.journal.events()) if (e.type === 'assist') events.push(e);
    const flags = events
      .filter((e) => (e.info as { request?: { id: string } }).request?.id === id)
      .map((e) => (e.info as { change: string }).change);
    expect(flags).toEqual(['registered', 'due-soon', 'overdue']);
    // Days later: a new operator session.
    token = await k.login('T001', '123456');
    const statsRes = await k.api('GET', '/api/assist/stats?month=202612', { token });
    expect(statsRes.status, statsRes.text).toBe(200);
    const stats = statsRes.body;
    expect(stats.totals).toMatchObject({ closed: 2, refused: 1 });
    expect(stats.overdue).toBeGreaterThanOrEqual(1);
    expect(stats.appointments).toBe(4);
    const row = stats.byMatter.find((r: { matter: string }) => r.matter === 'lost-found');
    expect(row).toMatchObject({ kind: 'lost-found', closed: 1, total: 1 });
    const sent = await k.api('POST', '/api/assist/stats/send', {
      token,
      body: { month: '202612', print: true },
    });
    expect(sent.body.totals).toEqual(stats.totals);
    await expect.poll(() => printed().some((t) => t.includes('便民服务月报'))).toBe(true);
  });

  it('keeps full numbers out of the journal events and erases personal data after the retention period', async () => {
    for await (const e of k.app.journal.events()) {
      const text = JSON.stringify(e);
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain(ID_NO);
    }
    shift = 200 * DAY;
    await k.app.assist.tick();
    const all = await k.app.assist.list();
    const finished = all.filter((r) => r.state === 'closed' || r.state === 'refused');
    expect(finished.length).toBeGreaterThan(0);
    for (const r of finished) expect(r.citizen).toEqual({ name: null, idNumber: null, phone: null });
    const verify = await import('../../src/journal/verify.ts').then((m) => m.verifyJournal(k.app.journal));
    expect(verify.problems).toEqual([]);
  });
});
