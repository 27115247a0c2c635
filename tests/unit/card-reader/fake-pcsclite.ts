import { EventEmitter } from 'node:events';
import type { PcscContext, PcscFactory, PcscReaderHandle } from '../../../devices/card-reader/pcsc-types.ts';
import type { VirtualCard } from '../../../devices/card-reader/virtual-electricity-card.ts';

/**
 * An in-memory stand-in for `@pokusew/pcsclite` that follows the binding's observable behaviour:
 * readers announced through 'reader', an immediate 'status', 'end' after a reader goes away or is
 * closed, errors as `Error("<Fn> error: <text>(0x8010xxxx)")`, 'error' on the context when it is
 * closed or pcscd dies, and the vpcd habit of answering a torn exchange with an empty buffer.
 * The card handle is modelled as the binding keeps it: one native handle per reader object that
 * every SCardConnect overwrites (pcsc-lite zeroes it first, so a refused connect loses a handle
 * held before), `connected` set only when a connect or disconnect succeeds, a transmit on a zero
 * handle failing with "Invalid handle", and pcscd holding an exclusive connection until that very
 * handle is disconnected.
 */
const STATE_EMPTY = 0x10;
const STATE_PRESENT = 0x20;
const pcscErr = (fn: string, text: string, code: number) =>
  new Error(`${fn} error: ${text}(0x${code.toString(16).padStart(8, '0')})`);

export class FakeReader extends EventEmitter implements PcscReaderHandle {
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_STATE_PRESENT = STATE_PRESENT;
  readonly SCARD_STATE_MUTE = 0x200;
  readonly SCARD_LEAVE_CARD = 0;
  connected = false;
  closed = false;
  card: VirtualCard | null = null;
  /** Connect fails with this error once. */
  connectError: Error | null = null;
  /** Disconnect fails with this error once (the binding then still counts itself connected). */
  disconnectError: Error | null = null;
  /** Transmit fails with this error once. */
  transmitError: Error | null = null;

  constructor(
    readonly name: string,
    private readonly bus: FakePcscBus,
  ) {
    super();
  }

  status(): void {
    const state = this.card ? STATE_PRESENT : STATE_EMPTY;
    this.emit('status', this.card ? { state, atr: Buffer.from(this.card.atr) } : { state });
  }

  /** The binding's native card handle (0: none). */
  handle = 0;

  connect(_o: { share_mode?: number }, cb: (err: Error | null, p?: number) => void): void {
    // The binding answers a connect on a reader it believes connected with nothing at all.
    if (this.connected) return void cb(null);
    setImmediate(() => {
      this.handle = 0;
      if (this.connectError) {
        const e = this.connectError;
        this.connectError = null;
        return cb(e, 0);
      }
      if (!this.card) return cb(pcscErr('SCardConnect', 'No smart card inserted.', 0x8010000c), 0);
      if (this.bus.exclusive.has(this.name))
        return cb(pcscErr('SCardConnect', 'Sharing violation.', 0x8010000b), 0);
      this.handle = this.bus.nextHandle++;
      this.bus.exclusive.set(this.name, this.handle);
      this.connected = true;
      cb(null, 2);
    });
  }

  disconnect(_d: number, cb: (err: Error | null) => void): void {
    if (!this.connected) return void cb(null);
    setImmediate(() => {
      const fail = this.disconnectError;
      this.disconnectError = null;
      if (fail) return cb(fail);
      if (this.handle && this.bus.exclusive.get(this.name) === this.handle)
        this.bus.exclusive.delete(this.name);
      this.handle = 0;
      this.connected = false;
      cb(null);
    });
  }

