import { ApduFormatError, decodeCommand, encodeResponse, SW } from './apdu.ts';
import {
  CLA_PROPRIETARY,
  decodePurchaseBlock,
  decodeReversalBlock,
  deriveCardKey,
  ELECTRICITY_AID,
  encodeIdFile,
  encodePurchaseFile,
  encodeReturnFile,
  FORMAT_VERSION,
  type IdFile,
  INS_PURCHASE,
  INS_REVERSE,
  MAX_PENDING_UNITS,
  PURCHASE_BLOCK_LEN,
  type PurchaseFile,
  REVERSAL_BLOCK_LEN,
  type ReturnFile,
  SFI_ID,
  SFI_PURCHASE,
  SFI_RETURN,
  U32_MAX,
  verifyPurchaseMac,
  verifyReversalMac,
} from './electricity-card-format.ts';

/**
 * Pure state machines of the cards used by the simulator and by the vpcd virtual card in tests:
 * the same logic answers APDUs whether it sits behind the in-process simulator or behind real pcscd.
 * The transport (simulator or vpcd socket) applies `delayMs` and turns `torn` into a card removal.
 */
export type CardReply = { kind: 'reply'; rapdu: Uint8Array; delayMs: number } | { kind: 'torn' };

export interface VirtualCard {
  readonly atr: Uint8Array;
  powerOn(): void;
  powerOff(): void;
  reset(): void;
  process(capdu: Uint8Array): CardReply;
}

/** ATR with T=0 and T=1 offered and the historical bytes `hist`, TCK included. */
export function buildAtr(hist: string): Uint8Array {
  const h = Buffer.from(hist, 'ascii');
  if (h.length > 15) throw new RangeError('at most 15 historical bytes');
  const body = [0x80 | h.length, 0x80, 0x01, ...h];
  const tck = body.reduce((a, b) => a ^ b, 0);
  return Uint8Array.from([0x3b, ...body, tck]);
}

const reply = (sw: number, data: Uint8Array = new Uint8Array(0), delayMs = 0): CardReply => ({
  kind: 'reply',
  rapdu: encodeResponse({ data, sw }),
  delayMs,
});

export interface ElectricityCardIssue {
  cardSerial: string;
  customerNo: string;
  /** Issuer master key; the card stores only its derived key. */
  masterKey: Uint8Array;
  purchase?: Partial<PurchaseFile>;
  meterReturn?: Partial<ReturnFile>;
}

export type TearPoint = 'before-commit' | 'after-commit';

/** Our electricity card (format v1), with fault switches that reproduce real card failures. */
export class VirtualElectricityCard implements VirtualCard {
  readonly atr = buildAtr('KIOSKEL1');
  readonly id: IdFile;
  purchase: PurchaseFile;
  meterReturn: ReturnFile;
  /** Delay before every answer, ms: a slow card (or a slow contact). */
  slowMs = 0;
  private readonly key: Uint8Array;
  private selected = false;
  private failWrites = 0;
  private tear: TearPoint | null = null;
  /** Count of PURCHASE commands that changed the card. */
  commits = 0;

  constructor(issue: ElectricityCardIssue) {
    this.id = {
      version: FORMAT_VERSION,
      cardSerial: issue.cardSerial.toUpperCase(),
      customerNo: issue.customerNo,
      cardType: 1,
    };
    this.key = deriveCardKey(issue.masterKey, this.id.cardSerial);
    this.purchase = {
      purchaseCounter: 0,
      pendingUnits: 0,
      lastAmountFen: 0,
      lastUnits: 0,
      lastTxnRef: '0000000000000000',
      totalUnits: 0,
      lastKind: 'purchase',
      ...issue.purchase,
    };
    this.meterReturn = {
      meterRemainingUnits: 0,
      meterPurchaseCounter: 0,
      returnDate: null,
      meterFlags: 0,
      ...issue.meterReturn,
    };
  }

  /** The next `n` PURCHASE commands fail with 6581 (memory failure) and leave the card unchanged. */
  failNextWrites(n = 1): void {
    this.failWrites = n;
  }

  /** The next PURCHASE is interrupted by pulling the card, before or after the card commits it. */
  tearNextWrite(at: TearPoint): void {
    this.tear = at;
  }

