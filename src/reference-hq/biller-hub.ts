import { SERVICE_CATALOGUE } from '../core/services/catalogue.ts';
import type { EffectResult } from '../core/transaction/types.ts';
import type { HqRequestMessage } from '../protocol/schemas/index.ts';
import { replaceKnown, secretsOf } from '../reports/mask-txn.ts';
import type { Biller, BillerEnv, BillerRequest } from './billers/biller.ts';
import type { FaultController } from './faults.ts';
import type { HqStore } from './store.ts';

export interface HubAnswer {
  /** null: send nothing (silent fault). */
  result: EffectResult | null;
  /** Send the answer this many times (duplicate fault: 2). */
  copies: number;
  /** A repeat of a state-changing request, answered from the stored first answer. */
  replay: boolean;
}

/**
 * Routes a kiosk's request to its biller with latency and fault injection, and makes
 * state-changing ops idempotent: the first answer is stored durably (before it is sent) under the
 * station and idempotency key, and a repeat gets that answer without touching the biller again.
 * Status queries and other reads are answered afresh.
 */
export class BillerHub {
  constructor(
    private readonly billers: Map<string, Biller>,
    private readonly store: HqStore,
    private readonly faults: FaultController,
    private readonly latencyMs: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  get services(): string[] {
    return [...this.billers.keys()];
  }

  biller(service: string): Biller | undefined {
    return this.billers.get(service);
  }

  /**
   * The answer to `msg`, with every full customer number it carries (an echoed account, a phone in
   * an inquiry answer) masked by the service's declared field sensitivity: the kiosk sent the
   * number and keeps it; nothing HQ sends back over the broker repeats it, unless the biller
   * declares the op's answer must carry it (`wholeAnswers`). What HQ stores is whole.
   */
  async handle(msg: HqRequestMessage, env: BillerEnv): Promise<HubAnswer> {
    const answer = await this.answer(msg, env);
    const fields = msg.payload.fields;
    if (!answer.result || typeof fields !== 'object' || fields === null) return answer;
    if (this.billers.get(msg.service)?.wholeAnswers?.has(msg.op)) return answer;
    const def = SERVICE_CATALOGUE.find((d) => d.id === msg.service);
    const secrets = secretsOf(def, fields as Record<string, unknown>);
    return { ...answer, result: replaceKnown(answer.result, secrets) as EffectResult };
  }

  private async answer(msg: HqRequestMessage, env: BillerEnv): Promise<HubAnswer> {
    const biller = this.billers.get(msg.service);
    const fault = this.faults.get(msg.service);
    const base = this.latencyMs();
    const latency = base > 0 ? Math.round(base * (0.5 + Math.random())) : 0;
    if (latency + (fault?.mode === 'slow' ? fault.latencyMs : 0) > 0)
      await this.sleep(latency + (fault?.mode === 'slow' ? fault.latencyMs : 0));
    const copies = fault?.mode === 'duplicate' ? 2 : 1;
    if (!biller)
      return {
        result: refuse('HQ_E_UNKNOWN_SERVICE', '未知业务', `unknown service ${msg.service}`),
        copies,
        replay: false,
      };
    const op = biller.ops[msg.op];
    if (!op)
      return {
        result: refuse('HQ_E_UNKNOWN_OP', '不支持的操作', `${msg.service} has no op ${msg.op}`),
        copies,
        replay: false,
      };
    const req: BillerRequest = {
      station: msg.station,
      service: msg.service,
      op: msg.op,
      serial: msg.serial,
      txnKey: msg.idempotencyKey.split(':')[0] ?? msg.idempotencyKey,
      idempotencyKey: msg.idempotencyKey,
      payload: msg.payload,
    };
    const mutating = biller.mutating.has(msg.op);
    if (fault?.mode === 'failing') {
      const result = mutating
        ? refuse('BILLER_UNAVAILABLE', '运营商系统故障', 'biller unavailable')
        : {
            outcome: 'unknown' as const,
            reason: { code: 'BILLER_UNAVAILABLE', zh: '运营商系统故障', en: 'biller unavailable' },
          };
      return { result, copies, replay: false };
    }
    if (!mutating) return this.shape(await op(req, env), fault?.mode, copies, false);
    const key = `i:${msg.station}:${msg.idempotencyKey}`;
    return this.store.withLock(key, async () => {
      const first = await this.store.get<EffectResult>(key);
      if (first) return this.shape(first, fault?.mode, copies, true);
      const result = await op(req, env);
      await this.store.put(key, result);
      return this.shape(result, fault?.mode, copies, false);
    });
  }

  private shape(result: EffectResult, mode: string | undefined, copies: number, replay: boolean): HubAnswer {
    if (mode === 'silent') return { result: null, copies, replay };
    if (mode === 'unknown')
      return {
        result: {
          outcome: 'unknown',
          reason: { code: 'BILLER_UNKNOWN', zh: '运营商结果未知', en: 'biller result unknown' },
        },
        copies,
        replay,
      };
    return { result, copies, replay };
  }

  /** Runs every biller's background work (settle pending results, or process reversal queues). */
  async tick(env: Omit<BillerEnv, 'station'>, kind: 'settle' | 'reversals'): Promise<void> {
    for (const b of this.billers.values()) await b.tick?.(env, kind);
  }
}

function refuse(code: string, zh: string, en: string): EffectResult {
  return { outcome: 'declined', reason: { code, zh, en } };
}
