import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKiosk, startTestKiosk, type TestKiosk } from './http-kiosk.ts';

const PHONE = '13800138000';
const PW = '123456\n';

describe('kiosk pending and journal views against a running kiosk (real bin/kiosk.js)', () => {
  let k: TestKiosk;
  let token: string;
  let pendingSerial: string;
  let reversedSerial: string;
  const kiosk = (args: string[], input = '') => runKiosk([...args, '--url', k.url], input);
  const create = async (service: string, body: Record<string, string>) => {
    const r = await k.api('POST', `/api/services/${service}/transactions`, { body, token });
    expect(r.status, r.text).toBe(201);
    return r.body.serial as string;
  };

  beforeAll(async () => {
    k = await startTestKiosk();
    await k.app.operators.add({ code: 'A001', name: '张三', role: 'teller', password: '123456' });
    token = await k.login('A001', '123456');
    const ok = await create('test-bill', { phone: PHONE, amount: '10' });
    await k.app.engine.waitFor(ok, (t) => t.terminal);
    reversedSerial = ok;
    k.hq.settleReversal((await k.app.journal.getTxn(ok))!.idempotencyKey, 'ok');
    await k.api('POST', `/api/transactions/${ok}/actions/reverse`, {
      body: { phone: PHONE, amount: '10' },
      token,
    });
    await k.app.engine.waitFor(ok, (t) => t.state === 'reversed');
    k.hq.script('games', {
      outcome: 'ok',
      data: { games: [{ id: 'wow', name: '魔兽世界', packages: ['30'] }] },
    });
    k.hq.script('pay', 'declined');
    const game = await create('game-topup', {
      game: 'wow',
      account: 'player12345',
      package: '30',
      confirm: 'yes',
    });
    await k.app.engine.waitFor(game, (t) => t.terminal);
    k.hq.script('pay', 'pending');
    pendingSerial = await create('test-bill', { phone: PHONE, amount: '20' });
    await k.app.engine.waitFor(pendingSerial, (t) => t.alerts.length > 0);
    k.hq.script('pay', 'ok');
  });
  afterAll(async () => {
    await k.stop();
  });

  it('shows pending transactions with their progress and alerts', async () => {
    const j = await kiosk(['pending', '--operator', 'A001', '--json'], PW);
    expect(j.code, j.err).toBe(0);
    const p = JSON.parse(j.out);
    expect(p.counts).toMatchObject({ open: 1, alerts: 1 });
    expect(p.items[0]).toMatchObject({
      serial: pendingSerial,
      state: 'querying',
      fields: { phone: '138****8000' },
    });
    const human = await kiosk(['pending', '--operator', 'A001'], PW);
    expect(human.out).toContain(pendingSerial);
    expect(human.out).toContain('结果长时间未知');
    expect(human.out).not.toContain(PHONE);
    const noLogin = await kiosk(['pending']);
    expect(noLogin.code).toBe(2);
    expect(noLogin.err).toContain('operator login required');
  });

  it('accepts a session token from KIOSK_TOKEN instead of a password', async () => {
    const r = await runKiosk(['pending', '--json', '--url', k.url, '--token', token]);
    expect(r.code, r.err).toBe(0);
    const bad = await runKiosk(['pending', '--json', '--url', k.url, '--token', 'expired']);
    expect(bad.code).toBe(6);
    expect(JSON.parse(bad.out).error).toMatchObject({ code: 'KIOSK_E_AUTH_FAILED', field: 'token' });
  });

  it('prints the same-day journal by business type and time window, with totals', async () => {
    const all = await kiosk(['journal', 'today', '--operator', 'A001', '--json'], PW);
    expect(all.code, all.err).toBe(0);
    const j = JSON.parse(all.out);
    expect(j.rows).toHaveLength(3);
    expect(j.totals).toMatchObject({ reversed: { count: 1 }, failed: { count: 1 }, open: { count: 1 } });
    const games = await kiosk(
      ['journal', 'today', '--service', 'game-topup', '--operator', 'A001', '--json'],
      PW,
    );
    expect(JSON.parse(games.out).rows.map((r: { service: string }) => r.service)).toEqual(['game-topup']);
    const t = j.rows[1].time as string;
    const win = await kiosk(['journal', 'today', '--from', t, '--to', t, '--operator', 'A001', '--json'], PW);
    expect(JSON.parse(win.out).rows.every((r: { time: string }) => r.time === t)).toBe(true);
    const human = await kiosk(['journal', 'today', '--operator', 'A001'], PW);
    expect(human.out).toContain('流水号 serial');
    expect(human.out).toContain('合计 total');
    expect(human.out).toContain('游戏充值');
    const bad = await kiosk(['journal', 'today', '--from', '9am', '--operator', 'A001'], PW);
    expect(bad.code).toBe(5);
    expect(bad.err).toContain('hhmmss');
  });

  it('prints the history journal of a date, which must be given', async () => {
    const today = JSON.parse((await kiosk(['query', reversedSerial, '--json'])).out).businessDate as string;
    const r = await kiosk(['journal', 'history', '--date', today, '--operator', 'A001', '--json'], PW);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ date: today });
    expect(JSON.parse(r.out).rows).toHaveLength(3);
    const empty = await kiosk(
      ['journal', 'history', '--date', '20200101', '--operator', 'A001', '--json'],
      PW,
    );
    expect(JSON.parse(empty.out).rows).toEqual([]);
    expect((await kiosk(['journal', 'history', '--operator', 'A001'], PW)).code).toBe(2);
    expect((await kiosk(['journal', 'history', '--date', '20201350', '--operator', 'A001'], PW)).code).toBe(
      5,
    );
  });

  it('prints the special journal and the game top-up error query', async () => {
    const s = await kiosk(['journal', 'special', '--operator', 'A001', '--json'], PW);
    expect(s.code, s.err).toBe(0);
    const kinds = Object.fromEntries(
      JSON.parse(s.out).rows.map((r: { serial: string; kinds: string[] }) => [r.serial, r.kinds]),
    );
    expect(kinds[reversedSerial]).toEqual(['reversed']);
    expect(kinds[pendingSerial]).toEqual(['alert']);
    const g = await kiosk(['journal', 'game-errors', '--operator', 'A001'], PW);
    expect(g.code, g.err).toBe(0);
    expect(g.out).toContain('1 / 1');
    expect(g.out).toContain('*******2345');
    expect(g.out).not.toContain('player12345');
  });

  it('finds the kiosk from --config when --url is not given, and says when it cannot reach it', async () => {
    const dir = join(k.dataDir, '..');
    const cfg = join(dir, 'cli.json');
    await writeFile(cfg, JSON.stringify({ http: { host: '127.0.0.1', port: Number(new URL(k.url).port) } }));
    const r = await runKiosk(['--config', cfg, 'query', reversedSerial, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).state).toBe('reversed');
    const zero = join(dir, 'zero.json');
    await writeFile(zero, JSON.stringify({ http: { host: '127.0.0.1', port: 0 } }));
    const z = await runKiosk(['--config', zero, 'query', reversedSerial]);
    expect(z.code).toBe(5);
    expect(z.err).toContain('--url');
    const down = await runKiosk(['query', reversedSerial, '--url', 'http://127.0.0.1:9/', '--json']);
    expect(down.code).toBe(4);
    expect(down.err).toContain('cannot reach the kiosk');
    expect(JSON.parse(down.out).error.code).toBe('UNREACHABLE');
  });
});
