import type { EffectResult } from '../../src/core/transaction/types.ts';
import type { HqPort, HqRequest } from '../../src/engine/ports.ts';

/**
 * In-memory HQ double for engine tests without MQTT. Behaves like the reference HQ where it
 * matters to the engine: a repeated state-changing request (same idempotency key) gets the first
 * answer and never charges twice; status queries are answered afresh from the biller's state.
 *
 * Scripts: for each op, a queue of behaviours consumed one per request (the last one repeats).
 */
export type Behaviour =
  | 'ok'
  | 'declined'
  | 'pending'
  | 'hang' // reaches the biller (charged) but the answer is lost: the engine's timeout makes it unknown
  | 'timeout' // the request is lost before the biller: never answered, never charged
  | 'pending-then-ok' // answers pending (charged); the first status query says pending, the next ok
  | 'throw' // transport error
  | { outcome: EffectResult['outcome']; data?: Record<string, unknown>; reason?: EffectResult['reason'] };

const MUTATING = new Set(['pay', 'reverse', 'confirm', 'write-confirm', 'topup']);
/** Read-only questions (inquiries, lists): a plain `ok` answers them with nothing, like a biller with nothing to say. */
const QUESTIONS = new Set(['query', 'games', 'trips', 'stations', 'unconfirmed']);

export class FakeHq implements HqPort {
  readonly requests: HqRequest[] = [];
  /** Charges per transaction idempotency key (the part before the first ':'). */
  readonly charges = new Map<string, number>();
  readonly reversals = new Map<string, number>();
  private readonly scripts = new Map<string, Behaviour[]>();
  private readonly answered = new Map<string, EffectResult>();
  /** Biller-side truth per transaction key, for status queries. */
  private readonly status = new Map<string, EffectResult['outcome']>();
  private readonly reverseStatus = new Map<string, EffectResult['outcome']>();
  /** Status queries still to answer `pending` before a pending-then-ok payment reports ok. */
  private readonly settleAfter = new Map<string, number>();

  script(op: string, ...behaviours: Behaviour[]): this {
    this.scripts.set(op, behaviours);
    return this;
  }

  /** Sets what the biller would report for a status query of this transaction. */
  settle(txnKey: string, outcome: EffectResult['outcome']): void {
    this.status.set(txnKey, outcome);
  }

  settleReversal(txnKey: string, outcome: EffectResult['outcome']): void {
    this.reverseStatus.set(txnKey, outcome);
  }

  count(op: string): number {
    return this.requests.filter((r) => r.op === op).length;
  }

  async request(req: HqRequest, signal: AbortSignal): Promise<EffectResult> {
    this.requests.push(req);
    const txnKey = req.idempotencyKey.split(':')[0] ?? req.idempotencyKey;
    if (MUTATING.has(req.op)) {
      const first = this.answered.get(req.idempotencyKey);
      if (first) return first;
    }
    const b = this.next(req.op);
    if (b === 'hang') {
      // Simulates a lost answer: the request reached HQ (so it is charged) but no reply comes back.
      this.record(req, txnKey, { outcome: 'ok', data: { billerRef: `B${req.serial}` } });
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    if (b === 'timeout')
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    if (b === 'pending-then-ok') {
      const result: EffectResult = { outcome: 'pending', data: { billerRef: `B${req.serial}` } };
      this.record(req, txnKey, result);
      this.settleAfter.set(txnKey, 1);
      return result;
    }
    if (b === 'throw') throw new Error('connection reset');
    const result: EffectResult =
      typeof b === 'string'
        ? {
            outcome: b,
            ...(b === 'ok' ? { data: QUESTIONS.has(req.op) ? {} : { billerRef: `B${req.serial}` } } : {}),
          }
        : {
            outcome: b.outcome,
            ...(b.data ? { data: b.data } : {}),
            ...(b.reason ? { reason: b.reason } : {}),
          };
    if (req.op === 'status' && this.settleAfter.has(txnKey)) {
      const left = this.settleAfter.get(txnKey) ?? 0;
      if (left > 0) {
        this.settleAfter.set(txnKey, left - 1);
        return { outcome: 'pending', data: { billerRef: `B${req.serial}` } };
      }
      this.settleAfter.delete(txnKey);
      this.status.set(txnKey, 'ok');
    }
    if (req.op === 'status')
      return { outcome: this.status.get(txnKey) ?? result.outcome, data: { billerRef: `B${req.serial}` } };
    if (req.op === 'reverse-status') return { outcome: this.reverseStatus.get(txnKey) ?? result.outcome };
    this.record(req, txnKey, result);
    return result;
  }

  private record(req: HqRequest, txnKey: string, result: EffectResult): void {
    if (!MUTATING.has(req.op)) return;
    this.answered.set(req.idempotencyKey, result);
    if (req.op === 'pay' && (result.outcome === 'ok' || result.outcome === 'pending')) {
      this.charges.set(txnKey, (this.charges.get(txnKey) ?? 0) + 1);
      if (!this.status.has(txnKey)) this.status.set(txnKey, result.outcome === 'ok' ? 'ok' : 'pending');
    }
    if (req.op === 'reverse' && result.outcome !== 'declined') {
      this.reversals.set(txnKey, (this.reversals.get(txnKey) ?? 0) + 1);
    }
  }

  private next(op: string): Behaviour {
    const q = this.scripts.get(op);
    if (!q || q.length === 0) return op === 'status' || op === 'reverse-status' ? 'pending' : 'ok';
    return q.length > 1 ? (q.shift() as Behaviour) : (q[0] as Behaviour);
  }
}
