import type { Effect, EffectResult, TxnRecord } from '../core/transaction/types.ts';
import type { DevicePort, HqPort } from './ports.ts';

export interface EffectRunners {
  hq: HqPort;
  device?: DevicePort;
}

/** The idempotency key of one request: the transaction's key, the operation and the action generation. */
export function requestKey(txn: TxnRecord, op: string): string {
  return `${txn.idempotencyKey}:${op}:${txn.generation}`;
}

/**
 * Runs `work` with a timeout. A timeout, a transport error or a rejection all become `unknown`
 * (the request may have reached HQ); only HQ itself can say `declined`.
 */
export async function withTimeout(
  work: (signal: AbortSignal) => Promise<EffectResult>,
  timeoutMs: number,
  ac: AbortController,
): Promise<EffectResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<EffectResult>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve({
        outcome: 'unknown',
        reason: {
          code: 'KIOSK_E_TIMEOUT',
          zh: `请求超时（${timeoutMs} 毫秒）`,
          en: `request timed out after ${timeoutMs} ms`,
        },
      });
    }, timeoutMs);
  });
  const run = work(ac.signal).catch((e: unknown): EffectResult => {
    const code =
      e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'KIOSK_E_INTERNAL';
    const message = e instanceof Error ? e.message : String(e);
    return {
      outcome: 'unknown',
      reason: {
        code,
        zh: `请求失败，结果未知：${message}`,
        en: `request failed, outcome unknown: ${message}`,
      },
    };
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one effect of a transaction with the engine's timeout. */
export function runEffect(
  runners: EffectRunners,
  effect: Effect,
  txn: TxnRecord,
  timeoutMs: number,
  ac: AbortController,
): Promise<EffectResult> {
  return withTimeout(
    async (signal) => {
      if (effect.type === 'hq') {
        return runners.hq.request(
          {
            op: effect.op,
            service: txn.service,
            serial: txn.serial,
            stationId: txn.stationId,
            idempotencyKey: requestKey(txn, effect.op),
            payload: effect.payload,
          },
          signal,
        );
      }
      if (!runners.device) throw new Error(`no device runner for ${effect.device}`);
      return runners.device.run(
        effect,
        { serial: txn.serial, idempotencyKey: requestKey(txn, effect.op) },
        signal,
      );
    },
    timeoutMs,
    ac,
  );
}
