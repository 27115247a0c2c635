import { z } from 'zod';
import { KioskError } from '../errors.ts';
import { Money, normaliseWidth } from '../money.ts';
import { confirmed, pattern } from '../transaction/fields.ts';
import { PAY_OPS, payBase, payingState, queryingState } from '../transaction/flows.ts';
import type { TxnRecord } from '../transaction/types.ts';
import { answerList, answerText } from './answer-fields.ts';
import { defineService, storedAnswer } from './define-service.ts';
import { accountNumber, ENTRY } from './fields.ts';
import { statusPolling } from './rules.ts';

/** The biller's answer code for a payment it never received. */
export const NO_SUCH_PAYMENT = 'BILLER_NO_SUCH_PAYMENT';

/**
 * One game of HQ's catalogue: its id (sent with the top-up), its name, the packages it sells (each
 * its price in whole yuan) and, when HQ groups them, its category and the initial letter of its
 * name's pinyin (the screen filters by both).
 */
export const gameEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{2,20}$/),
  name: answerText(30),
  packages: answerList(z.string().regex(/^\d{1,5}$/), 20).min(1),
  category: answerText(12).optional(),
  initial: z
    .string()
    .regex(/^[A-Z]$/)
    .optional(),
});
export type GameEntry = z.output<typeof gameEntry>;

/** HQ's answer to the catalogue inquiry: the games it sells, common ones first. */
export const gameCatalogue = z.strictObject({ games: answerList(gameEntry, 500) });

/**
 * The games whose name or id contains the search text (case and width folded), common ones first
 * as HQ listed them; an empty search lists all.
 */
export function searchGames(games: readonly GameEntry[], text: string): GameEntry[] {
  const q = normaliseWidth(text).trim().toLowerCase();
  if (!q) return [...games];
  return games.filter((g) => g.name.toLowerCase().includes(q) || g.id.toLowerCase().includes(q));
}

/** The game a top-up was for, as the catalogue the top-up was checked against listed it. */
export function gameOf(txn: TxnRecord): GameEntry | undefined {
  return storedAnswer(gameCatalogue, txn)?.games.find((g) => g.id === txn.fields.game);
}

/**
 * Game top-up (游戏充值): game, account and package, confirmed explicitly by the customer because it
 * cannot be reversed. The package is its price in yuan. An unknown result is asked for
 * automatically; a failed top-up is corrected upstream (冲正) and the held amount returned:
 *
 *   paying ─ok─▶ succeeded · declined ─▶ failed · pending/unknown ─▶ querying
 *   querying ─ok─▶ succeeded · declined ─▶ correcting ─ok─▶ refunded (release)
 *                                           ├ no such top-up ─▶ refunded (release)
 *                                           └ declined (it did go through) ─▶ querying
 *
 * "No such top-up" after a declined status is final: the payment never reached the biller, so
 * there is nothing to correct and the hold is returned.
 */
export const gameTopup = defineService({
  id: 'game-topup',
  title: { zh: '游戏充值', en: 'Game top-up' },
  example: { game: 'wzry', account: 'player2024', package: '30', confirm: 'yes' },
  hints: [{ zh: '游戏充值不能撤销', en: 'a game top-up cannot be reversed' }],
  fields: z.strictObject({
    game: pattern(/^[a-z0-9-]{2,20}$/, { zh: '请选择游戏', en: 'choose a game' }),
    account: accountNumber('游戏账号', 'Game account'),
    package: pattern(/^\d{1,5}$/, { zh: '请选择充值套餐', en: 'choose a package' }),
    confirm: confirmed({
      zh: '游戏充值不能撤销，请确认账号与套餐无误',
      en: 'game top-ups cannot be reversed: confirm the account and package',
    }),
  }),
  fieldMeta: {
    game: { zh: '游戏', en: 'Game', entry: ENTRY.choice },
    account: { zh: '游戏账号', en: 'Game account', sensitive: 'account', entry: ENTRY.account },
    package: { zh: '充值套餐（元）', en: 'Package (yuan)', entry: ENTRY.choice },
    confirm: { zh: '确认', en: 'Confirmation', entry: ENTRY.confirm },
  },
  amount: (f) => Money.of(f.package),
  // The catalogue (games and their packages) is HQ's: the inquiry lists it (the screen searches it
  // with searchGames), and asking it again before paying refuses unknown games and packages.
  inquiry: {
    op: 'games',
    fields: [],
    answer: gameCatalogue,
    check: (fields, answer) => {
      const game = answer.games.find((g) => g.id === fields.game);
      if (!game)
        return [
          new KioskError('KIOSK_E_INVALID_INPUT', { field: 'game', zh: '无此游戏', en: 'unknown game' }),
        ];
      return game.packages.includes(fields.package ?? '')
        ? []
        : [
            new KioskError('KIOSK_E_INVALID_INPUT', {
              field: 'package',
              zh: `可选套餐：${game.packages.join('、')} 元`,
              en: `packages: ${game.packages.join(', ')} yuan`,
            }),
          ];
    },
  },
  initial: 'paying',
  states: {
    paying: payingState(),
    querying: queryingState({ ok: 'succeeded', declined: 'correcting' }, statusPolling, 30 * 60_000),
    correcting: {
      type: 'effect',
      effect: (txn) => ({
        type: 'hq',
        op: PAY_OPS.reverse,
        payload: { ...payBase(txn), ref: txn.data.billerRef ?? null },
      }),
      retry: 'safe',
      on: { ok: 'refunded', declined: 'querying' },
      interpret: (_txn, result) =>
        result.outcome === 'declined' && result.reason?.code === NO_SUCH_PAYMENT
          ? { outcome: 'ok', data: { ...result.data, correction: 'no-such-payment' }, reason: result.reason }
          : result,
    },
    succeeded: { type: 'terminal', result: 'succeeded', ledger: 'capture', receipt: true },
    failed: { type: 'terminal', result: 'failed', ledger: 'release' },
    refunded: { type: 'terminal', result: 'failed', ledger: 'release' },
  },
  stateLabels: {
    correcting: { zh: '冲正中', en: 'being corrected (冲正)' },
    refunded: { zh: '已冲正退款', en: 'corrected and refunded' },
  },
  // The game by the name the catalogue gave it when the top-up was made (its id without one).
  receipt: (txn) => [
    { zh: '游戏', en: 'Game', value: gameOf(txn)?.name ?? txn.fields.game ?? '' },
    { zh: '套餐', en: 'Package', value: `${txn.fields.package ?? ''} 元` },
  ],
});
