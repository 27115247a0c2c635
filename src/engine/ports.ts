import type { EffectResult } from '../core/transaction/types.ts';

/** One request to HQ on behalf of a transaction. */
export interface HqRequest {
  op: string;
  service: string;
  serial: string;
  stationId: string;
  /**
   * `<transaction key>:<op>:<generation>`. HQ answers a repeat of a state-changing request with
   * its first answer; status queries are answered afresh.
   */
  idempotencyKey: string;
  payload: Record<string, unknown>;
}

/**
 * The engine's view of HQ. Implementations: the MQTT link, and the in-memory double for tests.
 * Contract: resolve with the biller's outcome; reject or hang when the outcome is not known (the
 * engine turns both into `unknown` after its timeout; never into `declined`).
 */
export interface HqPort {
  request(req: HqRequest, signal: AbortSignal): Promise<EffectResult>;
}

/** Device side effects (card writes, reads) for services that need one. */
export interface DevicePort {
  run(
    effect: { device: string; op: string; payload: Record<string, unknown> },
    ctx: { serial: string; idempotencyKey: string },
    signal: AbortSignal,
  ): Promise<EffectResult>;
}
