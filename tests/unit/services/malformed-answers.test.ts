import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import type { Journal } from '../../../src/journal/journal.ts';
import { createLogger } from '../../../src/platform/logger.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const PHONE = '13800138000';

type Data = Record<string, unknown>;

interface AnswerCase {
  /** A sale's input, valid on its own (every local rule passes, so HQ is asked). */
  input: Data;
  /** Malformed answers HQ might give, each with the answer field the refusal must name. */
  malformed: Array<[Data, string]>;
}

const GAME = { id: 'wzry', name: '王者荣耀', packages: ['6', '30'] };
const TRIP = { tripId: '20261127-1-123', departs: '09:30', price: '45.00', seatsLeft: 3 };
const BILL = (account: string, more: Data = {}): AnswerCase => ({
  input: { account, amount: '50', ...more },
  malformed: [
    [{ arrears: 35.2 }, 'answer.arrears'],
    [{ arrears: '35.20', name: { first: '张' } }, 'answer.name'],
    [{ arrears: '35.20', script: `<img src=x onerror=alert(1)> ${PHONE}` }, 'answer.script'],
  ],
});

/** Every service that asks HQ before a sale, and how its answer can be wrong. */
const CASES: Record<string, AnswerCase> = {
  'mobile-topup': {
    input: { phone: PHONE, amount: '50' },
    malformed: [
      [{ city: 42 }, 'answer.city'],
      [{ arrears: '0.00' }, 'answer.city'],
      [{ city: '安庆', echo: `number ${PHONE}` }, 'answer.echo'],
      [{ city: '安'.repeat(5000) }, 'answer.city'],
    ],
  },
  'unicom-cash': { ...BILL(''), input: { phone: '13012345678', amount: '50' } },
  'telecom-bill': {
    input: { number: '057187654321', contractNo: 'HT00000101', amount: '50' },
    malformed: [
      [{ arrears: '12.00' }, 'answer.contracts'],
      [{ contracts: [{ contractNo: 'HT00000101' }] }, 'answer.contracts.0.arrears'],
      [
        { contracts: [{ contractNo: 'HT00000101', arrears: '12.00', owner: PHONE }] },
        'answer.contracts.0.owner',
      ],
      [{ contracts: 'HT00000101' }, 'answer.contracts'],
    ],
  },
  'electricity-bill': {
    input: { account: '3300112233', amount: '50' },
    malformed: [
      [{ arrears: '10.00', area: 'city' }, 'answer.areaName'],
      [{ arrears: '10.00', area: 'province', areaName: '安庆' }, 'answer.area'],
      [{ area: 'city', areaName: '安庆' }, 'answer.arrears'],
    ],
  },
  'game-topup': {
    input: { game: 'wzry', account: 'player001', package: '30', confirm: 'yes' },
    malformed: [
      [{}, 'answer.games'],
      [{ games: [{ id: 'wzry', packages: ['30'] }] }, 'answer.games.0.name'],
      [{ games: [{ ...GAME, packages: [30] }] }, 'answer.games.0.packages.0'],
      [{ games: [{ ...GAME, price: '1' }] }, 'answer.games.0.price'],
      [{ games: [GAME], redirect: 'http://evil' }, 'answer.redirect'],
    ],
  },
  'cable-tv': BILL('C1234567'),
  'water-bill': BILL('W1234567'),
  'gas-bill': BILL('G1234567'),
  'coach-ticket': {
    input: {
      from: '杭州',
      to: '宁波',
      date: '20261127',
      tripId: TRIP.tripId,
      seats: '2',
      price: '45',
      phone: PHONE,
    },
    malformed: [
      [{ trips: [{ ...TRIP, departs: 930 }] }, 'answer.trips.0.departs'],
      [{ trips: [{ ...TRIP, seatsLeft: '3' }] }, 'answer.trips.0.seatsLeft'],
      [{ trips: [{ tripId: TRIP.tripId, departs: '09:30', price: '45.00' }] }, 'answer.trips.0.seatsLeft'],
      [{ trips: [TRIP], operator: PHONE }, 'answer.operator'],
    ],
  },
  'power-card': {
    input: { customerNo: '3301000123', cardSerial: '0123456789ABCDEF', amount: '100' },
    malformed: [
      [{ tariffLiPerKwh: '588' }, 'answer.tariffLiPerKwh'],
      [{ area: 'moon' }, 'answer.area'],
      [{ customerNo: '3301000123', writeData: { units: 999_999 } }, 'answer.writeData'],
    ],
  },
};

