import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssistRequest } from '../../../src/core/assist/request.ts';
import type { Logger } from '../../../src/platform/logger.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import type { JournalBatch } from '../../../src/protocol/schemas/index.ts';
import { HqRequests } from '../../../src/reference-hq/requests.ts';
import { LevelHqStore } from '../../../src/reference-hq/store-level.ts';

const STATION = '33010001';
type Event = JournalBatch['events'][number];

const request: AssistRequest = {
  id: 'R202612010001',
  number: '0001',
  matter: 'utility-repair',
  kind: 'repair',
  matterTitle: { zh: '公用设施报修', en: 'Public facility repair' },
  citizen: { name: '张*', idNumber: null, phone: '139****5678' },
  purgedAt: null,
  details: '路灯不亮',
  materials: [],
  consent: true,
  channel: 'self',
  operator: null,
  state: 'registered',
  registeredAt: 1_000,
  deadlineAt: 5_000,
  flag: null,
  result: null,
  refusal: null,
  notice: null,
  history: [{ state: 'registered', at: 1_000, by: 'self' }],
  rev: 1,
  updatedAt: 1_000,
};

let seq = 0;
const event = (info: Record<string, unknown>): Event =>
  ({ v: 1, seq: ++seq, at: 1_000 + seq, stationId: STATION, type: 'assist', info }) as Event;

describe('HQ’s register of assisted requests', () => {
  let dir: string;
  let store: LevelHqStore;
  let warned: unknown[];
  let requests: HqRequests;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hq-assist-'));
    store = new LevelHqStore(dir);
    await store.open();
    warned = [];
    const logger: Logger = { ...silentLogger(), warn: (o: unknown) => warned.push(o) } as Logger;
    requests = new HqRequests(store, logger);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a well-formed request at its highest revision', async () => {
    await requests.absorb(STATION, [event({ kind: 'request', change: 'registered', request })]);
    await requests.absorb(STATION, [
      event({ kind: 'request', change: 'x', request: { ...request, rev: 0 } }),
    ]);
    expect(await requests.get(STATION, request.id)).toEqual(request);
  });

  it.each([
    ['an id reaching into another key', { id: 'R1:../as:33010001:202612' }, 'info.request.id'],
    ['a state no request has', { state: 'paid' }, 'info.request.state'],
    ['a revision that is not a number', { rev: '9' }, 'info.request.rev'],
    ['no citizen', { citizen: undefined }, 'info.request.citizen'],
  ])('refuses %s, naming %s, and keeps nothing', async (_what, change, path) => {
    await requests.absorb(STATION, [
      event({ kind: 'request', change: 'x', request: { ...request, ...change } }),
    ]);
    expect(await store.list('aq:')).toEqual([]);
    expect(JSON.stringify(warned)).toContain(path);
    // Paths only, never the values sent.
    expect(JSON.stringify(warned)).not.toContain('paid');
  });

  it('refuses monthly statistics whose month is not a month, and keeps nothing', async () => {
    const stats = { month: '2026:12', byMatter: [], totals: {}, overdue: 0, appointments: 0 };
    await requests.absorb(STATION, [event({ kind: 'monthly-stats', operator: 'A001', stats })]);
    expect(await store.list('as:')).toEqual([]);
    expect(JSON.stringify(warned)).toContain('info.stats');
  });
});