  /** The meter takes the pending units (what happens when the customer puts the card in the meter). */
  loadIntoMeter(meterRemainingUnits: number, date: string): void {
    this.meterReturn = {
      meterRemainingUnits: meterRemainingUnits + this.purchase.pendingUnits,
      meterPurchaseCounter: this.purchase.purchaseCounter,
      returnDate: date,
      meterFlags: 0,
    };
    this.purchase = { ...this.purchase, pendingUnits: 0 };
  }

  powerOn(): void {
    this.selected = false;
  }
  powerOff(): void {
    this.selected = false;
  }
  reset(): void {
    this.selected = false;
  }

  process(capdu: Uint8Array): CardReply {
    let cmd: ReturnType<typeof decodeCommand>;
    try {
      cmd = decodeCommand(capdu);
    } catch (e) {
      if (e instanceof ApduFormatError) return reply(SW.WRONG_LENGTH, undefined, this.slowMs);
      throw e;
    }
    const data = cmd.data ?? new Uint8Array(0);
    if (cmd.cla === 0x00 && cmd.ins === 0xa4 && cmd.p1 === 0x04) {
      this.selected = Buffer.from(data).equals(Buffer.from(ELECTRICITY_AID));
      return reply(this.selected ? SW.OK : SW.FILE_NOT_FOUND, undefined, this.slowMs);
    }
    if (cmd.cla === 0x00 && cmd.ins === 0xb0) return this.readBinary(cmd.p1, cmd.p2, cmd.le ?? 256);
    if (cmd.cla === CLA_PROPRIETARY && cmd.ins === INS_PURCHASE) return this.purchaseCommand(data);
    if (cmd.cla === CLA_PROPRIETARY && cmd.ins === INS_REVERSE) return this.reverseCommand(data);
    if (cmd.cla !== 0x00 && cmd.cla !== CLA_PROPRIETARY)
      return reply(SW.CLA_NOT_SUPPORTED, undefined, this.slowMs);
    return reply(SW.INS_NOT_SUPPORTED, undefined, this.slowMs);
  }

  private file(sfi: number): Uint8Array | null {
    if (sfi === SFI_ID) return encodeIdFile(this.id);
    if (sfi === SFI_PURCHASE) return encodePurchaseFile(this.purchase);
    if (sfi === SFI_RETURN) return encodeReturnFile(this.meterReturn);
    return null;
  }

  private readBinary(p1: number, offset: number, le: number): CardReply {
    if (!this.selected) return reply(SW.CONDITIONS_NOT_SATISFIED, undefined, this.slowMs);
    if ((p1 & 0x80) === 0) return reply(SW.INCORRECT_P1P2, undefined, this.slowMs);
    const file = this.file(p1 & 0x1f);
    if (!file) return reply(SW.FILE_NOT_FOUND, undefined, this.slowMs);
    if (offset > file.length) return reply(SW.WRONG_OFFSET, undefined, this.slowMs);
    return reply(SW.OK, file.slice(offset, Math.min(file.length, offset + le)), this.slowMs);
  }

  private purchaseCommand(block: Uint8Array): CardReply {
    if (!this.selected) return reply(SW.CONDITIONS_NOT_SATISFIED, undefined, this.slowMs);
    if (block.length !== PURCHASE_BLOCK_LEN) return reply(SW.WRONG_LENGTH, undefined, this.slowMs);
    const w = decodePurchaseBlock(block);
    if (
      w.version !== FORMAT_VERSION ||
      w.cardSerial !== this.id.cardSerial ||
      w.customerNo !== this.id.customerNo
    ) {
      return reply(SW.WRONG_DATA, undefined, this.slowMs);
    }
    if (!verifyPurchaseMac(this.key, block)) return reply(SW.SECURITY_NOT_SATISFIED, undefined, this.slowMs);
    if (w.purchaseCounter !== this.purchase.purchaseCounter + 1) {
      return reply(SW.CONDITIONS_NOT_SATISFIED, undefined, this.slowMs);
    }
    if (this.purchase.pendingUnits + w.units > MAX_PENDING_UNITS) {
      return reply(SW.NOT_ENOUGH_MEMORY, undefined, this.slowMs);
    }
    return this.commit({
      purchaseCounter: w.purchaseCounter,
      pendingUnits: this.purchase.pendingUnits + w.units,
      lastAmountFen: w.amountFen,
      lastUnits: w.units,
      lastTxnRef: w.txnRef,
      totalUnits: (this.purchase.totalUnits + w.units) % (U32_MAX + 1),
      lastKind: 'purchase',
    });
  }

