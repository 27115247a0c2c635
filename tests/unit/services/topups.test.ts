import { afterEach, describe, expect, it, vi } from 'vitest';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import { gameCatalogue, gameTopup, searchGames } from '../../../src/core/services/game-topup.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { FakeHq } from '../../support/fake-hq.ts';
import { advance, useFakeClock } from '../../support/fake-time.ts';
import { type Harness, openKiosk, tempDir, testConfig } from '../../support/kiosk-harness.ts';

const TELLER = { channel: 'operator', code: 'A001', role: 'teller' } as const;
const final = (t: TxnRecord) => t.terminal;
const GAMES = {
  outcome: 'ok' as const,
  data: { games: [{ id: 'wzry', name: '王者荣耀', packages: ['6', '30', '68'] }] },
};

describe('game, bus card and balance top-ups', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let k: Harness;
  let hq: FakeHq;

  async function open(enabled: string[]): Promise<void> {
    useFakeClock(Date.parse('2026-11-26T10:00:00+08:00'));
    dir = await tempDir();
    hq = new FakeHq().script('games', GAMES);
    const config = await testConfig({ services: { enabled, fees: {} } });
    k = await openKiosk(dir.path, hq, { config, services: SERVICE_CATALOGUE });
    await k.balance.applyHqEvent({ kind: 'topup', fen: 300_00, ref: 'slip-1' });
  }
  afterEach(async () => {
    await k.close();
    vi.useRealTimers();
    await dir.cleanup();
  });

  it('game top-up needs the customer’s explicit confirmation (it cannot be reversed)', async () => {
    await open(['game-topup']);
    const err = await k.engine
      .create('game-topup', { game: 'wzry', account: 'player001', package: '30' }, TELLER)
      .catch((e) => e);
    expect(err.issues[0]).toMatchObject({ field: 'confirm' });
    expect(err.message).toContain('不能撤销');
    const no = await k.engine
      .create('game-topup', { game: 'wzry', account: 'player001', package: '30', confirm: 'no' }, TELLER)
      .catch((e) => e);
    expect(no.issues[0]).toMatchObject({ field: 'confirm' });
    expect(hq.requests).toEqual([]);
    const t = await k.engine.create(
      'game-topup',
      { game: 'wzry', account: 'player001', package: '30', confirm: true },
      TELLER,
    );
    await advance(k.engine, 10);
    expect(await k.engine.get(t.serial)).toMatchObject({ state: 'succeeded', amountFen: 3000 });
    await expect(k.engine.act(t.serial, 'reverse', TELLER)).rejects.toMatchObject({
      code: 'KIOSK_E_ACTION_NOT_ALLOWED',
    });
  });

  it('a game top-up’s receipt names the game as the catalogue it was checked against listed it', async () => {
    await open(['game-topup']);
    const t = await k.engine.create(
      'game-topup',
      { game: 'wzry', account: 'player001', package: '30', confirm: 'yes' },
      TELLER,
    );
    await advance(k.engine, 10);
    const done = await k.engine.get(t.serial);
    expect(gameTopup.receipt?.(done)).toEqual([
      { zh: '游戏', en: 'Game', value: '王者荣耀' },
      { zh: '套餐', en: 'Package', value: '30 元' },
    ]);
  });

  it('game list comes from HQ and is searched by name or id', async () => {
    await open(['game-topup']);
    const answer = gameCatalogue.parse(await k.engine.inquire('game-topup', {}, TELLER));
    expect(searchGames(answer.games, '王者').map((g) => g.id)).toEqual(['wzry']);
    expect(searchGames(answer.games, 'ＷＺ').map((g) => g.id)).toEqual(['wzry']);
    expect(searchGames(answer.games, '')).toHaveLength(1);
    expect(searchGames(answer.games, '魔兽')).toEqual([]);
  });

  it('game top-up refuses an unknown game or package from HQ’s list, holding nothing', async () => {
    await open(['game-topup']);
    const game = await k.engine
      .create('game-topup', { game: 'nope', account: 'player001', package: '30', confirm: true }, TELLER)
      .catch((e) => e);
    expect(game.issues[0]).toMatchObject({ field: 'game' });
    const pkg = await k.engine
      .create('game-topup', { game: 'wzry', account: 'player001', package: '31', confirm: true }, TELLER)
      .catch((e) => e);
    expect(pkg.issues[0]).toMatchObject({ field: 'package' });
    expect(pkg.message).toContain('68');
    expect(k.balance.summary().held).toBe('0.00');
  });

  it('game top-up with an unknown result is asked for automatically; a failure is corrected (冲正) and refunded', async () => {
    await open(['game-topup']);
    hq.script('pay', 'hang');
    const t = await k.engine.create(
      'game-topup',
      { game: 'wzry', account: 'player001', package: '68', confirm: 'yes' },
      TELLER,
    );
    await advance(k.engine, 2000, 500);
    expect((await k.engine.get(t.serial)).state).toBe('querying');
    expect(k.balance.summary().held).toBe('68.00');
    hq.settle(t.idempotencyKey, 'declined');
    await advance(k.engine, 31_000, 5000);
    const done = await k.engine.waitFor(t.serial, final);
    expect(done.state).toBe('refunded');
    expect(hq.requests.filter((r) => r.op === 'reverse')).toHaveLength(1);
    expect(k.balance.summary()).toMatchObject({ balance: '300.00', held: '0.00' });
  });

  it('game correction refused because the top-up did go through: back to asking, then success', async () => {
    await open(['game-topup']);
    hq.script('pay', 'pending').script('reverse', 'declined');
    const t = await k.engine.create(
      'game-topup',
      { game: 'wzry', account: 'player001', package: '6', confirm: 'yes' },
      TELLER,
    );
    hq.settle(t.idempotencyKey, 'declined');
    await advance(k.engine, 31_000, 5000);
    hq.settle(t.idempotencyKey, 'ok');
    await advance(k.engine, 31_000, 5000);
    expect((await k.engine.get(t.serial)).state).toBe('succeeded');
    expect(k.balance.summary().balance).toBe('294.00');
  });

  it('bus card top-up runs only where HQ enabled it', async () => {
    await open(['mobile-topup']);
    await expect(
      k.engine.create('bus-card-topup', { cardNo: '31040012345678', amount: '50' }, TELLER),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_SERVICE_DISABLED',
    });
    await k.close();
    await open(['bus-card-topup']);
    const t = await k.engine.create('bus-card-topup', { cardNo: '31040012345678', amount: '50' }, TELLER);
    await advance(k.engine, 10);
    expect((await k.engine.get(t.serial)).state).toBe('succeeded');
    await expect(
      k.engine.create('bus-card-topup', { cardNo: '31040012345678', amount: '501' }, TELLER),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'amount' })],
    });
  });

  it('balance top-up from the bound debit card holds nothing and credits only through HQ’s event, once', async () => {
    await open(['prepaid-card-topup']);
    hq.script('pay', { outcome: 'ok', data: { billerRef: 'P1', ref: 'card-topup:P1' } });
    const t = await k.engine.create(
      'prepaid-card-topup',
      { debitCard: '6221881234567890123', amount: '1000' },
      TELLER,
    );
    expect(k.balance.summary().held).toBe('0.00');
    await advance(k.engine, 10);
    expect(await k.engine.get(t.serial)).toMatchObject({
      state: 'succeeded',
      data: { ref: 'card-topup:P1' },
    });
    expect(k.balance.summary().balance).toBe('300.00');
    await k.balance.applyHqEvent({ kind: 'topup', fen: 1000_00, ref: 'card-topup:P1' });
    const again = await k.balance.applyHqEvent({ kind: 'topup', fen: 1000_00, ref: 'card-topup:P1' });
    expect(again.duplicate).toBe(true);
    expect(k.balance.summary().balance).toBe('1300.00');
  });

  it('shows HQ’s counter top-ups, reversals, adjustments and refunds as ledger entries, refusing overdrafts', async () => {
    await open(['mobile-topup']);
    await k.balance.applyHqEvent({ kind: 'adjustment', fen: -50_00, ref: 'adj-1', note: '调账' });
    await k.balance.applyHqEvent({ kind: 'refund', fen: 20_00, ref: 'rf-1', note: '退款通知' });
    await expect(
      k.balance.applyHqEvent({ kind: 'topup-reversal', fen: 300_00, ref: 'slip-1-rev', original: 'slip-1' }),
    ).rejects.toMatchObject({
      code: 'KIOSK_E_INSUFFICIENT_BALANCE',
    });
    await k.balance.applyHqEvent({ kind: 'topup', fen: 100_00, ref: 'slip-2' });
    await k.balance.applyHqEvent({
      kind: 'topup-reversal',
      fen: 100_00,
      ref: 'slip-2-rev',
      original: 'slip-2',
    });
    const kinds: string[] = [];
    for await (const e of k.journal.ledgerEntries()) kinds.push(`${e.kind}:${e.deltaFen}`);
    expect(kinds).toEqual([
      'topup:30000',
      'adjustment:-5000',
      'refund:2000',
      'topup:10000',
      'topup-reversal:-10000',
    ]);
    expect(k.balance.summary().balance).toBe('270.00');
  });

  it('reverses a counter top-up only on its business date, for its slip and exact amount, once', async () => {
    await open(['mobile-topup']);
    await k.balance.applyHqEvent({ kind: 'topup', fen: 200_00, ref: 'slip-9' });
    const refused = (ev: Partial<Parameters<typeof k.balance.applyHqEvent>[0]>) =>
      k.balance.applyHqEvent({ kind: 'topup-reversal', fen: 200_00, ref: `rev-${Math.random()}`, ...ev });
    await expect(refused({ original: undefined })).rejects.toMatchObject({ field: 'original' });
    await expect(refused({ original: 'no-such-slip' })).rejects.toMatchObject({ field: 'original' });
    await expect(refused({ original: 'slip-9', fen: 199_99 })).rejects.toMatchObject({
      code: 'KIOSK_E_ACTION_NOT_ALLOWED',
      field: 'fen',
    });
    const before = k.journal.lastCounters;
    await k.balance.applyHqEvent({ kind: 'topup-reversal', fen: 200_00, ref: 'rev-9', original: 'slip-9' });
    expect(k.journal.lastCounters.ledger).toBe(before.ledger + 1);
    await expect(refused({ original: 'slip-9' })).rejects.toMatchObject({ field: 'original', en: /already/ });
    // 21:00 is the day cut: a top-up made before it cannot be reversed after it.
    await k.balance.applyHqEvent({ kind: 'topup', fen: 50_00, ref: 'slip-10' });
    vi.setSystemTime(Date.parse('2026-11-26T21:00:00+08:00'));
    await expect(refused({ original: 'slip-10', fen: 50_00 })).rejects.toMatchObject({
      field: 'original',
      en: /same business date/,
    });
    expect(k.balance.summary().balance).toBe('350.00');
  });
});
