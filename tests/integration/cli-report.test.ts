import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/kiosk-harness.ts';
import { runKiosk, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

/** `kiosk report …` and `kiosk balance` against a running kiosk, as real child processes. */
describe('kiosk report: settlement, daily report, handover, balance views from the CLI', () => {
  let k: TestKiosk;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const kiosk = (args: string[], input = '') => runKiosk([...args, '--url', k.url], input);

  beforeAll(async () => {
    k = await startTestKiosk();
    dir = await tempDir('kiosk-report-cli-');
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'S001', name: '王五', role: 'supervisor', password: '654321' });
    const token = await k.login('A001', '123456');
    const r = await k.api('POST', '/api/services/test-bill/transactions', {
      body: { phone: '13800138000', amount: '25' },
      token,
    });
    await k.app.engine.waitFor(r.body.serial, (t) => t.terminal);
  });
  afterAll(async () => {
    await k.stop();
    await dir.cleanup();
  });

  it('a teller records their settlement with --json; the station needs a supervisor', async () => {
    const r = await kiosk(
      ['report', 'settlement', '--record', '--no-print', '--operator', 'A001', '--json'],
      '123456\n',
    );
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ kind: 'teller', operator: 'A001', cashDue: '27.00' });
    expect(s.record.digest).toMatch(/^[0-9a-f]{64}$/);
    const refused = await kiosk(
      ['report', 'settlement', '--station', '--operator', 'A001', '--json'],
      '123456\n',
    );
    expect(refused.code).toBe(6);
    expect(refused.out).toContain('KIOSK_E_FORBIDDEN');
  }, 120_000);

  it('exports the daily report as CSV with a byte-order mark and records a handover', async () => {
    const file = join(dir.path, 'daily.csv');
    const r = await kiosk(['report', 'daily', '--station', '--csv', file, '--operator', 'S001'], '654321\n');
    expect(r.code, r.err).toBe(0);
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const h = await kiosk(
      ['report', 'handover', '--handed-in', '27', '--operator', 'S001', '--json'],
      '654321\n',
    );
    expect(h.code, h.err).toBe(0);
    expect(JSON.parse(h.out)).toMatchObject({ cashDueFen: 2700, handedInFen: 2700, differenceFen: 0 });
  }, 120_000);

  it('shows the balance while the kiosk runs', async () => {
    const b = await kiosk(['balance', '--operator', 'A001', '--json'], '123456\n');
    expect(b.code, b.err).toBe(0);
    expect(JSON.parse(b.out).available).toBe(k.app.balance.summary().available);
    const page = await kiosk(
      ['report', 'balance', '--group', 'changes', '--limit', '1', '--operator', 'A001', '--json'],
      '123456\n',
    );
    expect(page.code, page.err).toBe(0);
    const first = JSON.parse(page.out);
    expect(first.entries).toHaveLength(1);
    expect(first.next).toBe(String(first.entries[0].seq));
    const bad = await kiosk(
      ['report', 'balance', '--limit', '0', '--operator', 'A001', '--json'],
      '123456\n',
    );
    expect(bad.code).toBe(5);
    expect(bad.out).toContain('limit');
    const printed = await kiosk(
      ['report', 'balance', '--group', 'changes', '--print', '--operator', 'A001', '--json'],
      '123456\n',
    );
    expect(printed.code, printed.err).toBe(0);
    expect(JSON.parse(printed.out).printed).toMatchObject({ outcome: 'printed' });
  }, 120_000);
});
