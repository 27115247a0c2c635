import type { CardReader } from '../../devices/card-reader/card-reader.ts';
import {
  classifyWriteFailure,
  ElectricityCardApp,
  type ElectricityCardInfo,
} from '../../devices/card-reader/electricity-card.ts';
import { cardWriteSchema } from '../../devices/card-reader/electricity-card-format.ts';
import { DeviceError } from '../../devices/device.ts';
import { CARD_OPS } from '../core/services/power-card.ts';
import type { CardState } from '../core/services/power-card-data.ts';
import type { EffectResult } from '../core/transaction/types.ts';
import type { DevicePort } from '../engine/ports.ts';

/** The card as transactions keep it: no meter write-back details beyond what the rules need. */
export function cardView(c: ElectricityCardInfo): CardState & { totalUnits: number } {
  return {
    cardSerial: c.cardSerial,
    customerNo: c.customerNo,
    purchaseCounter: c.purchaseCounter,
    pendingUnits: c.pendingUnits,
    lastPurchase: c.lastPurchase
      ? { txnRef: c.lastPurchase.txnRef, units: c.lastPurchase.units, kind: c.lastPurchase.kind }
      : null,
    totalUnits: c.totalUnits,
  };
}

const reasonOf = (e: unknown) =>
  e instanceof DeviceError
    ? { code: e.code, zh: e.zh, en: e.en }
    : { code: 'KIOSK_E_INTERNAL', zh: `读写卡出错：${String(e)}`, en: `card error: ${String(e)}` };

/** A card that is simply not there (or not the right one) is waited for; nothing happened. */
const ABSENT_CODES = new Set([
  'DEVICE_E_NO_CARD',
  'DEVICE_E_WRONG_CARD',
  'DEVICE_E_ABSENT',
  'DEVICE_E_UNSUPPORTED',
]);

/**
 * Device effects of the smart electricity card (docs/electricity-card.md) on the kiosk's reader:
 *
 * - `card-read`: ok with the card; `declined` when no card or a wrong card is in the reader (nothing
 *   happened yet); `unknown` for a busy or failing reader.
 * - `card-write`: one purchase or reversal write, verified by reading back. ok = verified;
 *   `declined` = the card refused it and is unchanged; `pending` = not written because the card is
 *   not there; `unknown` = it may or may not be on the card (pulled, timeout, or a card whose counter
 *   says another write came first): settled by `card-read-back`. The write goes out only if the
 *   engine still waits for it (its intent is journaled before every effect).
 * - `card-read-back`: ok = the write is on the card; `declined` = the card is still before it;
 *   `pending` = the card moved past it with another write (the card alone cannot tell); `unknown`
 *   while the card is not in the reader.
 */
export class CardEffects implements DevicePort {
  constructor(private readonly reader: () => CardReader | undefined) {}

  async run(
    effect: { device: string; op: string; payload: Record<string, unknown> },
    _ctx: { serial: string; idempotencyKey: string },
    signal: AbortSignal,
  ): Promise<EffectResult> {
    const reader = this.reader();
    if (!reader)
      return {
        outcome: 'unknown',
        reason: { code: 'DEVICE_E_ABSENT', zh: '读卡器未启动', en: 'card reader not started' },
      };
    const app = new ElectricityCardApp(reader);
    switch (effect.op) {
      case CARD_OPS.read:
        try {
          return { outcome: 'ok', data: { card: cardView(await app.read()) } };
        } catch (e) {
          const reason = reasonOf(e);
          return { outcome: ABSENT_CODES.has(reason.code) ? 'declined' : 'unknown', reason };
        }
      case CARD_OPS.write:
        return this.write(app, effect.payload.write, signal);
      case CARD_OPS.readBack:
        try {
          const p = effect.payload;
          const { outcome, card } = await app.readBack({
            cardSerial: String(p.cardSerial),
            purchaseCounter: Number(p.purchaseCounter),
            txnRef: String(p.txnRef),
          });
          if (outcome === 'applied') return { outcome: 'ok', data: { cardAfter: cardView(card) } };
          if (outcome === 'not-applied')
            return {
              outcome: 'declined',
              reason: {
                code: 'DEVICE_E_CARD_WRITE',
                zh: '卡内无此次写卡',
                en: 'the write is not on the card',
              },
            };
          return {
            outcome: 'pending',
            reason: {
              code: 'KIOSK_E_CARD_SUPERSEDED',
              zh: '电卡已有后续写卡，须总部核实',
              en: 'the card has a later write; HQ must check its records',
            },
          };
        } catch (e) {
          return { outcome: 'unknown', reason: reasonOf(e) };
        }
      default:
        return {
          outcome: 'unknown',
          reason: {
            code: 'KIOSK_E_INTERNAL',
            zh: `未知读卡操作 ${effect.op}`,
            en: `unknown card op ${effect.op}`,
          },
        };
    }
  }

  private async write(app: ElectricityCardApp, raw: unknown, signal: AbortSignal): Promise<EffectResult> {
    const parsed = cardWriteSchema.safeParse(raw);
    if (!parsed.success)
      return {
        outcome: 'declined',
        reason: {
          code: 'KIOSK_E_BAD_WRITE_DATA',
          zh: '写卡数据无效，未写卡',
          en: 'invalid write data; not written',
        },
      };
    const w = parsed.data;
    const beforeWrite = async () => {
      // The engine gave up waiting (timeout or shutdown): it must not find a write it did not expect.
      if (signal.aborted)
        throw new DeviceError('DEVICE_E_TIMEOUT', '已超时，未写卡', 'timed out before writing; not written');
    };
    try {
      const res =
        w.kind === 'purchase'
          ? await app.writePurchase(w, { beforeWrite })
          : await app.writeReversal(w, { beforeWrite });
      return { outcome: 'ok', data: { cardAfter: cardView(res.card) } };
    } catch (e) {
      const reason = reasonOf(e);
      const how = classifyWriteFailure(e);
      if (how === 'not-applied') return { outcome: 'declined', reason };
      if (how === 'not-started' && reason.code !== 'DEVICE_E_CARD_WRITE')
        return { outcome: 'pending', reason };
      return { outcome: 'unknown', reason };
    }
  }
}
