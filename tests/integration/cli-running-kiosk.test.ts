import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoGuide } from '../../src/reference-hq/demo-guide.ts';
import { runKiosk, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';

/**
 * `kiosk journal list` and `kiosk operator …` on the data folder of a running kiosk: the journal is
 * in use, so they go through the kiosk's local API (as `kiosk balance` and `journal verify` do) and
 * print what they print on the journal itself. Real child processes.
 */
describe('kiosk journal list and kiosk operator while the kiosk runs', () => {
  let k: TestKiosk;
  let cfg: string;
  let mine: string;
  let theirs: string;
  const kiosk = (args: string[], input = '') => runKiosk(['--config', cfg, ...args], input);

  beforeAll(async () => {
    k = await startTestKiosk();
    cfg = join(k.dataDir, '..', 'cli.json');
    await writeFile(
      cfg,
      JSON.stringify({ dataDir: k.dataDir, http: { host: '127.0.0.1', port: Number(new URL(k.url).port) } }),
    );
    await k.app.operators.add({ code: 'S001', name: '王主管', role: 'supervisor', password: '111111' });
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    await k.app.operators.add({ code: 'A002', name: '李四', role: 'teller', password: '222222' });
    const pay = async (code: string, password: string, amount: string) => {
      const r = await k.api('POST', '/api/services/test-bill/transactions', {
        token: await k.login(code, password),
        body: { phone: PHONE, amount },
      });
      await k.app.engine.waitFor(r.body.serial, (t) => t.terminal);
      return r.body.serial as string;
    };
    mine = await pay('A001', '123456', '10');
    theirs = await pay('A002', '222222', '11');
  });
  afterAll(async () => {
    await k.stop();
  });

  it('lists through the API as the operator of --as: a teller their own, masked; without a login it says how', async () => {
    const t = await kiosk(['journal', 'list', '--as', 'A001', '--json'], '123456\n');
    expect(t.code, t.err).toBe(0);
    const rows = JSON.parse(t.out) as Array<{ serial: string; fields: Record<string, string> }>;
    expect(rows.map((r) => r.serial)).toEqual([mine]);
    expect(t.out).not.toContain(PHONE);
    const filtered = await kiosk(
      ['journal', 'list', '--as', 'S001', '--operator', 'a002', '--json'],
      '111111\n',
    );
    expect(filtered.code, filtered.err).toBe(0);
    expect(JSON.parse(filtered.out).map((r: { serial: string }) => r.serial)).toEqual([theirs]);
    const none = await kiosk(['journal', 'list']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--operator');
  }, 120_000);

  it('cancels a citizen’s appointment through the API as the operator; again it changes nothing, a served one is refused', async () => {
    await k.app.assist.applyGuide(await readDemoGuide());
    const book = async (phone: string) => {
      const r = await k.api('POST', '/api/appointments', {
        body: { matter: 'marriage-registration', date: '20261201', from: '14:00', phone },
      });
      expect(r.status, r.text).toBe(201);
      return r.body.id as string;
    };
    const id = await book('13911110003');
    const served = await book('13911110004');
    const first = await kiosk(['appointment', 'cancel', id, '--operator', 'A001', '--json'], '123456\n');
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ id, status: 'cancelled', unchanged: false });
    const again = await kiosk(['appointment', 'cancel', id, '--operator', 'A001'], '123456\n');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('早已取消');
    expect((await kiosk(['appointment', 'serve', served, '--operator', 'A001'], '123456\n')).code).toBe(0);
    const refused = await kiosk(['appointment', 'cancel', served, '--operator', 'A001'], '123456\n');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('已办理，不能取消');
    expect(await k.app.assist.store.appointment(served)).toMatchObject({
      status: 'served',
      closedBy: 'A001',
    });
  }, 120_000);

  it('adds, lists, unlocks and changes passwords through the API as a supervisor', async () => {
    const add = await kiosk(
      ['operator', 'add', 'A003', '--name', '赵六', '--as', 'S001'],
      '333333\n111111\n',
    );
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('已新增操作员 added A003 赵六');
    expect((await k.app.operators.list()).map((o) => o.code)).toContain('A003');
    const byTeller = await kiosk(
      ['operator', 'add', 'A004', '--name', '钱七', '--as', 'A001'],
      '444444\n123456\n',
    );
    expect(byTeller.code).toBe(6);
    for (let i = 0; i < 5; i++)
      await k.api('POST', '/api/session', { body: { code: 'A003', password: '000000' } });
    const list = await kiosk(['operator', 'list', '--as', 'S001', '--json'], '111111\n');
    expect(list.code, list.err).toBe(0);
    expect(JSON.parse(list.out).find((o: { code: string }) => o.code === 'A003').locked).toBe(true);
    const unlock = await kiosk(['operator', 'unlock', 'A003', '--as', 'S001'], '111111\n');
    expect(unlock.code, unlock.err).toBe(0);
    expect(unlock.out).toContain('已解除锁定 unlocked A003');
    // The operator changes their own password with the current one; a supervisor resets it.
    const own = await kiosk(['operator', 'passwd', 'A003'], '333333\n353535\n');
    expect(own.code, own.err).toBe(0);
    expect(own.out).toContain('password changed for A003');
    expect((await k.api('POST', '/api/session', { body: { code: 'A003', password: '353535' } })).status).toBe(
      201,
    );
    const reset = await kiosk(['operator', 'passwd', 'A003', '--reset', '--as', 'S001'], '363636\n111111\n');
    expect(reset.code, reset.err).toBe(0);
    expect((await k.api('POST', '/api/session', { body: { code: 'A003', password: '363636' } })).status).toBe(
      201,
    );
  }, 120_000);

  it('prints the same listing and operator table through the API as on the journal once the kiosk stopped', async () => {
    const viaApi = await kiosk(['journal', 'list', '--as', 'S001'], '111111\n');
    const opsViaApi = await kiosk(['operator', 'list', '--as', 'S001'], '111111\n');
    expect(viaApi.code, viaApi.err).toBe(0);
    expect(viaApi.out).toContain(mine);
    await k.app.stop(2000);
    const onJournal = await kiosk(['journal', 'list']);
    const opsOnJournal = await kiosk(['operator', 'list']);
    expect(onJournal.code, onJournal.err).toBe(0);
    expect(onJournal.out).toBe(viaApi.out);
    expect(opsOnJournal.out).toBe(opsViaApi.out);
  }, 120_000);
});
