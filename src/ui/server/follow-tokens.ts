import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a follow token names: one transaction (by serial) or one self-service order (by id). */
export type Followed = { kind: 'txn'; id: string } | { kind: 'order'; id: string };

/** How long after its transaction or order is final a token still opens its stream (ms). */
export const FOLLOW_AFTER_FINAL_MS = 15 * 60_000;

/**
 * Per-transaction tokens for the customer's screen: whoever created a transaction or an order
 * without an operator session gets a token that opens the event stream of that one transaction or
 * order, and nothing else. A token is an HMAC of what it names under this kiosk's secret (32 random
 * bytes kept in its journal, src/app/follow-key.ts), so no token is stored, none can be guessed,
 * and one issued before a restart still opens its stream after it. It ends with what it names:
 * the stream refuses it once that is final for `FOLLOW_AFTER_FINAL_MS` (see `followable`).
 */
export class FollowTokens {
  constructor(private readonly key: Buffer) {
    // Fail closed: a short (or missing) secret would make tokens guessable.
    if (key.length < 32) throw new Error('follow-token secret must be at least 32 bytes');
  }

  /** The token for `what`, base64url (22 characters, 128 bits). */
  issue(what: Followed): string {
    return createHmac('sha256', this.key)
      .update(`${what.kind}:${what.id}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }

  /** Whether `token` was issued for `what`; compared in constant time. */
  opens(token: string, what: Followed): boolean {
    const want = Buffer.from(this.issue(what));
    const got = Buffer.from(token);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

/**
 * Whether a follow token for something in this state may still open its stream: while it is open,
 * and for `FOLLOW_AFTER_FINAL_MS` after it became final (the screen reads its last state). Pure.
 */
export function followable(state: { final: boolean; updatedAt: number } | undefined, now: number): boolean {
  if (!state) return false;
  return !state.final || now - state.updatedAt <= FOLLOW_AFTER_FINAL_MS;
}
