import { DeviceError } from '../device.ts';
import { readBinarySfi, SW, selectAid, swHex } from './apdu.ts';
import type { CardReader, CardSession } from './card-reader.ts';
import {
  CardFormatError,
  CLA_PROPRIETARY,
  decodeIdFile,
  decodePurchaseFile,
  decodeReturnFile,
  ELECTRICITY_AID,
  encodePurchaseBlock,
  encodeReversalBlock,
  ID_FILE_LEN,
  INS_PURCHASE,
  INS_REVERSE,
  PURCHASE_FILE_LEN,
  type PurchaseFile,
  type PurchaseWrite,
  RETURN_FILE_LEN,
  type ReturnFile,
  type ReversalWrite,
  SFI_ID,
  SFI_PURCHASE,
  SFI_RETURN,
} from './electricity-card-format.ts';

/**
 * The smart-electricity-meter card application (智能电卡) on top of any CardReader, for card
 * format v1 (docs/electricity-card.md). Units are centi-kWh, money fen; never floats.
 */
export interface ElectricityCardInfo {
  cardSerial: string;
  customerNo: string;
  purchaseCounter: number;
  /** Units on the card not yet loaded into the meter, centi-kWh. */
  pendingUnits: number;
  /** The last write on the card (a purchase, or a reversal of one), or null if none was. */
  lastPurchase: { amountFen: number; units: number; txnRef: string; kind: 'purchase' | 'reversal' } | null;
  totalUnits: number;
  /** What the meter wrote back the last time the card was in it. */
  meter: ReturnFile;
}

/**
 * How far a failed write got. `not-started`: the write command was never sent (no card, wrong card,
 * counter mismatch found before writing). `not-applied`: the card refused it with a status word, so
 * it changed nothing. `unknown`: the command was sent and no answer came back (card pulled, timeout,
 * reader gone): resolve with `readBack`.
 */
export type WriteOutcome = 'not-started' | 'not-applied' | 'unknown';

export class CardWriteError extends DeviceError {
  constructor(
    readonly outcome: WriteOutcome,
    base: DeviceError,
  ) {
    super(base.code, base.zh, base.en, { cause: base.cause ?? base });
    this.name = 'CardWriteError';
  }
}

export interface WritePurchaseOptions {
  /**
   * Called after the card was identified and checked, immediately before the write command goes
   * out. The transaction engine makes its journal entry here; if this rejects, nothing is written.
   */
  beforeWrite: (card: ElectricityCardInfo) => Promise<void>;
}

export interface WritePurchaseResult {
  /** The same write (counter and txnRef) was already on the card; nothing was sent. */
  alreadyApplied: boolean;
  /** The card as read back after the write. */
  card: ElectricityCardInfo;
}

/** `applied`: the card holds this purchase. `not-applied`: the card is still before it.
 *  `superseded`: the card has moved past this counter with another write; the card alone cannot tell. */
export type ReadBackOutcome = 'applied' | 'not-applied' | 'superseded';

export interface PurchaseRef {
  cardSerial: string;
  purchaseCounter: number;
  txnRef: string;
}

const wrongCard = (en: string, zh = '不是本系统的电卡') => new DeviceError('DEVICE_E_WRONG_CARD', zh, en);

export class ElectricityCardApp {
  constructor(private readonly reader: CardReader) {}

  /** Reads customer number, purchase counter and units from the card in the reader. */
  async read(): Promise<ElectricityCardInfo> {
    return this.withCard((s) => readInfo(s));
  }

  /**
   * Writes one purchase from HQ's write data, then reads the card back to verify it. Rejects with a
   * CardWriteError whose `outcome` says whether the card may have changed.
   */
  writePurchase(write: PurchaseWrite, opts: WritePurchaseOptions): Promise<WritePurchaseResult> {
    return this.applyWrite({ ...write, kind: 'purchase' }, opts);
  }

  /**
   * Writes a purchase reversal (购电撤销) from HQ's reversal write data and verifies it; the same
   * contract as `writePurchase`. The card refuses it once the meter has loaded the units.
   */
  writeReversal(write: ReversalWrite, opts: WritePurchaseOptions): Promise<WritePurchaseResult> {
    return this.applyWrite({ ...write, kind: 'reversal' }, opts);
  }