const HQ_ITEM = {
  kind: 'purchase',
  ref: 'PC-20261126-0001',
  serial: 'S1-20261126-000001',
  customerNo: '3301****23',
  amountFen: 4000,
  day: '20261126',
};

/**
 * Every query an operator may ask HQ outside a transaction (`operatorQueries`): its extra question,
 * a well-formed answer, and malformed ones (a wrong type, a missing field, a hostile extra field),
 * each with the answer field the refusal must name.
 */
const QUERY_CASES: Record<string, { extra: Data; good: Data; malformed: Array<[Data, string]> }> = {
  'power-card/unconfirmed': {
    extra: { day: '20261126' },
    good: { items: [HQ_ITEM, { ...HQ_ITEM, kind: 'reversal', ref: 'PC-20261126-0002' }] },
    malformed: [
      [{ items: [{ ...HQ_ITEM, amountFen: '40.00' }] }, 'answer.items.0.amountFen'],
      [{ items: [{ ...HQ_ITEM, amountFen: 40.5 }] }, 'answer.items.0.amountFen'],
      [{ items: [{ ...HQ_ITEM, kind: 'gift' }] }, 'answer.items.0.kind'],
      [{}, 'answer.items'],
      [{ items: [{ ...HQ_ITEM, serial: undefined }] }, 'answer.items.0.serial'],
      [{ items: [{ ...HQ_ITEM, phone: PHONE }] }, 'answer.items.0.phone'],
      [{ items: [], redirect: `http://evil/${PHONE}` }, 'answer.redirect'],
      [{ items: 'none' }, 'answer.items'],
    ],
  },
};

/** Every key and value of the store, to show a refusal leaves it exactly as it was. */
async function storeContents(journal: Journal): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of journal.raw.iterator()) out.push(`${k}=${v}`);
  return out;
}

