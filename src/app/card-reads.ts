import { randomBytes } from 'node:crypto';
import type { CardReader } from '../../devices/card-reader/card-reader.ts';
import { ElectricityCardApp } from '../../devices/card-reader/electricity-card.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError } from '../core/errors.ts';
import type { CardState } from '../core/services/power-card-data.ts';
import { cardView } from './card-effects.ts';

/** How long a card read may name the card in a request, ms (a customer's whole purchase screen). */
export const CARD_READ_TTL_MS = 10 * 60_000;
/** At most this many reads are remembered; the oldest is forgotten first. */
const MAX_READS = 32;

interface Remembered {
  cardSerial: string;
  /** The operator session code that read it, or null for the customer's own screen. */
  holder: string | null;
  at: number;
}

/** What a field filled from the card takes from it. */
export type CardValues = Pick<CardState, 'cardSerial' | 'customerNo'>;

const refused = (zh: string, en: string) =>
  new KioskError('KIOSK_E_INVALID_INPUT', { field: 'cardToken', zh, en });

/**
 * Card reads that a client may name by a token instead of the card's numbers. A screen shows the card
 * only masked, so it never has the full customer number; it sends back the token of the read, and
 * the kiosk takes the numbers from the card in the reader again, refusing when the card there is not
 * the card that was read, the read is older than CARD_READ_TTL_MS, or the token was read by another
 * client (an operator session, or the customer's screen). The tokens live only in memory.
 */
export class CardReads {
  private readonly reads = new Map<string, Remembered>();

  constructor(
    private readonly reader: () => CardReader | undefined,
    private readonly clock: Clock,
  ) {}

  /** Reads the card in the reader and remembers it under a new token for `holder`. */
  async read(holder: string | null): Promise<{ card: CardState & { totalUnits: number }; token: string }> {
    const card = await this.readCard();
    const token = randomBytes(16).toString('hex');
    this.forgetExpired();
    while (this.reads.size >= MAX_READS) this.reads.delete(this.reads.keys().next().value as string);
    this.reads.set(token, { cardSerial: card.cardSerial, holder, at: this.clock.now() });
    return { card, token };
  }

  /**
   * The numbers of the card a token names, read from the card in the reader now. Rejects, naming
   * the field `cardToken`, when the token is unknown, expired, someone else's, or the card in the
   * reader is another one or gone.
   */
  async resolve(token: unknown, holder: string | null): Promise<CardValues> {
    this.forgetExpired();
    const r = typeof token === 'string' ? this.reads.get(token) : undefined;
    if (!r || r.holder !== holder)
      throw refused('读卡已失效，请重新读卡', 'the card read is unknown or expired; read the card again');
    let card: CardState;
    try {
      card = await this.readCard();
    } catch {
      throw refused('请将电卡插入读卡器后重新读卡', 'put the card back in the reader and read it again');
    }
    if (card.cardSerial !== r.cardSerial)
      throw refused('读卡器中的电卡已更换，请重新读卡', 'the card in the reader was changed; read it again');
    return { cardSerial: card.cardSerial, customerNo: card.customerNo };
  }

  private async readCard(): Promise<CardState & { totalUnits: number }> {
    const reader = this.reader();
    if (!reader) throw new KioskError('KIOSK_E_NOT_FOUND', { zh: '未启用设备', en: 'devices not started' });
    return cardView(await new ElectricityCardApp(reader).read());
  }

  private forgetExpired(): void {
    const now = this.clock.now();
    for (const [t, r] of this.reads) if (now - r.at >= CARD_READ_TTL_MS || now < r.at) this.reads.delete(t);
  }
}