  transmit(data: Buffer, _len: number, _p: number, cb: (err: Error | null, d: Buffer) => void): void {
    if (!this.connected) {
      cb(new Error('Card Reader not connected'), Buffer.alloc(0));
      return;
    }
    if (!this.handle) {
      setImmediate(() => cb(pcscErr('SCardTransmit', 'Invalid handle.', 0x80100003), Buffer.alloc(0)));
      return;
    }
    this.bus.transmits.push(Buffer.from(data).toString('hex'));
    const fail = this.transmitError;
    this.transmitError = null;
    if (fail) return void setImmediate(() => cb(fail, Buffer.alloc(0)));
    const card = this.card;
    if (!card)
      return void setImmediate(() =>
        cb(pcscErr('SCardTransmit', 'Card was removed.', 0x80100069), Buffer.alloc(0)),
      );
    const reply = card.process(Uint8Array.from(data));
    if (reply.kind === 'torn') {
      // vpcd: the exchange "succeeds" with no bytes; presence polling reports the removal later.
      this.card = null;
      setImmediate(() => cb(null, Buffer.alloc(0)));
      setTimeout(() => this.status(), this.bus.removalReportDelayMs);
      return;
    }
    const answer = () => cb(null, Buffer.from(reply.rapdu));
    if (reply.delayMs > 0) setTimeout(answer, reply.delayMs);
    else setImmediate(answer);
  }

  private ended = false;
  isEnded(): boolean {
    return this.ended;
  }
  /** The watcher thread finished: 'end' once. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('end');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.bus.closeLog.push(`reader:${this.name}`);
    setImmediate(() => this.end());
  }
}

export class FakeContext extends EventEmitter implements PcscContext {
  closed = false;
  constructor(private readonly bus: FakePcscBus) {
    super();
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.bus.closeLog.push('context');
    setImmediate(() => this.emit('error', pcscErr('SCardGetStatusChange', 'Command cancelled.', 0x80100002)));
  }
}

export class FakePcscBus {
  serviceUp = true;
  removalReportDelayMs = 50;
  readonly contexts: FakeContext[] = [];
  readonly readers: FakeReader[] = [];
  readonly transmits: string[] = [];
  /** pcscd's exclusive connections: reader name → the handle holding it. */
  readonly exclusive = new Map<string, number>();
  nextHandle = 0x1000;
  /** Order in which readers and contexts were closed. */
  readonly closeLog: string[] = [];
  private plugged = new Map<string, VirtualCard | null>();

  readonly factory: PcscFactory = () => {
    if (!this.serviceUp) throw pcscErr('SCardEstablishContext', 'Service not available.', 0x8010001d);
    const ctx = new FakeContext(this);
    this.contexts.push(ctx);
    setImmediate(() => {
      for (const [name, card] of this.plugged) this.announce(ctx, name, card);
    });
    return ctx;
  };

  readonly probe = async () => this.serviceUp;

  private live(): FakeContext | undefined {
    return this.contexts.filter((c) => !c.closed).at(-1);
  }

  private announce(ctx: FakeContext, name: string, card: VirtualCard | null): void {
    const r = new FakeReader(name, this);
    r.card = card;
    this.readers.push(r);
    ctx.emit('reader', r);
    r.status();
  }

  reader(name: string): FakeReader {
    const r = this.readers.filter((x) => x.name === name && !x.closed && !x.isEnded()).at(-1);
    if (!r) throw new Error(`no live reader ${name}`);
    return r;
  }

  plug(name: string, card: VirtualCard | null = null): void {
    this.plugged.set(name, card);
    const ctx = this.live();
    if (ctx && this.serviceUp) this.announce(ctx, name, card);
  }

  /** The binding closes a reader that disappeared from the list, which emits 'end'. */
  unplug(name: string): void {
    this.plugged.delete(name);
    this.exclusive.delete(name);
    if (this.serviceUp) this.reader(name).close();
  }

  insert(name: string, card: VirtualCard): void {
    this.plugged.set(name, card);
    const r = this.reader(name);
    r.card = card;
    r.status();
  }

  remove(name: string): void {
    this.plugged.set(name, null);
    const r = this.reader(name);
    r.card = null;
    r.status();
  }

  /** pcscd dies: every watcher fails with an RPC transport error and ends. */
  killService(): void {
    this.serviceUp = false;
    this.exclusive.clear();
    const err = () => pcscErr('SCardGetStatusChange', 'RPC transport error.', 0x80100013);
    for (const r of this.readers.filter((x) => !x.closed)) {
      r.emit('error', err());
      r.end();
    }
    for (const c of this.contexts.filter((x) => !x.closed)) c.emit('error', err());
  }

  startService(): void {
    this.serviceUp = true;
  }

  /** Every reader and context ever handed out has been closed. */
  allClosed(): boolean {
    return this.readers.every((r) => r.closed) && this.contexts.every((c) => c.closed);
  }
}