describe('HQ’s answer to an inquiry is checked against the service’s schema before anything uses it', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let opened: Harness | undefined;
  let hq: FakeHq;
  let log: string[];

  async function open(service: string): Promise<Harness> {
    useFakeClock(Date.parse('2026-11-26T10:00:00+08:00'));
    dir = await tempDir();
    hq = new FakeHq();
    log = [];
    const out = new PassThrough();
    out.on('data', (b: Buffer) => log.push(...b.toString('utf8').split('\n').filter(Boolean)));
    const logger = createLogger({ destination: out, format: 'json', level: 'warn' });
    const config = await testConfig({ services: { enabled: [service], fees: {}, mobileRegions: ['安庆'] } });
    const devices = () => ({ cardReader: { state: 'ok' as const } });
    const k = await openKiosk(dir.path, hq, { config, services: SERVICE_CATALOGUE, logger, devices });
    opened = k;
    await k.balance.applyHqEvent({ kind: 'topup', fen: 1000_00, ref: 'slip-1' });
    return k;
  }
  afterEach(async () => {
    if (!opened) return;
    await opened.close();
    opened = undefined;
    vi.useRealTimers();
    await dir.cleanup();
  });

  it('has a case for every service that asks HQ before a sale', () => {
    const asking = SERVICE_CATALOGUE.filter((d) => d.inquiry).map((d) => d.id);
    expect(Object.keys(CASES).sort()).toEqual([...asking].sort());
  });

  for (const def of SERVICE_CATALOGUE.filter((d) => d.inquiry)) {
    it(`${def.id}: a malformed answer is refused as HQ's protocol error naming its field, and the journal stays byte-identical`, async () => {
      const c = CASES[def.id];
      if (!c || !def.inquiry) throw new Error(`no case for ${def.id}`);
      const k = await open(def.id);
      const before = await storeContents(k.journal);
      for (const [data, field] of c.malformed) {
        hq.script(def.inquiry.op, { outcome: 'ok', data });
        const sale = await k.engine.create(def.id, c.input, TELLER).catch((e: unknown) => e);
        expect(sale, JSON.stringify(data).slice(0, 80)).toMatchObject({
          code: 'KIOSK_E_HQ_PROTOCOL',
          issues: expect.arrayContaining([expect.objectContaining({ field })]),
        });
        const issue = (sale as { issues: Array<{ field: string; zh: string; en: string }> }).issues[0];
        expect(issue?.zh).toMatch(/^总部应答有误：answer\./);
        expect(issue?.en).toMatch(/^HQ's answer is malformed: answer\./);
        // The screen's and the API's question gets the same refusal.
        await expect(k.engine.inquire(def.id, c.input, TELLER)).rejects.toMatchObject({
          code: 'KIOSK_E_HQ_PROTOCOL',
        });
      }
      expect(hq.count('pay')).toBe(0);
      expect(k.balance.summary().held).toBe('0.00');
      expect(await storeContents(k.journal)).toEqual(before);
    });
  }

  it('a list HQ answers (the coach places) is checked the same way before it becomes choices', async () => {
    const k = await open('coach-ticket');
    const before = await storeContents(k.journal);
    for (const [data, field] of [
      [{ stations: [{ name: '杭州' }, { initial: 'X' }] }, 'answer.stations.1.name'],
      [{ stations: ['杭州'] }, 'answer.stations.0'],
      [{}, 'answer.stations'],
    ] as const) {
      hq.script('stations', { outcome: 'ok', data });
      await expect(k.engine.list('coach-ticket', 'places', TELLER)).rejects.toMatchObject({
        code: 'KIOSK_E_HQ_PROTOCOL',
        issues: [expect.objectContaining({ field })],
      });
    }
    hq.script('stations', { outcome: 'ok', data: { stations: [{ name: '杭州', initial: 'H' }] } });
    expect(await k.engine.list('coach-ticket', 'places', TELLER)).toEqual([
      { value: '杭州', zh: '杭州', group: 'H' },
    ]);
    expect(await storeContents(k.journal)).toEqual(before);
  });

  it('has a case for every query an operator may ask HQ', () => {
    const queries = SERVICE_CATALOGUE.flatMap((d) =>
      Object.keys(d.operatorQueries ?? {}).map((op) => `${d.id}/${op}`),
    );
    expect(Object.keys(QUERY_CASES).sort()).toEqual(queries.sort());
  });

  for (const [query, c] of Object.entries(QUERY_CASES)) {
    const [service = '', op = ''] = query.split('/');
    it(`${query}: an operator query's malformed answer is HQ's protocol error naming its field, values unquoted, nothing stored`, async () => {
      const k = await open(service);
      const before = await storeContents(k.journal);
      for (const [data, field] of c.malformed) {
        hq.script(op, { outcome: 'ok', data });
        const e = await k.engine.askHq(service, op, {}, c.extra, TELLER).catch((x: unknown) => x);
        expect(e, JSON.stringify(data)).toMatchObject({
          code: 'KIOSK_E_HQ_PROTOCOL',
          issues: expect.arrayContaining([expect.objectContaining({ field })]),
        });
        const text = JSON.stringify(e);
        expect(text).toContain(`总部应答有误：${field}`);
        expect(text).toContain(`HQ's answer is malformed: ${field}`);
        for (const value of [PHONE, '40.00', 'gift', 'evil', 'none']) expect(text).not.toContain(value);
      }
      expect(log.filter((l) => l.includes('HQ answered a question malformed'))).toHaveLength(
        c.malformed.length,
      );
      hq.script(op, { outcome: 'ok', data: c.good });
      expect(await k.engine.askHq(service, op, {}, c.extra, TELLER)).toEqual(c.good);
      expect(hq.requests.filter((r) => r.op === op).at(-1)?.payload).toMatchObject(c.extra);
      expect(await storeContents(k.journal)).toEqual(before);
    });
  }

  it('logs the refusal with the field and the answer masked', async () => {
    const k = await open('mobile-topup');
    hq.script('query', { outcome: 'ok', data: { phone: PHONE, city: 42, echo: `number ${PHONE}` } });
    await expect(
      k.engine.create('mobile-topup', { phone: PHONE, amount: '50' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_HQ_PROTOCOL',
    });
    const line = log.find((l) => l.includes('HQ answered a question malformed'));
    expect(line).toBeDefined();
    expect(line).toContain('answer.city');
    expect(line).toContain('answer.echo');
    expect(line).toContain('138****8000');
    expect(line).not.toContain(PHONE);
  });

  it('a well-formed answer still sells (the schemas accept what HQ really answers)', async () => {
    const k = await open('game-topup');
    hq.script('games', {
      outcome: 'ok',
      data: { games: [GAME, { ...GAME, id: 'mhxy', category: 'RPG', initial: 'M' }] },
    });
    const t = await k.engine.create('game-topup', CASES['game-topup']?.input, TELLER);
    expect(t.data.inquiry).toEqual({ games: [GAME, { ...GAME, id: 'mhxy', category: 'RPG', initial: 'M' }] });
  });
});
