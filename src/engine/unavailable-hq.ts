import { KioskError } from '../core/errors.ts';
import type { EffectResult } from '../core/transaction/types.ts';
import type { HqPort } from './ports.ts';

/**
 * The HQ port when the link is switched off (`hq.mode: off`) or not connected: every request fails
 * as a transport error, which the engine records as `unknown`, never as a failure. Transactions
 * then wait in their query states and settle once a link is back.
 */
export class UnavailableHqPort implements HqPort {
  async request(): Promise<EffectResult> {
    throw new KioskError('KIOSK_E_TIMEOUT', { zh: '总部链路不可用', en: 'HQ link is not available' });
  }
}
