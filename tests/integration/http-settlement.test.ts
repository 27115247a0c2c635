import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimPrinter } from '../../devices/printer/sim-printer.ts';
import { localInstant } from '../../src/core/business-day.ts';
import { ManualClock } from '../../src/core/clock.ts';
import type { JournalEvent } from '../../src/journal/records.ts';
import { settlementDigest, snapshotsBefore } from '../../src/reports/settlement-digest.ts';
import { decodeEscPos, printedText } from '../support/escpos-decoder.ts';
import { startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';
const DAY = '20261105';

/**
 * Settlement, daily reports, cross-day settlement and the balance views on a real kiosk (LevelDB,
 * the local API) with a manual clock: sales at 20:59 and 21:30 fall on either side of the day cut.
 */
describe('settlement and reports over the local API', () => {
  let k: TestKiosk;
  const clock = new ManualClock(localInstant(DAY, '09:00'));
  const tokens: Record<string, string> = {};

  const pay = async (who: string, amount: string) => {
    const r = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: PHONE, amount },
      token: tokens[who],
    });
    expect(r.status).toBe(201);
    await k.app.engine.waitFor(r.body.serial, (t) => t.terminal);
    return r.body.serial as string;
  };

  beforeAll(async () => {
    k = await startTestKiosk({ clock });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'A002', name: '李四', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'S001', name: '王五', role: 'supervisor', password: '123456' });
    for (const c of ['A001', 'A002', 'S001']) tokens[c] = await k.login(c, '123456');
    await pay('A001', '30');
    await pay('A002', '20');
    clock.set(localInstant(DAY, '20:59') + 59_000);
    // Sessions last 8 hours and end at the day cut.
    for (const c of ['A001', 'A002', 'S001']) tokens[c] = await k.login(c, '123456');
    await pay('A001', '10');
    clock.set(localInstant(DAY, '21:30'));
    for (const c of ['A001', 'A002', 'S001']) tokens[c] = await k.login(c, '123456');
    await pay('A001', '7');
  });
  afterAll(async () => {
    await k.stop();
  });

  it('a teller settles their own transactions of the business date; 21:30 is the next date', async () => {
    const r = await k.api('POST', '/api/reports/settlement', { body: { print: false }, token: tokens.A001 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'teller', operator: 'A001', businessDate: '20261106' });
    expect(r.body.totals.net).toEqual({ count: 1, amount: '7.00', fee: '2.00', total: '9.00' });
    expect(r.body.cashDue).toBe('9.00');
    expect(r.body.record.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a teller cannot read the station or another teller; a supervisor can', async () => {
    const station = await k.api('GET', '/api/reports/settlement?scope=station', { token: tokens.A001 });
    expect(station).toMatchObject({ status: 403, body: { code: 'KIOSK_E_FORBIDDEN', field: 'scope' } });
    const other = await k.api('GET', '/api/reports/settlement?scope=teller&operator=A002', {
      token: tokens.A001,
    });
    expect(other.status).toBe(403);
    const sup = await k.api('GET', '/api/reports/settlement?scope=teller&operator=A002', {
      token: tokens.S001,
    });
    expect(sup.status).toBe(200);
    expect(sup.body.operator).toBe('A002');
    const none = await k.api('GET', '/api/reports/settlement');
    expect(none.status).toBe(401);
  });

  it('the station daily report of the day before the cut, with its ledger agreeing to the fen', async () => {
    const r = await k.api('GET', `/api/reports/daily?date=${DAY}`, { token: tokens.S001 });
    expect(r.status).toBe(200);
    const day = r.body.days[0];
    expect(day.settlement.totals.net).toEqual({ count: 3, amount: '60.00', fee: '6.00', total: '66.00' });
    expect(day.settlement.rows.map((x: { service: string }) => x.service)).toEqual(['test-bill']);
    expect(day.ledger).toMatchObject({
      topups: '1000.00',
      consumption: '-60.00',
      opening: '0.00',
      closing: '940.00',
    });
    const teller = await k.api('GET', `/api/reports/daily?date=${DAY}`, { token: tokens.A001 });
    expect(teller.body.kind).toBe('teller');
    expect(teller.body.summary.totals.net.total).toBe('44.00');
    expect(teller.body.ledger).toBeNull();
    const hist = await k.api('GET', `/api/reports/daily?from=${DAY}&to=20261106`, { token: tokens.S001 });
    expect(hist.body.days.map((d: { businessDate: string }) => d.businessDate)).toEqual([DAY, '20261106']);
    expect(hist.body.summary.cashDue).toBe('75.00');
    expect(hist.body.ledger.closing).toBe(k.app.balance.summary().balance);
    const bad = await k.api('GET', '/api/reports/daily?from=20261106&to=20261105', { token: tokens.S001 });
    expect(bad).toMatchObject({ status: 400, body: { field: 'to' } });
    const badDate = await k.api('GET', '/api/reports/daily?from=2026-11-05', { token: tokens.S001 });
    expect(badDate).toMatchObject({ status: 400, body: { field: 'from' } });
  });

  /** A CSV export's text after checking its UTF-8 byte-order mark (fetch's text() would drop it). */
  const csvOf = async (path: string, who: string): Promise<string> => {
    const r = await fetch(new URL(path.replace(/^\//, ''), k.url), {
      headers: { authorization: `Bearer ${tokens[who]}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return new TextDecoder().decode(bytes.slice(3));
  };

  it('exports CSV in UTF-8 with a byte-order mark', async () => {
    const text = await csvOf(`/api/reports/daily?date=${DAY}&format=csv`, 'S001');
    expect(text.split('\r\n')[0]).toContain('账务日期');
    expect(text.split('\r\n')[1]).toMatch(/^20261105,3,3,60\.00,6\.00,66\.00,/);
    expect(await csvOf('/api/reports/settlement?format=csv', 'A001')).toContain('合计 total');
    const xml = await k.api('GET', '/api/reports/settlement?format=xml', { token: tokens.A001 });
    expect(xml).toMatchObject({ status: 400, body: { field: 'format' } });
  });

  it('records the cash handed in against the cash due of a business date (网点隔日扎账)', async () => {
    const teller = await k.api('POST', '/api/reports/handover', {
      body: { date: DAY, handedIn: '66' },
      token: tokens.A001,
    });
    expect(teller.status).toBe(403);
    const bad = await k.api('POST', '/api/reports/handover', {
      body: { date: DAY, handedIn: '6.001' },
      token: tokens.S001,
    });
    expect(bad).toMatchObject({ status: 400, body: { field: 'handedIn' } });
    const r = await k.api('POST', '/api/reports/handover', {
      body: { date: DAY, handedIn: '60.00' },
      token: tokens.S001,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      businessDate: DAY,
      cashDueFen: 6600,
      handedInFen: 6000,
      differenceFen: -600,
      by: 'S001',
    });
    const ev = await k.app.journal.getEvent(r.body.id);
    expect(ev?.info).toMatchObject({ kind: 'cash-handover', differenceFen: -600 });
    const list = await k.api('GET', `/api/reports/handover?date=${DAY}`, { token: tokens.S001 });
    expect(list.body.handovers).toHaveLength(1);
  });

  it('balance views over a date range: top-ups, consumption, every change; CSV', async () => {
    const changes = await k.api('GET', `/api/balance?from=${DAY}&to=${DAY}&group=changes`, {
      token: tokens.A001,
    });
    expect(changes.status).toBe(200);
    expect(changes.body.entries.map((e: { kind: string }) => e.kind)).toEqual([
      'topup',
      'capture',
      'capture',
      'capture',
    ]);
    expect(changes.body.movement).toMatchObject({ opening: '0.00', closing: '940.00' });
    expect(changes.body).toMatchObject({ count: 4, next: null, totals: { consumption: { count: 3 } } });
    // Two entries a page: the cursor of each page leads to the next, in ledger order.
    const paged: string[] = [];
    let after = '';
    for (let i = 0; i < 3; i++) {
      const p = await k.api('GET', `/api/balance?from=${DAY}&to=${DAY}&group=changes&limit=2${after}`, {
        token: tokens.A001,
      });
      expect(p.body.count).toBe(4);
      paged.push(...p.body.entries.map((e: { kind: string }) => e.kind));
      if (!p.body.next) break;
      after = `&after=${p.body.next}`;
    }
    expect(paged).toEqual(['topup', 'capture', 'capture', 'capture']);
    for (const [q, field] of [
      ['limit=501', 'limit'],
      ['limit=0', 'limit'],
      ['after=x', 'after'],
    ]) {
      const bad = await k.api('GET', `/api/balance?from=${DAY}&${q}`, { token: tokens.A001 });
      expect(bad).toMatchObject({
        status: 400,
        body: { field, zh: expect.any(String), en: expect.any(String) },
      });
    }
    const next = await k.api('GET', '/api/balance?from=20261106&to=20261106&group=consumption', {
      token: tokens.A001,
    });
    expect(next.body.entries.map((e: { delta: string }) => e.delta)).toEqual(['-7.00']);
    const csv = await csvOf(`/api/balance?from=${DAY}&group=topups&format=csv`, 'A001');
    expect(csv.split('\r\n')[1]).toContain('续费');
  });

  it('lists the settlements recorded: a teller their own, a supervisor all', async () => {
    const s = await k.api('POST', '/api/reports/settlement', {
      body: { scope: 'station', print: false },
      token: tokens.S001,
    });
    expect(s.status).toBe(201);
    const mine = await k.api('GET', '/api/reports/settlements', { token: tokens.A001 });
    expect(mine.body.settlements.every((x: { operator: string }) => x.operator === 'A001')).toBe(true);
    const all = await k.api('GET', '/api/reports/settlements', { token: tokens.S001 });
    expect(all.body.settlements.map((x: { scope: string }) => x.scope)).toEqual(['teller', 'station']);
  });

  it('the settlement digest is what HQ computes from the relayed events, and any change shows', async () => {
    const s = await k.api('POST', '/api/reports/settlement', {
      body: { scope: 'station', print: false },
      token: tokens.S001,
    });
    const rec = s.body.record;
    const events: JournalEvent[] = [];
    for await (const e of k.app.journal.events()) events.push(e);
    const relayed = snapshotsBefore(events, rec.id);
    expect(rec.throughSeq).toBe(rec.id - 1);
    expect(settlementDigest(relayed, rec.businessDate)).toEqual({
      digest: rec.digest,
      count: rec.transactions,
    });
    const tampered = relayed.map((t, i) =>
      i === relayed.length - 1 ? { ...t, amountFen: t.amountFen + 1 } : t,
    );
    expect(settlementDigest(tampered, rec.businessDate).digest).not.toBe(rec.digest);
    const missing = relayed.slice(0, -1);
    expect(settlementDigest(missing, rec.businessDate).digest).not.toBe(rec.digest);
  });

  it('prints the settlement, the daily report and a balance view through the print queue', async () => {
    const printer = k.app.devices!.printer as SimPrinter;
    const jobs = printer.jobs().length;
    const printedNow = () => printedText(decodeEscPos(printer.jobs().at(-1)!.bytes));
    const settled = await k.api('POST', '/api/reports/settlement', {
      body: { scope: 'station', print: true },
      token: tokens.S001,
    });
    expect(settled.body.printed).toMatchObject({ outcome: 'printed' });
    expect(printedNow()).toContain('网点扎账');
    const daily = await k.api('POST', '/api/reports/daily/print', {
      body: { date: DAY, scope: 'station' },
      token: tokens.S001,
    });
    expect(daily.body.printed).toMatchObject({ outcome: 'printed' });
    expect(printedNow()).toContain('网点营业日报');
    const slip = await k.api('POST', '/api/balance/print', {
      body: { group: 'changes', from: DAY, to: DAY },
      token: tokens.A001,
    });
    expect(slip.body.printed).toMatchObject({ outcome: 'printed' });
    expect(printedNow()).toContain('余额变更');
    expect(printedNow()).toContain('940.00');
    expect(printer.jobs()).toHaveLength(jobs + 3);
    const badPrint = await k.api('POST', '/api/balance/print', {
      body: { limit: '9999' },
      token: tokens.A001,
    });
    expect(badPrint).toMatchObject({ status: 400, body: { field: 'limit' } });
  });
});
