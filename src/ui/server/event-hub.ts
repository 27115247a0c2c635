import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { maskDeep } from '../../core/mask.ts';
import { SELF_OPERATOR } from '../../journal/keys.ts';
import type { JournalEvent } from '../../journal/records.ts';
import { ledgerRow } from '../../reports/balance-views.ts';
import type { ServiceLookup } from '../../reports/mask-txn.ts';
import { orderView } from '../../reports/order-view.ts';
import { txnView } from '../../reports/txn-view.ts';
import type { ServerKiosk } from './server-kiosk.ts';

/** A comment line keeps proxies and idle timeouts from closing a quiet stream, ms. */
export const KEEPALIVE_MS = 15_000;
/** At most this many past events are replayed to a reconnecting client. */
export const REPLAY_MAX = 5_000;

interface Frame {
  seq: number;
  event: 'txn' | 'alert' | 'balance' | 'order';
  serial: string | null;
  /** The order a frame is about (its own, or the one its transaction settles). */
  order: string | null;
  /** The operator of a transaction frame (`~self` for self-service), null for the other frames. */
  by: string | null;
  data: unknown;
}

interface Client {
  res: ServerResponse;
  serial: string | null;
  order: string | null;
  operator: boolean;
  /** A teller's code: their stream carries only their own transactions. Null for the others. */
  teller: string | null;
  /** Frames that arrived while past events were being replayed; sent right after them. */
  pending: Frame[] | null;
  lastSeq: number;
}

/**
 * Server-sent events of the local API (the source's page that "refreshes by itself"): every durable
 * change of a transaction (`txn`), of a self-service order (`order`), every alert (`alert`) and, to operators, every balance change
 * (`balance`), each with the journal sequence number as its id. A client that reconnects with
 * Last-Event-ID gets what it missed from the journal first. Every frame is masked.
 */
export class EventHub {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;
  private readonly onEvent = (ev: JournalEvent): void => this.publish(ev);
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly kiosk: ServerKiosk,
    private readonly lookup: ServiceLookup,
  ) {}

  start(): void {
    this.unsubscribe = this.kiosk.records.subscribe(this.onEvent);
    this.timer = setInterval(() => {
      for (const c of this.clients) c.res.write(': keep-alive\n\n');
    }, KEEPALIVE_MS);
    this.timer.unref();
  }

  /** Ends every stream (so that the server can close) and stops listening. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.timer);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  get size(): number {
    return this.clients.size;
  }

  /**
   * Takes over the response and streams to it. `since` replays journal events after that
   * sequence number (from Last-Event-ID or the `since` parameter).
   */
  async attach(
    reply: FastifyReply,
    opts: {
      serial: string | null;
      order?: string | null;
      operator: boolean;
      teller?: string | null;
      since: number | null;
    },
  ): Promise<void> {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    const client: Client = {
      res,
      serial: opts.serial,
      order: opts.order ?? null,
      operator: opts.operator,
      teller: opts.teller ?? null,
      pending: opts.since === null ? null : [],
      lastSeq: opts.since ?? 0,
    };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    if (opts.since === null) return;
    let replayed = 0;
    for await (const ev of this.kiosk.records.events(opts.since + 1)) {
      if (!this.clients.has(client) || replayed >= REPLAY_MAX) break;
      const frame = this.frameOf(ev);
      if (frame) this.send(client, frame);
      replayed++;
    }
    const held = client.pending ?? [];
    client.pending = null;
    for (const f of held) this.send(client, f);
  }

  private publish(ev: JournalEvent): void {
    if (this.clients.size === 0) return;
    const frame = this.frameOf(ev);
    if (!frame) return;
    for (const c of this.clients) {
      if (c.pending) c.pending.push(frame);
      else this.send(c, frame);
    }
  }

  private frameOf(ev: JournalEvent): Frame | null {
    if ('txn' in ev) {
      const alert = ev.type === 'txn.alert';
      return {
        seq: ev.seq,
        event: alert ? 'alert' : 'txn',
        serial: ev.txn.serial,
        order: typeof ev.txn.data.order === 'string' ? ev.txn.data.order : null,
        by: ev.txn.operator ?? SELF_OPERATOR,
        data: {
          seq: ev.seq,
          type: ev.type,
          ...(ev.type === 'txn.transition' ? { outcome: ev.outcome } : {}),
          ...(ev.type === 'txn.action' ? { action: ev.action } : {}),
          ...(ev.type === 'txn.alert' ? { alert: ev.alert } : {}),
          transaction: txnView(ev.txn, this.lookup, { clock: this.kiosk.clock, config: this.kiosk.config }),
        },
      };
    }
    if (ev.type === 'order') {
      return {
        seq: ev.seq,
        event: 'order',
        serial: ev.order.serial,
        order: ev.order.id,
        by: null,
        data: { seq: ev.seq, order: orderView(ev.order, null, this.lookup) },
      };
    }
    if (ev.type === 'ledger') {
      return {
        seq: ev.seq,
        event: 'balance',
        serial: null,
        order: null,
        by: null,
        data: { seq: ev.seq, entry: ledgerRow(ev.ledger) },
      };
    }
    return null;
  }

  private send(c: Client, f: Frame): void {
    if (f.seq <= c.lastSeq) return;
    if (f.event === 'balance' && !c.operator) return;
    if (c.teller !== null && f.by !== null && f.by !== c.teller) return;
    if (c.serial !== null && f.serial !== c.serial) return;
    if (c.order !== null && f.order !== c.order) return;
    c.lastSeq = f.seq;
    c.res.write(`id: ${f.seq}\nevent: ${f.event}\ndata: ${JSON.stringify(maskDeep(f.data))}\n\n`);
  }
}
