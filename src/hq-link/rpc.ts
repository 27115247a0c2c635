import { randomUUID } from 'node:crypto';
import type { EffectResult } from '../core/transaction/types.ts';
import type { HqPort, HqRequest } from '../engine/ports.ts';
import type { HqRequestMessage, SignedResponse } from '../protocol/schemas/index.ts';

/** What the RPC client needs from the link: publish when connected, and the reply topic. */
export interface RpcTransport {
  readonly connected: boolean;
  /** Resolves once connected; rejects when `signal` aborts. */
  whenConnected(signal: AbortSignal): Promise<void>;
  /** QoS 1 publish of a request; MQTT 5 clients add responseTopic/correlationData. */
  publishRequest(msg: HqRequestMessage): Promise<void>;
  readonly replyTo: string;
  now(): number;
}

interface Pending {
  resolve: (r: EffectResult) => void;
  reject: (e: Error) => void;
}

export class RpcError extends Error {
  constructor(
    readonly code: 'HQ_E_TIMEOUT' | 'HQ_E_ABORTED' | 'HQ_E_LINK_DOWN' | 'HQ_E_PUBLISH',
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/**
 * Request/response over MQTT 3.1.1 or 5: the correlation id and the reply topic travel in the
 * message envelope. Each id is awaited once; a late, unknown or duplicate answer is dropped (a
 * duplicate answer is therefore harmless). A request that is not answered in time rejects, and the
 * engine turns that into `unknown` — never `declined` — so its status query settles it.
 */
export class RpcClient {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly transport: RpcTransport,
    private readonly timeoutMs: () => number,
  ) {}

  get inFlight(): number {
    return this.pending.size;
  }

  /** True when `id` is awaited; answers for ids not awaited count as replays. */
  awaiting(id: string): boolean {
    return this.pending.has(id);
  }

  async request(req: HqRequest, signal?: AbortSignal): Promise<EffectResult> {
    const ac = new AbortController();
    const timer = setTimeout(
      () => ac.abort(new RpcError('HQ_E_TIMEOUT', `no answer from HQ within ${this.timeoutMs()} ms`)),
      this.timeoutMs(),
    );
    const onOuterAbort = (): void => ac.abort(new RpcError('HQ_E_ABORTED', 'request aborted'));
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (signal?.aborted) onOuterAbort();
    const id = randomUUID();
    try {
      if (!this.transport.connected) await this.transport.whenConnected(ac.signal);
      const answer = new Promise<EffectResult>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        ac.signal.addEventListener('abort', () => reject(ac.signal.reason as Error), { once: true });
      });
      const msg: HqRequestMessage = {
        v: 1,
        id,
        replyTo: this.transport.replyTo,
        station: req.stationId,
        at: this.transport.now(),
        op: req.op,
        service: req.service,
        serial: req.serial,
        idempotencyKey: req.idempotencyKey,
        payload: req.payload,
      };
      await Promise.race([
        this.transport.publishRequest(msg).catch((e: unknown) => {
          throw new RpcError('HQ_E_PUBLISH', `publish failed: ${(e as Error).message}`);
        }),
        answer.then(() => undefined),
      ]);
      return await answer;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onOuterAbort);
      this.pending.delete(id);
    }
  }

  /** Delivers a verified answer. Returns false when nobody awaits `id` (late, duplicate or forged). */
  deliver(res: SignedResponse): boolean {
    const p = this.pending.get(res.id);
    if (!p) return false;
    this.pending.delete(res.id);
    const r: EffectResult = { outcome: res.result.outcome };
    if (res.result.data) r.data = res.result.data;
    if (res.result.reason) r.reason = res.result.reason;
    p.resolve(r);
    return true;
  }

  /** Fails every waiting request (link stopped). */
  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new RpcError('HQ_E_LINK_DOWN', reason));
    }
  }
}

/** The engine's HQ port over the MQTT link. */
export class MqttHqPort implements HqPort {
  constructor(private readonly rpc: () => RpcClient | null) {}

  async request(req: HqRequest, signal: AbortSignal): Promise<EffectResult> {
    const rpc = this.rpc();
    if (!rpc) throw new RpcError('HQ_E_LINK_DOWN', 'HQ link is not running');
    return rpc.request(req, signal);
  }
}
