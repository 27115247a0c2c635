import { maskPhone } from '../mask.ts';
import {
  type AssistRequest,
  CITIZEN_SENSITIVITY,
  type Citizen,
  isFinalState,
  type Sensitivity,
} from './request.ts';

/** A personal value masked by its declared sensitivity. */
export function maskBySensitivity(kind: Sensitivity, value: string): string {
  switch (kind) {
    case 'name':
      // 张三丰 → 张**: the family name stays, enough for the operator to greet them.
      return value.length <= 1 ? '*' : `${value.slice(0, 1)}${'*'.repeat(value.length - 1)}`;
    case 'id-number':
      // 330102199001011234 → 3301**********1234
      return value.length <= 8
        ? '*'.repeat(value.length)
        : `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
    case 'phone':
      return maskPhone(value);
  }
}

/** The citizen with every personal field masked. */
export function maskCitizen(c: Citizen): Citizen {
  const out: Citizen = { name: null, idNumber: null, phone: null };
  for (const key of Object.keys(CITIZEN_SENSITIVITY) as Array<keyof Citizen>) {
    const v = c[key];
    out[key] = v === null ? null : maskBySensitivity(CITIZEN_SENSITIVITY[key], v);
  }
  return out;
}

/**
 * The request as it may leave the operator's own view (journal events relayed to HQ, lists, the
 * customer's screen, receipts): personal fields masked.
 */
export function maskRequest(r: AssistRequest): AssistRequest {
  return { ...r, citizen: maskCitizen(r.citizen) };
}

/** Whether a finished request's personal data is due for erasure at `now`. */
export function purgeDue(r: AssistRequest, now: number, retentionDays: number): boolean {
  if (r.purgedAt !== null || !isFinalState(r.state)) return false;
  return now - r.updatedAt >= retentionDays * 86_400_000;
}

/** The request with its personal data erased (what was asked and its course stay, for statistics). */
export function purgeRequest(r: AssistRequest, now: number): AssistRequest {
  return { ...r, citizen: { name: null, idNumber: null, phone: null }, purgedAt: now, rev: r.rev + 1 };
}