  private async applyWrite(
    write: (PurchaseWrite & { kind: 'purchase' }) | (ReversalWrite & { kind: 'reversal' }),
    opts: WritePurchaseOptions,
  ): Promise<WritePurchaseResult> {
    const progress: { stage: 'checking' | 'sent' | 'refused' } = { stage: 'checking' };
    try {
      return await this.withCard(async (s) => {
        const before = await readInfo(s);
        if (before.cardSerial !== write.cardSerial.toUpperCase() || before.customerNo !== write.customerNo) {
          throw wrongCard('the card in the reader is not the card of this purchase', '卡片与本次购电不符');
        }
        if (
          before.purchaseCounter === write.purchaseCounter &&
          before.lastPurchase?.txnRef === write.txnRef.toUpperCase()
        ) {
          return { alreadyApplied: true, card: before };
        }
        if (before.purchaseCounter + 1 !== write.purchaseCounter) {
          throw new DeviceError(
            'DEVICE_E_CARD_WRITE',
            '购电次数不符，未写卡',
            `purchase counter mismatch: card at ${before.purchaseCounter}, write is for ${write.purchaseCounter}`,
          );
        }
        await opts.beforeWrite(before);
        progress.stage = 'sent';
        const r = await s.transmit({
          cla: CLA_PROPRIETARY,
          ins: write.kind === 'purchase' ? INS_PURCHASE : INS_REVERSE,
          p1: 0,
          p2: 0,
          data: write.kind === 'purchase' ? encodePurchaseBlock(write) : encodeReversalBlock(write),
          le: 8,
        });
        if (r.sw !== SW.OK) {
          progress.stage = 'refused';
          throw new DeviceError(
            'DEVICE_E_CARD_WRITE',
            '写卡失败，卡片未改变',
            `card refused the ${write.kind} (SW ${swHex(r.sw)})`,
          );
        }
        const after = await readInfo(s);
        const sign = write.kind === 'purchase' ? 1 : -1;
        const ok =
          after.purchaseCounter === write.purchaseCounter &&
          after.lastPurchase?.txnRef === write.txnRef.toUpperCase() &&
          after.pendingUnits === before.pendingUnits + sign * write.units;
        if (!ok)
          throw new DeviceError('DEVICE_E_IO', '写卡回读不一致', 'card read-back does not show the write');
        return { alreadyApplied: false, card: after };
      });
    } catch (e) {
      if (progress.stage === 'sent') {
        const err =
          e instanceof DeviceError ? e : new DeviceError('DEVICE_E_IO', '写卡出错', String(e), { cause: e });
        throw new CardWriteError('unknown', err);
      }
      // Errors of `beforeWrite` itself pass through unchanged: nothing was written.
      if (e instanceof DeviceError)
        throw new CardWriteError(progress.stage === 'refused' ? 'not-applied' : 'not-started', e);
      throw e;
    }
  }

  /** Tells whether the purchase `ref` is on the card now in the reader (after an unknown outcome). */
  async readBack(ref: PurchaseRef): Promise<{ outcome: ReadBackOutcome; card: ElectricityCardInfo }> {
    const card = await this.read();
    if (card.cardSerial !== ref.cardSerial.toUpperCase()) {
      throw wrongCard('read-back needs the card of the interrupted purchase', '请插入原购电卡');
    }
    const outcome: ReadBackOutcome =
      card.purchaseCounter === ref.purchaseCounter && card.lastPurchase?.txnRef === ref.txnRef.toUpperCase()
        ? 'applied'
        : card.purchaseCounter < ref.purchaseCounter
          ? 'not-applied'
          : 'superseded';
    return { outcome, card };
  }

  private async withCard<T>(fn: (s: CardSession) => Promise<T>): Promise<T> {
    const s = await this.reader.connect();
    try {
      const sel = await s.transmit(selectAid(ELECTRICITY_AID));
      if (sel.sw !== SW.OK) throw wrongCard(`no electricity application on the card (SW ${swHex(sel.sw)})`);
      return await fn(s);
    } finally {
      await s.close();
    }
  }
}

/** Outcome class of any error thrown by `writePurchase`; `unknown` for anything unexpected. */
export function classifyWriteFailure(err: unknown): WriteOutcome {
  return err instanceof CardWriteError ? err.outcome : 'unknown';
}

async function readFile(s: CardSession, sfi: number, len: number): Promise<Uint8Array> {
  const r = await s.transmit(readBinarySfi(sfi, 0, len));
  if (r.sw !== SW.OK || r.data.length !== len) {
    throw new DeviceError(
      'DEVICE_E_PROTOCOL',
      '读卡失败',
      `READ BINARY SFI ${sfi} failed (SW ${swHex(r.sw)}, ${r.data.length} bytes)`,
    );
  }
  return r.data;
}

async function readInfo(s: CardSession): Promise<ElectricityCardInfo> {
  try {
    const id = decodeIdFile(await readFile(s, SFI_ID, ID_FILE_LEN));
    if (id.cardType !== 1) throw wrongCard(`not a user card (card type ${id.cardType})`, '不是用户电卡');
    const p: PurchaseFile = decodePurchaseFile(await readFile(s, SFI_PURCHASE, PURCHASE_FILE_LEN));
    const meter = decodeReturnFile(await readFile(s, SFI_RETURN, RETURN_FILE_LEN));
    return {
      cardSerial: id.cardSerial,
      customerNo: id.customerNo,
      purchaseCounter: p.purchaseCounter,
      pendingUnits: p.pendingUnits,
      lastPurchase:
        p.purchaseCounter === 0
          ? null
          : { amountFen: p.lastAmountFen, units: p.lastUnits, txnRef: p.lastTxnRef, kind: p.lastKind },
      totalUnits: p.totalUnits,
      meter,
    };
  } catch (e) {
    if (e instanceof CardFormatError)
      throw wrongCard(`card data is not format v1: ${e.message}`, '卡片数据格式不符');
    throw e;
  }
}
