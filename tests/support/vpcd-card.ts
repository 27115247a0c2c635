import { connect, type Socket } from 'node:net';
import type { VirtualCard } from '../../devices/card-reader/virtual-electricity-card.ts';

/**
 * A virtual smart card for vsmartcard's vpcd reader driver (loaded by a real pcscd in tests).
 * The card connects to vpcd over TCP (127.0.0.1:<port>); a connected socket is a card in the reader,
 * closing it pulls the card out. Frames are a 2-byte big-endian length and a payload; a 1-byte
 * payload is a control code (0 power off, 1 power on, 2 reset, 4 get ATR), any other payload is a
 * C-APDU answered with an R-APDU. The card logic is the shared VirtualCard state machine.
 *
 * Only ever run this inside a private network namespace: vpcd listens on every interface.
 */
export class VpcdCard {
  private socket: Socket | null = null;
  private card: VirtualCard | null = null;
  private buffer = Buffer.alloc(0);
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private pendingReplies = new Set<NodeJS.Timeout>();
  /** Number of times the card was pulled mid-command because the card logic said `torn`. */
  tears = 0;

  constructor(private readonly opts: { port: number; host?: string; reconnectMs?: number }) {}

  /** Puts `card` into the reader; resolves once vpcd accepted the connection. */
  insert(card: VirtualCard): Promise<void> {
    if (this.card) throw new Error('a card is already in the virtual reader');
    this.card = card;
    return this.connectUntilUp();
  }

  /** Pulls the card out (vpcd reports the slot empty). */
  remove(): void {
    this.card = null;
    this.dropSocket();
  }

  inserted(): boolean {
    return this.card !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.remove();
  }

  private connectUntilUp(): Promise<void> {
    return new Promise((resolve) => {
      const attempt = () => {
        this.retry = null;
        if (this.stopped || !this.card) return resolve();
        const s = connect({ port: this.opts.port, host: this.opts.host ?? '127.0.0.1' });
        s.setNoDelay(true);
        s.once('connect', () => {
          this.socket = s;
          this.buffer = Buffer.alloc(0);
          resolve();
        });
        s.on('data', (d) => this.onData(s, d));
        s.on('error', () => {});
        s.on('close', () => {
          if (this.socket === s) this.socket = null;
          // Still inserted but the reader went away (pcscd restarted): keep trying, like a card
          // that stays in a reader which is plugged back.
          if (!this.stopped && this.card && !this.retry) {
            this.retry = setTimeout(attempt, this.opts.reconnectMs ?? 100);
          }
        });
      };
      attempt();
    });
  }

  private dropSocket(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    for (const t of this.pendingReplies) clearTimeout(t);
    this.pendingReplies.clear();
    this.socket?.destroy();
    this.socket = null;
  }

  private onData(s: Socket, chunk: Buffer): void {
    if (s !== this.socket) return;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 2) {
      const n = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + n) break;
      const payload = Uint8Array.from(this.buffer.subarray(2, 2 + n));
      this.buffer = this.buffer.subarray(2 + n);
      this.onFrame(s, payload);
    }
  }

  private onFrame(s: Socket, payload: Uint8Array): void {
    const card = this.card;
    if (!card) return;
    if (payload.length === 1) {
      const code = payload[0];
      if (code === 0) card.powerOff();
      else if (code === 1) card.powerOn();
      else if (code === 2) card.reset();
      else if (code === 4) send(s, card.atr);
      return;
    }
    const reply = card.process(payload);
    if (reply.kind === 'torn') {
      this.tears++;
      this.remove();
      return;
    }
    if (reply.delayMs <= 0) {
      send(s, reply.rapdu);
      return;
    }
    const t = setTimeout(() => {
      this.pendingReplies.delete(t);
      if (this.socket === s) send(s, reply.rapdu);
    }, reply.delayMs);
    this.pendingReplies.add(t);
  }
}

function send(s: Socket, payload: Uint8Array): void {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(payload.length);
  s.write(Buffer.concat([head, payload]));
}
