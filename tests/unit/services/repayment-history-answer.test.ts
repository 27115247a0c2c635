import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CardTerminal } from '../../../src/app/card-terminal.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const ITEM = { ref: 'CC-1', serial: '0000000007', day: '20261120', amountFen: 12_345, status: 'ok' };

describe('the repayment history (还款查询) is HQ’s answer checked against its schema', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let journal: Journal;
  let hq: FakeHq;
  let terminal: CardTerminal;

  beforeEach(async () => {
    dir = await tempDir();
    const clock = new ManualClock(Date.parse('2026-11-26T10:00:00+08:00'));
    journal = new Journal({ path: join(dir.path, 'journal'), stationId: '33010001', clock });
    await journal.open();
    hq = new FakeHq();
    const config = await testConfig();
    terminal = new CardTerminal(journal, hq, clock, () => config, silentLogger());
    terminal.bindingChanged({ terminalNo: 'T0001', status: 'enabled', at: 0 });
  });
  afterEach(async () => {
    await journal.close();
    await dir.cleanup();
  });

  it('a malformed answer is HQ’s protocol error naming answer.<path>, values unquoted, nothing stored', async () => {
    const store = async () => {
      const out: string[] = [];
      for await (const [k, v] of journal.raw.iterator()) out.push(`${k}=${v}`);
      return out;
    };
    const before = await store();
    for (const [data, field] of [
      [{ items: [{ ...ITEM, amountFen: '123.45' }] }, 'answer.items.0.amountFen'],
      [{ items: [{ ...ITEM, status: 'paid-twice' }] }, 'answer.items.0.status'],
      [{ items: [{ ...ITEM, serial: undefined }] }, 'answer.items.0.serial'],
      [{}, 'answer.items'],
      [{ items: [{ ...ITEM, card: '6222021234567890123' }] }, 'answer.items.0.card'],
      [{ items: [], note: 'evil' }, 'answer.note'],
    ] as const) {
      hq.script('history', { outcome: 'ok', data });
      const e = await terminal.history(TELLER, '20261101', '20261126').catch((x: unknown) => x);
      expect(e, JSON.stringify(data)).toMatchObject({
        code: 'KIOSK_E_HQ_PROTOCOL',
        issues: [expect.objectContaining({ field })],
      });
      const text = JSON.stringify(e);
      expect(text).toContain(`总部应答有误：${field}`);
      expect(text).toContain(`HQ's answer is malformed: ${field}`);
      for (const v of ['123.45', 'paid-twice', '6222021234567890123', 'evil']) expect(text).not.toContain(v);
    }
    expect(await store()).toEqual(before);
    hq.script('history', { outcome: 'ok', data: { items: [ITEM] } });
    expect(await terminal.history(TELLER, '20261101', '20261126')).toEqual([
      { serial: ITEM.serial, date: ITEM.day, amount: '123.45', status: 'ok', ref: 'CC-1' },
    ]);
  });
});