  /**
   * REVERSE: takes the last purchase's units back while they are still pending on the card (the
   * meter has not loaded them) and no other write came after it.
   */
  private reverseCommand(block: Uint8Array): CardReply {
    if (!this.selected) return reply(SW.CONDITIONS_NOT_SATISFIED, undefined, this.slowMs);
    if (block.length !== REVERSAL_BLOCK_LEN) return reply(SW.WRONG_LENGTH, undefined, this.slowMs);
    const w = decodeReversalBlock(block);
    if (
      w.version !== FORMAT_VERSION ||
      w.cardSerial !== this.id.cardSerial ||
      w.customerNo !== this.id.customerNo
    ) {
      return reply(SW.WRONG_DATA, undefined, this.slowMs);
    }
    if (!verifyReversalMac(this.key, block)) return reply(SW.SECURITY_NOT_SATISFIED, undefined, this.slowMs);
    const p = this.purchase;
    if (
      w.purchaseCounter !== p.purchaseCounter + 1 ||
      p.lastKind !== 'purchase' ||
      p.lastTxnRef !== w.originalTxnRef ||
      p.lastUnits !== w.units ||
      p.pendingUnits < w.units
    ) {
      return reply(SW.CONDITIONS_NOT_SATISFIED, undefined, this.slowMs);
    }
    return this.commit({
      purchaseCounter: w.purchaseCounter,
      pendingUnits: p.pendingUnits - w.units,
      lastAmountFen: w.amountFen,
      lastUnits: w.units,
      lastTxnRef: w.txnRef,
      totalUnits: (p.totalUnits - w.units + U32_MAX + 1) % (U32_MAX + 1),
      lastKind: 'reversal',
    });
  }

  /** Applies a checked write atomically, honouring the fault switches. */
  private commit(next: PurchaseFile): CardReply {
    if (this.failWrites > 0) {
      this.failWrites--;
      return reply(SW.MEMORY_FAILURE, undefined, this.slowMs);
    }
    const tear = this.tear;
    this.tear = null;
    if (tear === 'before-commit') return { kind: 'torn' };
    this.purchase = next;
    this.commits++;
    if (tear === 'after-commit') return { kind: 'torn' };
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.purchase.purchaseCounter);
    view.setUint32(4, this.purchase.pendingUnits);
    return reply(SW.OK, out, this.slowMs);
  }
}

/** A card of another application (e.g. a bank card): powers up, but has no electricity application. */
export class VirtualForeignCard implements VirtualCard {
  readonly atr = Uint8Array.from(Buffer.from('3B6E000080318066B0840C016E0183009000', 'hex'));
  slowMs = 0;
  powerOn(): void {}
  powerOff(): void {}
  reset(): void {}
  process(capdu: Uint8Array): CardReply {
    if (capdu.length >= 2 && capdu[0] === 0x00 && capdu[1] === 0xa4)
      return reply(SW.FILE_NOT_FOUND, undefined, this.slowMs);
    return reply(SW.INS_NOT_SUPPORTED, undefined, this.slowMs);
  }
}

/**
 * Issuer master key of the simulator's demo cards. The reference HQ uses the same key to compute
 * write-data MACs for them; it has no meaning outside simulation.
 */
export const DEMO_ISSUER_MASTER_KEY = Uint8Array.from(
  Buffer.from('6B696F736B2D64656D6F2D6973737565722D6B6579', 'hex'),
);

/** A fresh demo card for the simulator (`npm start`), serial derived from the customer number. */
export function demoElectricityCard(customerNo: string): VirtualElectricityCard {
  const serial = `D0${customerNo.padStart(14, '0').slice(-14)}`;
  return new VirtualElectricityCard({ cardSerial: serial, customerNo, masterKey: DEMO_ISSUER_MASTER_KEY });
}
