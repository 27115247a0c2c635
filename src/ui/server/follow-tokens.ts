import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a follow token names: one transaction (by serial) or one self-service order (by id). */
export type Followed = { kind: 'txn'; id: string } | { kind: 'order'; id: string };

/**
 * Per-transaction tokens for the customer's screen: whoever created a transaction or an order
 * without an operator session gets a token that opens the event stream of that one transaction or
 * order, and nothing else. A token is an HMAC of what it names under a key drawn when the server
 * starts, so nothing is stored; after a restart the old tokens are refused (the screen still reads
 * the state by serial or order number).
 */
export class FollowTokens {
  private readonly key: Buffer = randomBytes(32);

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
