import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { journalPayload } from '../../../src/hq-link/journal-for-hq.ts';
import { Journal, type OutboxEntry } from '../../../src/journal/journal.ts';
import { txnOf } from '../../../src/journal/records.ts';
import { journalBatchSchema } from '../../../src/protocol/schemas/index.ts';

const STATION = '33010078';
const NUMBER = '057187654321';
const lookup = (id: string) => SERVICE_CATALOGUE.find((d) => d.id === id);

describe('journal batch as it leaves for HQ', () => {
  let dir: string;
  let journal: Journal;
  let entries: OutboxEntry[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-payload-'));
    journal = new Journal({ path: join(dir, 'journal'), stationId: STATION, clock: systemClock });
    await journal.open();
    entries = [];
    journal.on('event', (event, json) => entries.push({ event, json }));
    // A whole snapshot: HQ checks a relayed one against the transaction schema.
    const txn: TxnRecord = {
      v: 1,
      serial: '0000000001',
      idempotencyKey: 'key-0000000001',
      stationId: STATION,
      service: 'telecom-bill',
      channel: 'operator',
      operator: 'A001',
      businessDate: '20261126',
      createdAt: 1,
      updatedAt: 1,
      state: 'querying',
      stateSince: 1,
      terminal: false,
      fields: { number: NUMBER },
      amountFen: 5000,
      feeFen: 0,
      data: { billerEcho: `account ${NUMBER} found` },
      attempts: 0,
      generation: 0,
      alerts: [],
    };
    await journal.commit((b) => {
      b.event({ type: 'system', info: { kind: 'boot', note: 'no numbers here' } });
      b.event({ type: 'txn.created', serial: '0000000001', txn });
    });
  });

  afterEach(async () => {
    await journal.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('masks declared fields and every copy of their values; events with nothing to mask go as stored', async () => {
    const text = journalPayload({ station: STATION, entries }, lookup);
    expect(text).not.toContain(NUMBER);
    // The event without a sensitive field is the stored text itself.
    expect(text).toContain(entries[0]?.json);
    const batch = journalBatchSchema.parse(JSON.parse(text));
    expect(batch.events.map((e) => e.seq)).toEqual([1, 2]);
    const txn = txnOf(batch.events[1]!);
    const number = txn?.fields.number ?? '';
    expect(number).not.toBe(NUMBER);
    expect(number.slice(-4)).toBe(NUMBER.slice(-4));
    expect(txn?.data.billerEcho).toBe(`account ${number} found`);
    // The journal itself keeps the full number.
    expect(JSON.stringify(await journal.getEvent(2))).toContain(NUMBER);
  });

  it('events read back from the log (no stored text given) are masked the same way', async () => {
    const fromLog: OutboxEntry[] = [];
    for await (const event of journal.events(1)) fromLog.push({ event });
    const resend = journalPayload({ station: STATION, resend: true, entries: fromLog }, lookup);
    const live = journalPayload({ station: STATION, entries }, lookup);
    expect(JSON.parse(resend)).toEqual({ ...JSON.parse(live), resend: true });
  });

  it('the stored text from a read of the log matches the text the commit announced', async () => {
    const { entries: read, through } = await journal.outboxEntries(0, 10);
    expect(through).toBe(2);
    expect(read.map((e) => e.json)).toEqual(entries.map((e) => e.json));
  });
});
